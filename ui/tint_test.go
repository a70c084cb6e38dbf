package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
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

// The status words are drawn in the status's colour, readable in both
// themes: at least 4.5:1 against the background (WCAG AA for body text), also
// on a selected row (issue 21: only a 6 px bar carried the colour).
func TestStatusTintReadsInBothThemes(t *testing.T) {
	tints := map[string]statusTint{"off hours": {Status: calendar.StatusFree, OffHours: true}, "free soon": {Status: calendar.StatusFree, Soon: true}}
	for _, s := range []calendar.Status{calendar.StatusFree, calendar.StatusTentative, calendar.StatusBusy,
		calendar.StatusOOF, calendar.StatusElsewhere, calendar.StatusUnknown} {
		tints[s.String()] = statusTint{Status: s}
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := &consoleTheme{variant: &v}
		bg := th.Color(theme.ColorNameBackground, v)
		selected := over(th.Color(theme.ColorNameSelection, v), bg)
		for name, tint := range tints {
			t.Run(name, func(t *testing.T) {
				fg := tint.text(v)
				if fg == th.Color(theme.ColorNameForeground, v) {
					t.Errorf("variant %d: %s is drawn in the plain text colour", v, name)
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

// In the list and in the details the status keeps its words and is drawn in
// its colour: never the colour alone, never the words alone.
func TestStatusWordsAreTintedInRowAndDetails(t *testing.T) {
	for _, s := range []calendar.Status{calendar.StatusFree, calendar.StatusBusy, calendar.StatusTentative, calendar.StatusOOF} {
		t.Run(s.String(), func(t *testing.T) {
			c, w := newTestConsole(t, true)
			c.Apply(demoSnapshot(t))
			key := pickStatus(t, c, s)
			for _, p := range c.snap.People {
				if p.Person.Key() == key {
					c.search.SetText(p.Person.Name) // its row on screen
				}
			}
			r := rowOf(t, w.Canvas(), key)
			v := fyne.CurrentApp().Settings().ThemeVariant()
			want := statusTextColor(s, v)
			for where, l := range map[string]interface {
				Theme() fyne.Theme
			}{"row": r.status, "details": c.detail.status} {
				if got := l.Theme().Color(theme.ColorNameForeground, v); got != want && !r.tint.OffHours && !r.tint.Soon {
					t.Errorf("%s: the status is drawn in %v, want %v", where, got, want)
				}
			}
			if r.status.Text == "" || c.detail.status.Text == "" {
				t.Errorf("the status words are missing: row %q, details %q", r.status.Text, c.detail.status.Text)
			}
		})
	}
}
