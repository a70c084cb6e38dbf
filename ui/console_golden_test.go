package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// pickStatus selects the first colleague (in snapshot order) whose status is s
// and returns their key.
func pickStatus(t *testing.T, c *Console, s calendar.Status) string {
	t.Helper()
	for _, p := range c.snap.People {
		if p.Status == s {
			c.chosen = p.Person.Key()
			c.filter(false)
			return c.chosen
		}
	}
	t.Fatalf("nobody is %v in the demo at Monday 10:00", s)
	return ""
}

// The details an operator reads for each status, and for a calendar that
// cannot be read, with presence in words next to the calendar status.
func TestDetailsOfEachStatusGolden(t *testing.T) {
	for _, s := range []calendar.Status{calendar.StatusFree, calendar.StatusTentative, calendar.StatusBusy,
		calendar.StatusOOF, calendar.StatusElsewhere, calendar.StatusUnknown} {
		t.Run(s.String(), func(t *testing.T) {
			c, w := newTestConsole(t, true)
			c.Apply(demoSnapshot(t))
			pickStatus(t, c, s)
			test.AssertRendersToMarkup(t, fmt.Sprintf("details_%s.xml", s), w.Canvas())
		})
	}
}

func TestPresenceShownGolden(t *testing.T) {
	c, _ := newTestConsole(t, false)
	c.Apply(demoSnapshot(t))
	pickStatus(t, c, calendar.StatusBusy)
	if c.detail.presence.Text == "" || c.detail.presence.Hidden {
		t.Fatal("no presence shown for a busy colleague in the demo")
	}
	test.AssertObjectRendersToMarkup(t, "details_presence.xml", c.detail.root)
}

func TestConsoleListGolden(t *testing.T) {
	tests := []struct {
		name  string
		setup func(c *Console)
	}{
		{"no_matches", func(c *Console) { c.search.SetText("nobody-here") }},
		{"favourites_on_top", func(c *Console) {
			c.toggleFavouriteOf("tara.holm@demo.example")
			c.toggleFavouriteOf("olga.castillo@demo.example")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, w := newTestConsole(t, true)
			c.Apply(demoSnapshot(t))
			tt.setup(c)
			test.AssertRendersToMarkup(t, "console_"+tt.name+".xml", w.Canvas())
		})
	}
}

// Light and dark with the console's theme: the demo banner keeps its dark text
// on amber in both, and the focus colour is the console's own.
func TestThemesGolden(t *testing.T) {
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		name := map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[variant]
		t.Run(name, func(t *testing.T) {
			c, w := newTestConsole(t, true)
			v := variant
			fyne.CurrentApp().Settings().SetTheme(&consoleTheme{variant: &v})
			c.Apply(demoSnapshot(t))
			c.search.SetText("dmitri")
			test.AssertRendersToMarkup(t, "console_theme_"+name+".xml", w.Canvas())
		})
	}
}
