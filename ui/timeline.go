package ui

import (
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The hours drawn: the operator's own day, widened to take in any item and the
// colleague's working hours that lie outside it.
const (
	timelineFrom = 7 * time.Hour
	timelineTo   = 19 * time.Hour

	laneHeight = 26
)

// Timeline draws one person's day: hour labels, their working hours shaded in
// the operator's clock, each item as a block labelled in words in its own lane
// where items overlap, periods without data hatched and labelled, and a now
// marker. Hovering a block shows its full label.
type Timeline struct {
	widget.BaseWidget
	slots   []calendar.Slot
	day     calendar.Window
	now     time.Time
	hours   calendar.WorkingHours // the colleague's, in their own zone
	unknown string                // non-empty: the whole day is unknown, for this reason

	popup *widget.PopUp
}

// NewTimeline returns an empty timeline.
func NewTimeline() *Timeline {
	t := &Timeline{}
	t.ExtendBaseWidget(t)
	return t
}

// Set replaces what the timeline shows. hours are the colleague's working
// hours (zero: Outlook's default in the day's zone). unknown, when not empty,
// marks the whole day as without data and says why. Call on the Fyne goroutine.
func (t *Timeline) Set(slots []calendar.Slot, day calendar.Window, now time.Time, hours calendar.WorkingHours, unknown string) {
	t.slots, t.day, t.now, t.hours, t.unknown = slots, day, now, hours, unknown
	t.Refresh()
}

// block is one item as drawn.
type block struct {
	slot     calendar.Slot
	from, to float32 // fraction of the hours shown
	lane     int
	label    string
	word     string // the status word the label starts with
	short    string // that word shortened, for a short block
}

// dayLayout is the day as drawn: the hours shown, the colleague's working time
// inside them, and the items in lanes.
type dayLayout struct {
	from, to time.Time
	work     []calendar.Window
	blocks   []block
	lanes    int
}

// layoutDay places the day's items in lanes so overlapping items stay visible,
// and widens the hours shown to whole hours around any item or working time
// outside the operator's usual day: a colleague in New York seen from Rome
// shows until midnight.
func (t *Timeline) layoutDay() (l dayLayout) {
	if t.day.Start.IsZero() {
		return l
	}
	start, end := timelineFrom, timelineTo
	widen := func(from, to time.Time) {
		start = min(start, from.Sub(t.day.Start).Truncate(time.Hour))
		end = max(end, (to.Sub(t.day.Start) + time.Hour - 1).Truncate(time.Hour))
	}
	hours := t.hours
	if hours.IsZero() {
		hours = calendar.DefaultWorkingHours(t.day.Start.Location())
	}
	l.work = hours.Within(t.day)
	for _, w := range l.work {
		widen(w.Start, w.End)
	}
	var items []calendar.Slot
	for _, s := range t.slots {
		if s.Status == calendar.StatusFree || !s.End.After(t.day.Start) || !s.Start.Before(t.day.End) {
			continue
		}
		items = append(items, s)
		if !s.AllDay {
			widen(s.Start, s.End)
		}
	}
	start, end = max(start, 0), min(end, t.day.End.Sub(t.day.Start))
	from, to := t.day.Start.Add(start), t.day.Start.Add(end)
	l.from, l.to = from, to
	span := float32(to.Sub(from))
	frac := func(x time.Time) float32 { return min(max(float32(x.Sub(from))/span, 0), 1) }
	items = byStart(items)
	var laneEnds []time.Time
	for _, s := range items {
		if !s.End.After(from) || !s.Start.Before(to) {
			continue
		}
		lane := slices.IndexFunc(laneEnds, func(e time.Time) bool { return !e.After(s.Start) })
		if lane < 0 {
			lane = len(laneEnds)
			laneEnds = append(laneEnds, s.End)
		} else {
			laneEnds[lane] = s.End
		}
		l.blocks = append(l.blocks, block{slot: s, from: frac(s.Start), to: frac(s.End), lane: lane, label: slotLabel(s), word: slotWord(s), short: slotShort(s)})
	}
	l.lanes = max(len(laneEnds), 1)
	return l
}

// slotWord is the status word an item's label starts with.
func slotWord(s calendar.Slot) string {
	if s.Status == calendar.StatusUnknown {
		return lang.L("No data")
	}
	return statusWord(s.Status)
}

// slotShort is the status word shortened for a block too short for the word
// ("Tent.", "Vorb."), translated: the initial of "Mit Vorbehalt" would be "M".
func slotShort(s calendar.Slot) string {
	switch s.Status {
	case calendar.StatusBusy:
		return lang.X("timeline.short.busy", "Busy")
	case calendar.StatusTentative:
		return lang.X("timeline.short.tentative", "Tent.")
	case calendar.StatusOOF:
		return lang.X("timeline.short.oof", "Away")
	case calendar.StatusElsewhere:
		return lang.X("timeline.short.elsewhere", "Else.")
	}
	return lang.X("timeline.short.unknown", "?")
}

// slotLabel names an item in words: "Busy · Budget review · Room Aurora",
// "Busy · Private", "Tentative", "No data".
func slotLabel(s calendar.Slot) string {
	word := slotWord(s)
	switch {
	case s.Private:
		return joinNonEmpty(" · ", word, lang.L("Private"))
	default:
		return joinNonEmpty(" · ", word, s.Subject, s.Location)
	}
}

func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{t: t}
	r.rebuild()
	return r
}

// MouseIn, MouseMoved and MouseOut show a block's full label while hovered:
// a short block truncates it.
func (t *Timeline) MouseIn(ev *desktop.MouseEvent) { t.MouseMoved(ev) }

func (t *Timeline) MouseMoved(ev *desktop.MouseEvent) {
	label := t.labelAt(ev.Position)
	if label == "" {
		t.MouseOut()
		return
	}
	cv := fyne.CurrentApp().Driver().CanvasForObject(t)
	if cv == nil {
		return
	}
	if t.popup == nil {
		t.popup = widget.NewPopUp(widget.NewLabel(""), cv)
	}
	t.popup.Content.(*widget.Label).SetText(label)
	t.popup.ShowAtPosition(ev.AbsolutePosition.Add(fyne.NewPos(12, 16)))
}

func (t *Timeline) MouseOut() {
	if t.popup != nil {
		t.popup.Hide()
	}
}

func (t *Timeline) labelAt(pos fyne.Position) string {
	blocks := t.layoutDay().blocks
	w := t.Size().Width
	top := hourLabelHeight()
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		y := top + float32(b.lane)*laneHeight
		if pos.X >= b.from*w && pos.X <= b.to*w && pos.Y >= y && pos.Y < y+laneHeight {
			return timeRange(b.slot, t.day) + "  " + b.label
		}
	}
	return ""
}

// timeRange is "09:45–10:30", or "All day" for an item covering the day.
func timeRange(s calendar.Slot, day calendar.Window) string {
	if s.AllDay || (!s.Start.After(day.Start) && !s.End.Before(day.End)) {
		return lang.L("All day")
	}
	from, to := clock(s.Start.In(day.Start.Location())), clock(s.End.In(day.Start.Location()))
	if s.Start.Before(day.Start) {
		from = "…"
	}
	if s.End.After(day.End) {
		to = "…"
	}
	return from + "–" + to
}

func hourLabelHeight() float32 { return theme.CaptionTextSize() + 2*theme.Padding() }

type timelineRenderer struct {
	t *Timeline

	dayLayout

	track    *canvas.Rectangle
	work     []*canvas.Rectangle // one per stretch of working time in the day
	ticks    []*canvas.Line
	hours    []*canvas.Text
	hourAt   []float32
	rects    []*canvas.Rectangle
	hatches  []*canvas.Raster
	texts    []*canvas.Text
	nowLine  *canvas.Rectangle
	empty    *canvas.Text
	emptyBg  *canvas.Rectangle // keeps the "no data" words readable over the hatching
	unknownH *canvas.Raster
	objects  []fyne.CanvasObject
}

func (r *timelineRenderer) rebuild() {
	t := r.t
	fg := theme.Color(theme.ColorNameForeground)
	r.dayLayout = t.layoutDay()
	// Out of hours dimmed, working hours in the field colour: the eye finds the
	// colleague's working day. A day they do not work stays dimmed throughout.
	r.track = canvas.NewRectangle(theme.Color(theme.ColorNameDisabledButton))
	r.objects = append(r.objects[:0], r.track)
	r.work = r.work[:0]
	for range r.dayLayout.work {
		w := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		w.StrokeColor = theme.Color(theme.ColorNameSeparator)
		w.StrokeWidth = 1
		r.work = append(r.work, w)
		r.objects = append(r.objects, w)
	}
	r.ticks, r.hours, r.hourAt = r.ticks[:0], r.hours[:0], r.hourAt[:0]
	r.rects, r.hatches, r.texts = r.rects[:0], r.hatches[:0], r.texts[:0]
	r.nowLine, r.empty, r.emptyBg, r.unknownH = nil, nil, nil, nil
	if r.from.IsZero() {
		return
	}
	span := float32(r.to.Sub(r.from))
	for h := r.from; !h.After(r.to); h = h.Add(time.Hour) {
		f := float32(h.Sub(r.from)) / span
		tick := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		label := canvas.NewText(hourLabel(h), fg)
		label.TextSize = theme.CaptionTextSize()
		r.ticks, r.hours, r.hourAt = append(r.ticks, tick), append(r.hours, label), append(r.hourAt, f)
		r.objects = append(r.objects, tick, label)
	}
	if t.unknown != "" {
		r.unknownH = hatch(StatusColor(calendar.StatusUnknown))
		r.empty = canvas.NewText(t.unknown, fg)
		r.empty.TextSize = theme.CaptionTextSize()
		r.emptyBg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		r.emptyBg.CornerRadius = 3
		r.objects = append(r.objects, r.unknownH) // the words go on top, after the now marker
	}
	for _, b := range r.blocks {
		rect := canvas.NewRectangle(StatusColor(b.slot.Status))
		rect.CornerRadius = 3
		var h *canvas.Raster
		switch b.slot.Status {
		case calendar.StatusTentative:
			// Tentative reads apart from busy without colour: outlined and striped.
			rect.FillColor = withAlpha(StatusColor(b.slot.Status), 0x55)
			rect.StrokeColor = StatusColor(b.slot.Status)
			rect.StrokeWidth = 2
			h = hatch(withAlpha(StatusColor(b.slot.Status), 0x99))
		case calendar.StatusUnknown:
			rect.FillColor = withAlpha(StatusColor(b.slot.Status), 0x33)
			h = hatch(StatusColor(b.slot.Status))
		case calendar.StatusElsewhere:
			rect.FillColor = withAlpha(StatusColor(b.slot.Status), 0xdd)
		}
		text := canvas.NewText("", blockTextColor(b.slot.Status, fg))
		text.TextSize = theme.CaptionTextSize()
		r.rects, r.hatches, r.texts = append(r.rects, rect), append(r.hatches, h), append(r.texts, text)
		r.objects = append(r.objects, rect)
		if h != nil {
			r.objects = append(r.objects, h)
		}
		r.objects = append(r.objects, text)
	}
	if len(r.blocks) == 0 && t.unknown == "" {
		r.empty = canvas.NewText(lang.L("Nothing in the calendar"), theme.Color(theme.ColorNamePlaceHolder))
		r.empty.TextSize = theme.CaptionTextSize()
		r.objects = append(r.objects, r.empty)
	}
	if !t.now.Before(r.from) && t.now.Before(r.to) {
		r.nowLine = canvas.NewRectangle(theme.Color(theme.ColorNameError))
		r.objects = append(r.objects, r.nowLine)
	}
	if r.emptyBg != nil {
		r.objects = append(r.objects, r.emptyBg, r.empty)
	}
}

func hourLabel(h time.Time) string {
	if clock12 {
		return h.Format("3PM")
	}
	return h.Format("15")
}

// hatch is a diagonal stripe pattern: the timeline's mark for "no data".
func hatch(c color.Color) *canvas.Raster {
	return canvas.NewRasterWithPixels(func(x, y, _, _ int) color.Color {
		if (x+y)%8 < 2 {
			return c
		}
		return color.Transparent
	})
}

func blockTextColor(s calendar.Status, fg color.Color) color.Color {
	switch s {
	case calendar.StatusTentative, calendar.StatusUnknown:
		return fg
	}
	return color.White
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	top := hourLabelHeight()
	pad := theme.Padding()
	r.track.Move(fyne.NewPos(0, top))
	r.track.Resize(fyne.NewSize(size.Width, size.Height-top))
	if r.from.IsZero() {
		return
	}
	span := float32(r.to.Sub(r.from))
	x := func(d time.Time) float32 { return min(max(float32(d.Sub(r.from))/span, 0), 1) * size.Width }
	for i, w := range r.dayLayout.work {
		r.work[i].Move(fyne.NewPos(x(w.Start), top))
		r.work[i].Resize(fyne.NewSize(x(w.End)-x(w.Start), size.Height-top))
	}
	// Label every hour when there is room, else every second or third.
	perHour := size.Width / max(float32(len(r.hours)-1), 1)
	step := 1
	for perHour*float32(step) < fyne.MeasureText("00", theme.CaptionTextSize(), fyne.TextStyle{}).Width*2.2 && step < 6 {
		step++
	}
	for i, label := range r.hours {
		px := r.hourAt[i] * size.Width
		r.ticks[i].Position1 = fyne.NewPos(px, top)
		r.ticks[i].Position2 = fyne.NewPos(px, size.Height)
		w := label.MinSize().Width
		label.Move(fyne.NewPos(min(max(px-w/2, 0), size.Width-w), 0))
		label.Hidden = i%step != 0
	}
	for i, b := range r.blocks {
		x0, x1 := b.from*size.Width, b.to*size.Width
		y := top + float32(b.lane)*laneHeight + 1
		bw := max(x1-x0-1, 2)
		r.rects[i].Move(fyne.NewPos(x0, y))
		r.rects[i].Resize(fyne.NewSize(bw, laneHeight-2))
		if h := r.hatches[i]; h != nil {
			h.Move(fyne.NewPos(x0, y))
			h.Resize(fyne.NewSize(bw, laneHeight-2))
		}
		text := r.texts[i]
		inset := pad
		text.Text = blockText(b, bw-2*inset, text.TextSize)
		if text.Text == "" {
			// A short item (a 30-minute meeting at 960 px) still says what it
			// is: its initial, with less margin.
			inset = 1
			text.Text = blockText(b, bw-2*inset, text.TextSize)
		}
		ts := text.MinSize()
		tx := x0 + pad
		if inset != pad {
			tx = x0 + max((bw-ts.Width)/2, 0) // the initial centred in its block
		}
		text.Move(fyne.NewPos(tx, y+(laneHeight-2-ts.Height)/2))
	}
	if r.unknownH != nil {
		r.unknownH.Move(fyne.NewPos(0, top))
		r.unknownH.Resize(fyne.NewSize(size.Width, size.Height-top))
	}
	if r.empty != nil {
		r.empty.Text = ellipsize(r.empty.Text, size.Width-4*pad, r.empty.TextSize)
		es := r.empty.MinSize()
		at := fyne.NewPos(2*pad, top+(size.Height-top-es.Height)/2)
		r.empty.Move(at)
		if r.emptyBg != nil {
			r.emptyBg.Move(at.SubtractXY(pad, pad/2))
			r.emptyBg.Resize(es.AddWidthHeight(2*pad, pad))
		}
	}
	if r.nowLine != nil {
		r.nowLine.Move(fyne.NewPos(x(r.t.now)-1, top-pad))
		r.nowLine.Resize(fyne.NewSize(2, size.Height-top+pad))
	}
}

// blockText is what a block of width says: its whole label when it fits, else
// the status word whole and as much of the rest as fits ("Busy · Bud…"),
// else the status word alone, else its short form ("Tent."), else that
// form's initial; the whole label shows on hover. A cut status word ("Bus…",
// "Ten…") is never drawn: it reads as nothing in any language.
func blockText(b block, width, size float32) string {
	fits := func(s string) bool { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width <= width }
	if fits(b.label) {
		return b.label
	}
	if fits(b.word) {
		if cut := ellipsize(b.label, width, size); len([]rune(cut)) > len([]rune(b.word+" · ")) {
			return cut
		}
		return b.word
	}
	if fits(b.short) {
		return b.short
	}
	if initial := string([]rune(b.short)[:min(1, len([]rune(b.short)))]); initial != "" && fits(initial) {
		return initial
	}
	return ""
}

// ellipsize cuts s to fit width, ending with "…".
func ellipsize(s string, width, size float32) string {
	style := fyne.TextStyle{}
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	runes := []rune(s)
	for n := len(runes) - 1; n > 0; n-- {
		cut := string(runes[:n]) + "…"
		if fyne.MeasureText(cut, size, style).Width <= width {
			return cut
		}
	}
	return ""
}

func (r *timelineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(200, hourLabelHeight()+float32(max(r.lanes, 1))*laneHeight+2)
}

func (r *timelineRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.t.Size())
	canvas.Refresh(r.t)
}

func (r *timelineRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *timelineRenderer) Destroy()                     {}

// workingHoursLine tells the operator the colleague's hours as they would say
// them, "Works 09:00–17:30", with the same hours on the operator's clock when
// that differs: "Works 09:00–17:30 (15:00–23:30 here)". Days other than Monday
// to Friday are named: "Works Mon–Thu 08:30–13:00". Empty when the colleague
// shares no hours: the timeline then shades what Outlook assumes, but nobody
// is told an hour the colleague never gave.
func workingHoursLine(p calendar.PersonState, day calendar.Window) string {
	wh := p.WorkingHours
	if !p.WorkingHoursShared || wh.IsZero() {
		return ""
	}
	here := day.Start.Location()
	theirs := wh.Location
	if theirs == nil {
		theirs = here
	}
	// Their working day that falls on the day shown, dated by its midday.
	mid := day.Start.Add(day.End.Sub(day.Start) / 2).In(theirs)
	start, end := atWallClock(mid, wh.Start), atWallClock(mid, wh.End)
	hours := clock(start) + "–" + clock(end)
	if days := workingDays(wh.Days); days != "" {
		hours = days + " " + hours
	}
	local := clock(start.In(here)) + "–" + clock(end.In(here))
	if local == clock(start)+"–"+clock(end) {
		return lang.L("Works {{.Hours}}", map[string]any{"Hours": hours})
	}
	return lang.L("Works {{.Hours}} ({{.Here}} here)", map[string]any{"Hours": hours, "Here": local})
}

// atWallClock is d after midnight of t's day on t's clock, so 09:00 stays 09:00
// on a day the clocks change; 24 hours is the next midnight.
func atWallClock(t time.Time, d time.Duration) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, t.Location())
}

// workingDays names working days other than Monday to Friday, Monday first:
// "Mon–Thu" for a run, "Mon, Wed, Fri" otherwise; empty for Monday to Friday.
func workingDays(days []time.Weekday) string {
	var week []time.Weekday // Monday first, each day once
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if slices.Contains(days, d) {
			week = append(week, d)
		}
	}
	if len(week) == 0 {
		return ""
	}
	mondayFirst := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	run := mondayFirst(week[len(week)-1])-mondayFirst(week[0]) == len(week)-1
	switch {
	case run && len(week) == 5 && week[0] == time.Monday:
		return ""
	case run && len(week) > 2:
		return weekdayShort(week[0]) + "–" + weekdayShort(week[len(week)-1])
	}
	names := make([]string, len(week))
	for i, d := range week {
		names[i] = weekdayShort(d)
	}
	return strings.Join(names, ", ")
}
