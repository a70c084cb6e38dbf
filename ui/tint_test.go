package ui

import (
	"image/color"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// relativeLuminance is WCAG 2's, of an opaque colour.
func relativeLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// statusColourNames are every colour a status's words are drawn in.
var statusColourNames = map[string]fyne.ThemeColorName{
	"free": colorNameStatusFree, "tentative": colorNameStatusTentative, "busy": colorNameStatusBusy,
	"oof": colorNameStatusOOF, "elsewhere": colorNameStatusElsewhere, "unknown": colorNameStatusUnknown,
	"off hours": colorNameStatusOffHours, "free soon": colorNameStatusSoon,
}

// The status words are drawn in the status's colour, readable in both
// themes: at least 4.5:1 against the background (WCAG AA for body text), also
// on a selected row (issue 21: only a 6 px bar carried the colour). The
// colours are the console theme's, as the window asks for them by name.
func TestStatusTintReadsInBothThemes(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := &consoleTheme{variant: &v}
		bg := th.Color(theme.ColorNameBackground, v)
		selected := over(th.Color(theme.ColorNameSelection, v), bg)
		for name, n := range statusColourNames {
			t.Run(name, func(t *testing.T) {
				fg := th.Color(n, v)
				if fg == nil || fg == th.Color(theme.ColorNameForeground, v) {
					t.Fatalf("variant %d: %s is drawn in %v, not a colour of its own", v, name, fg)
				}
				if _, _, _, a := fg.RGBA(); a != 0xffff {
					t.Errorf("variant %d: %s is not opaque", v, name)
				}
				for where, back := range map[string]color.Color{"background": bg, "selected row": selected} {
					if c := contrast(fg, back); c < 4.5 {
						t.Errorf("variant %d: %s on the %s: contrast %.2f:1, want 4.5:1 or more", v, name, where, c)
					}
				}
			})
		}
	}
}

// over is c drawn over an opaque back.
func over(c, back color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(back).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 0xff}
}

// drawnColour is the colour the text of o is drawn in on screen.
func drawnColour(t *testing.T, o fyne.CanvasObject) color.Color {
	t.Helper()
	var got color.Color
	walkObjects(o, func(o fyne.CanvasObject) {
		if tx, ok := o.(*canvas.Text); ok && got == nil && tx.Text != "" {
			got = tx.Color
		}
	})
	if got == nil {
		t.Fatal("no text drawn")
	}
	return got
}

// In the list and in the details the status keeps its words and is drawn in
// its colour, in the light and the dark theme at every text size: never the
// colour alone, never the words alone.
func TestStatusWordsAreTintedInRowAndDetails(t *testing.T) {
	t.Setenv(fyneScaleVariable, "")
	saved := startScale
	startScale = ""
	t.Cleanup(func() { startScale = saved })
	for _, s := range []calendar.Status{calendar.StatusFree, calendar.StatusBusy, calendar.StatusTentative, calendar.StatusOOF} {
		t.Run(s.String(), func(t *testing.T) {
			c, w := newTestConsole(t, true)
			c.Apply(demoSnapshot(t))
			key := pickStatus(t, c, s)
			var person calendar.PersonState
			for _, p := range c.snap.People {
				if p.Person.Key() == key {
					person = *p
					c.search.SetText(p.Person.Name) // its row on screen
				}
			}
			tint := statusTint(person, c.opts.Now())
			if tint != statusColorName(s) {
				t.Fatalf("%s at 10:00 is tinted %s, want the status's own colour", key, tint)
			}
			a := fyne.CurrentApp()
			drawn := map[ThemeChoice]color.Color{}
			for _, choice := range []ThemeChoice{ThemeLight, ThemeDark} {
				for _, size := range TextSizes() {
					SetThemeChoice(a, choice)
					SetTextSize(a, size)
					v := map[ThemeChoice]fyne.ThemeVariant{ThemeLight: theme.VariantLight, ThemeDark: theme.VariantDark}[choice]
					want, _ := statusNamedColor(tint, v)
					r := rowOf(t, w.Canvas(), key)
					for where, l := range map[string]*tintedLabel{"row": r.status, "details": c.detail.status} {
						got := drawnColour(t, l)
						if got != want {
							t.Errorf("%s, %s text, %s: the status is drawn in %v, want %v", choice, size, where, got, want)
						}
						drawn[choice] = got
						if l.Text == "" {
							t.Errorf("%s: the status words are missing", where)
						}
					}
				}
			}
			if drawn[ThemeLight] == drawn[ThemeDark] {
				t.Errorf("the status is drawn in %v in both themes, want a colour for each", drawn[ThemeLight])
			}
		})
	}
}

// The status colour costs no font cache of its own: no row and not the
// details wrap their status in a container.ThemeOverride, also after the
// theme and the text size have changed. Fyne 2.8 parses the fonts again for
// each override and for each refresh of one, and never frees them: with
// 5,000 colleagues about 8 MB of the heap, and every text size change added
// more (issue 24: memory).
func TestNoThemeOverrideAroundTheStatus(t *testing.T) {
	t.Setenv(fyneScaleVariable, "")
	saved := startScale
	startScale = ""
	t.Cleanup(func() { startScale = saved })
	c, w := newTestConsole(t, true)
	c.Apply(demoSnapshot(t))
	pickStatus(t, c, calendar.StatusBusy) // the details on show
	a := fyne.CurrentApp()
	check := func(when string) {
		t.Helper()
		rows, overrides := 0, 0
		walkObjects(w.Canvas().Content(), func(o fyne.CanvasObject) {
			switch o.(type) {
			case *row:
				rows++
			case *container.ThemeOverride:
				overrides++
			}
		})
		if rows == 0 || !c.detail.body.Visible() {
			t.Fatalf("%s: %d rows on screen, details shown %v", when, rows, c.detail.body.Visible())
		}
		if overrides != 0 {
			t.Errorf("%s: %d theme overrides in the window (%d rows), want none", when, overrides, rows)
		}
	}
	check("at start")
	for _, choice := range []ThemeChoice{ThemeDark, ThemeLight, ThemeSystem} {
		SetThemeChoice(a, choice)
		SetTextSize(a, TextLarger)
		SetTextSize(a, TextNormal)
	}
	check("after theme and text size changes")
}

// A status cut in a narrow row ends in an ellipsis, keeps its colour, and
// shows in full while the pointer rests on it, as the other row texts do.
func TestTintedStatusShowsInFullOnHover(t *testing.T) {
	tests := []struct {
		text    string
		wantCut bool
	}{
		{"Out of office until Mon 30 Nov · Annual leave", true},
		{"Free", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			test.NewTempApp(t)
			tips := newTipLayer()
			l := newTintedLabel(tips, fyne.TextStyle{Bold: true})
			l.Truncation = fyne.TextTruncateEllipsis
			l.set(tt.text, fyne.TextStyle{Bold: true}, colorNameStatusOOF)
			w := test.NewTempWindow(t, container.NewStack(container.NewVBox(l), tips.root))
			w.Resize(fyne.NewSize(120, 200))
			l.Resize(fyne.NewSize(120, l.MinSize().Height))
			want, _ := statusNamedColor(colorNameStatusOOF, fyne.CurrentApp().Settings().ThemeVariant())
			if got := drawnColour(t, l); got != want {
				t.Errorf("drawn in %v, want %v", got, want)
			}
			var drawn string
			walkObjects(l, func(o fyne.CanvasObject) {
				if tx, ok := o.(*canvas.Text); ok {
					drawn += tx.Text
				}
			})
			if cut := strings.HasSuffix(drawn, "…"); cut != tt.wantCut {
				t.Errorf("drawn %q, cut %v, want %v", drawn, cut, tt.wantCut)
			}
			l.MouseIn(&desktop.MouseEvent{})
			if shown := tips.box.Visible(); shown != tt.wantCut {
				t.Fatalf("tip shown %v, want %v", shown, tt.wantCut)
			}
			if tt.wantCut && tips.text.Text != tt.text {
				t.Errorf("the tip reads %q, want %q", tips.text.Text, tt.text)
			}
			l.MouseOut()
			if tips.box.Visible() {
				t.Error("tip still shown after the pointer left")
			}
		})
	}
}

// BenchmarkTextSizeChange holds what one text size change costs the demo
// console, drawn after each: live-KiB/change is the live heap kept after a
// collection, per change (Fyne 2.8.1 parses the fonts again at every change
// and its shaper keeps a plan per font face it has seen; with a theme
// override around each status, every row added its own fonts on top).
func BenchmarkTextSizeChange(b *testing.B) {
	b.Setenv(fyneScaleVariable, "")
	saved := startScale
	startScale = ""
	b.Cleanup(func() { startScale = saved })
	a := test.NewTempApp(b)
	c := NewConsole(Options{Demo: true, Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, paris) }})
	b.Cleanup(c.search.stopIdle)
	w := test.NewTempWindow(b, c.Content())
	w.Resize(fyne.NewSize(900, 600))
	c.Apply(bigSnapshot(b, 1_000))
	w.Canvas().Capture()
	live := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	start := live()
	b.ResetTimer()
	for i := range b.N {
		SetTextSize(a, TextSizes()[(i+1)%2]) // large, normal, large, …
		w.Canvas().Capture()
	}
	b.StopTimer()
	b.ReportMetric(float64(int64(live())-int64(start))/1024/float64(b.N), "live-KiB/change")
}
