package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

var hasDigit = regexp.MustCompile(`\d`)

// What the operator reads out (numbers, "until" times, next free, the day's
// times) is never cut at 960x640, at every text size and in every language:
// issue 21 found "+1 555 700…", "Beschäftigt bis 12:…" and a mobile shown as
// "…" at Larger. Texts with a digit in the details and the day, and the
// status in the list's rows, must be drawn whole and inside the window; the
// pane may scroll down to them.
func TestNumbersAndTimesAreNeverCut(t *testing.T) {
	snap := demoSnapshot(t)
	people := readOutPeople(t, snap)
	for _, language := range []string{"en_US.UTF-8", "it_IT.UTF-8", "de_DE.UTF-8"} {
		for _, ts := range TextSizes() {
			t.Run(fmt.Sprintf("%s %v", language[:2], ts), func(t *testing.T) {
				inLanguage(t, language)
				size := atTextSize(fyne.NewSize(960, 640), ts)
				for _, name := range people {
					c, w := newTestConsole(t, true)
					w.Resize(size)
					c.Apply(snap)
					test.Type(c.search, name)
					c.open()
					test.LaidOutObjects(w.Canvas().Content())
					for _, cut := range cutReadOuts(c, size) {
						t.Errorf("%s: %s", name, cut)
					}
				}
			})
		}
	}
}

// readOutPeople are colleagues whose details carry the most to read out: busy
// in a meeting, out of office, and the fullest day.
func readOutPeople(t *testing.T, snap calendar.Snapshot) []string {
	t.Helper()
	var busy, away, full string
	most := 0
	for _, p := range snap.People {
		if busy == "" && p.Status == calendar.StatusBusy && p.Current != nil && p.Current.Subject != "" {
			busy = p.Person.Name
		}
		if away == "" && p.Status == calendar.StatusOOF {
			away = p.Person.Name
		}
		if n := len(p.DaySlots()); n > most && p.Person.MobilePhone != "" {
			full, most = p.Person.Name, n
		}
	}
	if busy == "" || away == "" || full == "" {
		t.Fatalf("the demo has no busy (%q), away (%q) or full day (%q)", busy, away, full)
	}
	return []string{busy, away, full}
}

// cutReadOuts lists each text with a digit in the details (and each row's
// status) that is drawn cut or outside the window.
func cutReadOuts(c *Console, size fyne.Size) []string {
	var cuts []string
	check := func(o fyne.CanvasObject, text string) {
		if !o.Visible() || !hasDigit.MatchString(text) {
			return
		}
		drawn, outside := drawnText(o, c, size)
		if squeeze(drawn) != squeeze(text) {
			cuts = append(cuts, fmt.Sprintf("%q is drawn as %q", text, drawn))
		} else if outside {
			cuts = append(cuts, fmt.Sprintf("%q runs outside the window", text))
		}
	}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *widget.Label:
			check(v, v.Text)
			return
		case *fullTextLabel:
			check(v, v.Text)
			return
		case *detailText:
			check(v, v.Text)
			return
		case *fyne.Container:
			for _, ch := range v.Objects {
				walk(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(v).Objects() {
				walk(ch)
			}
		}
	}
	walk(c.detail.root)
	for _, o := range test.LaidOutObjects(c.list) {
		if r, ok := o.(*row); ok && r.Visible() && r.key != "" {
			check(r.status, r.status.Text)
		}
	}
	return cuts
}

// drawnText is what o draws, its lines joined, and whether any of it lies
// outside the window's width.
func drawnText(o fyne.CanvasObject, c *Console, size fyne.Size) (string, bool) {
	var parts []string
	outside := false
	origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		switch v := o.(type) {
		case *canvas.Text:
			if v.Text != "" {
				parts = append(parts, v.Text)
				if pos.X < -0.5 || pos.X+v.MinSize().Width > size.Width+0.5 {
					outside = true
				}
			}
		case *fyne.Container:
			for _, ch := range v.Objects {
				walk(ch, pos)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(v).Objects() {
				walk(ch, pos)
			}
		}
	}
	walk(o, origin.Subtract(o.Position()))
	return strings.Join(parts, " "), outside
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// Each block of the day says what it is at 960x640, at every text size and
// in every language: its whole label, or its status word whole and as much of
// the rest as fits, or for a 30-minute item at least the translated short
// status word ("Tent.", "Vorb.") or its initial, and the whole label on
// hover. A cut
// status word ("Bus…", "Ten…") or a bare square, as issue 21 found, fails.
func TestTimelineBlocksSayWhatTheyAre(t *testing.T) {
	snap := demoSnapshot(t)
	people := []string{"Elena Eriksen", "Dmitri Fontaine", "Ada Abbott"}
	for _, language := range []string{"en_US.UTF-8", "it_IT.UTF-8", "de_DE.UTF-8"} {
		for _, ts := range TextSizes() {
			t.Run(fmt.Sprintf("%s %v", language[:2], ts), func(t *testing.T) {
				inLanguage(t, language)
				size := atTextSize(fyne.NewSize(960, 640), ts)
				short := 0
				for _, name := range people {
					c, w := newTestConsole(t, true)
					w.Resize(size)
					c.Apply(snap)
					test.Type(c.search, name)
					c.open()
					test.LaidOutObjects(w.Canvas().Content())
					r := test.WidgetRenderer(c.detail.timeline).(*timelineRenderer)
					if len(r.blocks) == 0 {
						t.Fatalf("%s: no blocks in the day", name)
					}
					for i, b := range r.blocks {
						if b.slot.End.Sub(b.slot.Start) <= 30*time.Minute {
							short++
						}
						tl := c.detail.timeline
						middle := fyne.NewPos((b.from+b.to)/2*tl.Size().Width, hourLabelHeight()+(float32(b.lane)+0.5)*laneHeight)
						if hover := tl.labelAt(middle); !strings.HasSuffix(hover, b.label) {
							t.Errorf("%s: hovering the block %q shows %q", name, b.label, hover)
						}
						got := r.texts[i].Text
						status := statusWord(b.slot.Status)
						if b.slot.Status == calendar.StatusUnknown {
							status = lang.L("No data")
						}
						short := []rune(slotShort(b.slot))
						switch {
						case got == b.label:
						case got == status, strings.HasPrefix(got, status+" · ") && strings.HasSuffix(got, "…"):
						case got == string(short), got == string(short[:1]):
						default:
							t.Errorf("%s: the block %q (%v) says %q", name, b.label, b.slot.End.Sub(b.slot.Start), got)
						}
					}
				}
				if short == 0 {
					t.Fatal("no 30-minute item was checked")
				}
			})
		}
	}
}
