package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The day an operator cares about: earlier and later items are clipped.
const (
	timelineFrom = 7 * time.Hour
	timelineTo   = 19 * time.Hour
)

// Timeline draws one person's day as coloured blocks with a "now" marker.
type Timeline struct {
	widget.BaseWidget
	slots []calendar.Slot
	day   calendar.Window
	now   time.Time
}

// NewTimeline returns an empty timeline.
func NewTimeline() *Timeline {
	t := &Timeline{}
	t.ExtendBaseWidget(t)
	return t
}

// Set replaces what the timeline shows. Call on the Fyne goroutine.
func (t *Timeline) Set(slots []calendar.Slot, day calendar.Window, now time.Time) {
	t.slots, t.day, t.now = slots, day, now
	t.Refresh()
}

func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{t: t, track: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))}
	r.nowLine = canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
	r.rebuild()
	return r
}

type timelineRenderer struct {
	t       *Timeline
	track   *canvas.Rectangle
	blocks  []*canvas.Rectangle
	spans   [][2]float32 // fraction of the track each block covers
	nowLine *canvas.Rectangle
	nowAt   float32 // fraction; negative hides it
	objects []fyne.CanvasObject
}

func (r *timelineRenderer) rebuild() {
	t := r.t
	r.blocks, r.spans = r.blocks[:0], r.spans[:0]
	r.nowAt = -1
	if !t.day.Start.IsZero() {
		from := atOffset(t.day.Start, timelineFrom)
		to := atOffset(t.day.Start, timelineTo)
		span := float32(to.Sub(from))
		frac := func(x time.Time) float32 {
			f := float32(x.Sub(from)) / span
			return min(max(f, 0), 1)
		}
		for _, s := range t.slots {
			if s.Status == calendar.StatusFree || !s.End.After(from) || !s.Start.Before(to) {
				continue
			}
			b := canvas.NewRectangle(withAlpha(StatusColor(s.Status), 0xcc))
			r.blocks = append(r.blocks, b)
			r.spans = append(r.spans, [2]float32{frac(s.Start), frac(s.End)})
		}
		if !t.now.Before(from) && t.now.Before(to) {
			r.nowAt = frac(t.now)
		}
	}
	r.objects = append(r.objects[:0], r.track)
	for _, b := range r.blocks {
		r.objects = append(r.objects, b)
	}
	r.objects = append(r.objects, r.nowLine)
}

func atOffset(midnight time.Time, d time.Duration) time.Time {
	return time.Date(midnight.Year(), midnight.Month(), midnight.Day(), int(d/time.Hour), 0, 0, 0, midnight.Location())
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	r.track.Resize(size)
	r.track.Move(fyne.NewPos(0, 0))
	for i, b := range r.blocks {
		x0, x1 := r.spans[i][0]*size.Width, r.spans[i][1]*size.Width
		b.Move(fyne.NewPos(x0, 0))
		b.Resize(fyne.NewSize(max(x1-x0, 1), size.Height))
	}
	if r.nowAt < 0 {
		r.nowLine.Hide()
		return
	}
	r.nowLine.Show()
	r.nowLine.Move(fyne.NewPos(r.nowAt*size.Width-1, 0))
	r.nowLine.Resize(fyne.NewSize(2, size.Height))
}

func (r *timelineRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 18) }

func (r *timelineRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.t.Size())
	canvas.Refresh(r.t)
}

func (r *timelineRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *timelineRenderer) Destroy()                     {}
