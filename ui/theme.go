package ui

import (
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// StatusColor pairs with the status words; the words carry the meaning, the
// colour only speeds up the glance (colour-blind operators read the words).
func StatusColor(s calendar.Status) color.Color {
	switch s {
	case calendar.StatusFree:
		return color.NRGBA{R: 0x2e, G: 0x9d, B: 0x4c, A: 0xff}
	case calendar.StatusTentative:
		return color.NRGBA{R: 0xe8, G: 0xa3, B: 0x17, A: 0xff}
	case calendar.StatusBusy:
		return color.NRGBA{R: 0xd1, G: 0x34, B: 0x38, A: 0xff}
	case calendar.StatusOOF:
		return color.NRGBA{R: 0x88, G: 0x3d, B: 0xb8, A: 0xff}
	case calendar.StatusElsewhere:
		return color.NRGBA{R: 0x1f, G: 0x6f, B: 0xc5, A: 0xff}
	}
	return color.NRGBA{R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff}
}

// statusTextColor is the colour a status's words are drawn in: the swatch's
// hue, darker on the light theme and lighter on the dark one, so each reads at
// 4.5:1 or more against the background (WCAG AA for body text). The word is
// always there; the colour only speeds up the glance.
func statusTextColor(s calendar.Status, v fyne.ThemeVariant) color.Color {
	dark := v == theme.VariantDark
	pick := func(light, onDark color.NRGBA) color.Color {
		if dark {
			return onDark
		}
		return light
	}
	switch s {
	case calendar.StatusFree:
		return pick(color.NRGBA{R: 0x17, G: 0x6a, B: 0x2c, A: 0xff}, color.NRGBA{R: 0x5c, G: 0xc9, B: 0x7a, A: 0xff})
	case calendar.StatusTentative:
		return pick(color.NRGBA{R: 0x8a, G: 0x5a, B: 0x00, A: 0xff}, color.NRGBA{R: 0xf0, G: 0xb8, B: 0x40, A: 0xff})
	case calendar.StatusBusy:
		return pick(color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}, color.NRGBA{R: 0xff, G: 0x8f, B: 0x87, A: 0xff})
	case calendar.StatusOOF:
		return pick(color.NRGBA{R: 0x7a, G: 0x2f, B: 0xa8, A: 0xff}, color.NRGBA{R: 0xc7, G: 0x92, B: 0xea, A: 0xff})
	case calendar.StatusElsewhere:
		return pick(color.NRGBA{R: 0x1a, G: 0x5f, B: 0xb4, A: 0xff}, color.NRGBA{R: 0x6c, G: 0xb6, B: 0xff, A: 0xff})
	}
	return pick(color.NRGBA{R: 0x5e, G: 0x5e, B: 0x5e, A: 0xff}, color.NRGBA{R: 0xb0, G: 0xb0, B: 0xb0, A: 0xff})
}

// statusTint is the window's theme with the text in a status's colour.
// Around a status label (container.NewThemeOverride) it tints those words
// and nothing else; set Status and refresh the label when it changes.
type statusTint struct {
	Status calendar.Status
	// OffHours and Soon follow the swatch: slate outside working hours, not
	// the green of free; amber when free time ends within minutes.
	OffHours, Soon bool
}

// set tints for p's status at now, as statusSwatch colours it.
func (t *statusTint) set(p calendar.PersonState, now time.Time) {
	t.Status = p.Status
	_, t.OffHours = p.OffHours(now)
	t.Soon = !t.OffHours && calendar.StatusPhrase(p, now).Soon()
}

func (t *statusTint) text(v fyne.ThemeVariant) color.Color {
	dark := v == theme.VariantDark
	switch {
	case t.OffHours && dark:
		return color.NRGBA{R: 0x9f, G: 0xb0, B: 0xc6, A: 0xff}
	case t.OffHours:
		return color.NRGBA{R: 0x4d, G: 0x5d, B: 0x70, A: 0xff}
	case t.Soon && dark:
		return color.NRGBA{R: 0xff, G: 0xa9, B: 0x4d, A: 0xff}
	case t.Soon:
		return color.NRGBA{R: 0x9a, G: 0x4d, B: 0x00, A: 0xff}
	}
	return statusTextColor(t.Status, v)
}

func (t *statusTint) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t *statusTint) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return t.text(shownVariant(t.base(), v))
	}
	return t.base().Color(n, v)
}

func (t *statusTint) Font(s fyne.TextStyle) fyne.Resource     { return t.base().Font(s) }
func (t *statusTint) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }
func (t *statusTint) Size(n fyne.ThemeSizeName) float32       { return t.base().Size(n) }

// shownVariant is the variant th draws in: the operator's fixed choice of
// light or dark wins over the system's v.
func shownVariant(th fyne.Theme, v fyne.ThemeVariant) fyne.ThemeVariant {
	if ct, ok := th.(*consoleTheme); ok && ct.variant != nil {
		return *ct.variant
	}
	return v
}

// The demo banner is dark text on amber in both themes (contrast about 11:1).
var (
	demoBannerColor = color.NRGBA{R: 0xff, G: 0xb9, B: 0x00, A: 0xff}
	demoBannerText  = color.NRGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
)

// ThemeChoice is the operator's choice of light or dark, or the system's.
type ThemeChoice string

const (
	ThemeSystem ThemeChoice = "system"
	ThemeLight  ThemeChoice = "light"
	ThemeDark   ThemeChoice = "dark"
)

// themePreference is the Fyne preferences key for the choice (not a secret).
const themePreference = "theme"

// ThemeChoices are the choices Settings offers, in order.
func ThemeChoices() []ThemeChoice { return []ThemeChoice{ThemeSystem, ThemeLight, ThemeDark} }

// ThemeChoiceLabel is how Settings names a choice.
func ThemeChoiceLabel(c ThemeChoice) string {
	switch c {
	case ThemeLight:
		return lang.L("Light")
	case ThemeDark:
		return lang.L("Dark")
	}
	return lang.L("Follow the system")
}

// CurrentThemeChoice is the stored choice, or ThemeSystem.
func CurrentThemeChoice(a fyne.App) ThemeChoice {
	return storedChoice(a.Preferences(), themePreference, ThemeSystem, ThemeChoices())
}

// storedChoice reads a choice kept in Fyne's preferences; a value it does not
// know (an older or newer Frontdesk's, or an edit) reads as fallback.
func storedChoice[T ~string](p fyne.Preferences, key string, fallback T, choices []T) T {
	if c := T(p.StringWithFallback(key, string(fallback))); slices.Contains(choices, c) {
		return c
	}
	return fallback
}

// SetThemeChoice stores the choice and applies it at once.
func SetThemeChoice(a fyne.App, c ThemeChoice) {
	a.Preferences().SetString(themePreference, string(c))
	applyTheme(a, c)
}

func applyTheme(a fyne.App, c ThemeChoice) {
	t := &consoleTheme{}
	switch c {
	case ThemeLight:
		v := theme.VariantLight
		t.variant = &v
	case ThemeDark:
		v := theme.VariantDark
		t.variant = &v
	}
	a.Settings().SetTheme(t)
}

// consoleTheme is Fyne's theme with a focus colour strong enough to find from
// across a desk, and an optional fixed variant (nil follows the system).
type consoleTheme struct {
	variant *fyne.ThemeVariant
}

func (t *consoleTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	switch n {
	case theme.ColorNameFocus:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x5a, G: 0xa9, B: 0xff, A: 0xcc}
		}
		return color.NRGBA{R: 0x0b, G: 0x5c, B: 0xd6, A: 0xcc}
	case theme.ColorNameSelection:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x5a, G: 0xa9, B: 0xff, A: 0x40}
		}
		return color.NRGBA{R: 0x0b, G: 0x5c, B: 0xd6, A: 0x2a}
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t *consoleTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (t *consoleTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (t *consoleTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }
