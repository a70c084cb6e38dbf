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

// The status's words are drawn in colours the console's theme resolves by
// these names, in the variant on show. A name, not a container.ThemeOverride
// around each status: Fyne 2.8 gives every override, and every refresh of
// one (each theme or text size change), a font cache of its own, so the
// fonts were parsed again for each row (about 8 MB of the 5,000-person
// console's heap) and never freed.
const (
	colorNameStatusFree      fyne.ThemeColorName = "frontdesk.status.free"
	colorNameStatusTentative fyne.ThemeColorName = "frontdesk.status.tentative"
	colorNameStatusBusy      fyne.ThemeColorName = "frontdesk.status.busy"
	colorNameStatusOOF       fyne.ThemeColorName = "frontdesk.status.oof"
	colorNameStatusElsewhere fyne.ThemeColorName = "frontdesk.status.elsewhere"
	colorNameStatusUnknown   fyne.ThemeColorName = "frontdesk.status.unknown"
	// Off hours and soon follow the swatch: slate outside working hours,
	// not the green of free; amber when free time ends within minutes.
	colorNameStatusOffHours fyne.ThemeColorName = "frontdesk.status.offhours"
	colorNameStatusSoon     fyne.ThemeColorName = "frontdesk.status.soon"
)

// statusColorName names the colour of a status's words.
func statusColorName(s calendar.Status) fyne.ThemeColorName {
	switch s {
	case calendar.StatusFree:
		return colorNameStatusFree
	case calendar.StatusTentative:
		return colorNameStatusTentative
	case calendar.StatusBusy:
		return colorNameStatusBusy
	case calendar.StatusOOF:
		return colorNameStatusOOF
	case calendar.StatusElsewhere:
		return colorNameStatusElsewhere
	}
	return colorNameStatusUnknown
}

// statusTint names the colour p's status is drawn in at now, as
// statusSwatch colours it.
func statusTint(p calendar.PersonState, now time.Time) fyne.ThemeColorName {
	if _, off := p.OffHours(now); off {
		return colorNameStatusOffHours
	}
	if calendar.StatusPhrase(p, now).Soon() {
		return colorNameStatusSoon
	}
	return statusColorName(p.Status)
}

// statusNamedColor is the colour n names in variant v, if n is a status
// colour: the swatch's hue, darker on the light theme and lighter on the
// dark one, so the words read at 4.5:1 or more against the background (WCAG
// AA for body text). The word is always there; the colour only speeds up
// the glance.
func statusNamedColor(n fyne.ThemeColorName, v fyne.ThemeVariant) (color.Color, bool) {
	var light, dark color.NRGBA
	switch n {
	case colorNameStatusFree:
		light, dark = color.NRGBA{R: 0x17, G: 0x6a, B: 0x2c, A: 0xff}, color.NRGBA{R: 0x5c, G: 0xc9, B: 0x7a, A: 0xff}
	case colorNameStatusTentative:
		light, dark = color.NRGBA{R: 0x8a, G: 0x5a, B: 0x00, A: 0xff}, color.NRGBA{R: 0xf0, G: 0xb8, B: 0x40, A: 0xff}
	case colorNameStatusBusy:
		light, dark = color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}, color.NRGBA{R: 0xff, G: 0x8f, B: 0x87, A: 0xff}
	case colorNameStatusOOF:
		light, dark = color.NRGBA{R: 0x7a, G: 0x2f, B: 0xa8, A: 0xff}, color.NRGBA{R: 0xc7, G: 0x92, B: 0xea, A: 0xff}
	case colorNameStatusElsewhere:
		light, dark = color.NRGBA{R: 0x1a, G: 0x5f, B: 0xb4, A: 0xff}, color.NRGBA{R: 0x6c, G: 0xb6, B: 0xff, A: 0xff}
	case colorNameStatusUnknown:
		light, dark = color.NRGBA{R: 0x5e, G: 0x5e, B: 0x5e, A: 0xff}, color.NRGBA{R: 0xb0, G: 0xb0, B: 0xb0, A: 0xff}
	case colorNameStatusOffHours:
		light, dark = color.NRGBA{R: 0x4d, G: 0x5d, B: 0x70, A: 0xff}, color.NRGBA{R: 0x9f, G: 0xb0, B: 0xc6, A: 0xff}
	case colorNameStatusSoon:
		light, dark = color.NRGBA{R: 0x9a, G: 0x4d, B: 0x00, A: 0xff}, color.NRGBA{R: 0xff, G: 0xa9, B: 0x4d, A: 0xff}
	default:
		return nil, false
	}
	if v == theme.VariantDark {
		return dark, true
	}
	return light, true
}

// withStatusColours is a theme that is not the console's (a test's, an
// embedding program's) with the status colours added, so a status is never
// drawn in a colour its theme does not know.
type withStatusColours struct{ fyne.Theme }

func (t withStatusColours) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := statusNamedColor(n, v); ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// ensureStatusColours gives the app's theme the status colours if it lacks
// them. The console's own theme has them; Run and every change of theme or
// text size set that one.
func ensureStatusColours() {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	switch th := a.Settings().Theme().(type) {
	case *consoleTheme, withStatusColours:
	default:
		a.Settings().SetTheme(withStatusColours{th})
	}
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
	if c, ok := statusNamedColor(n, v); ok {
		return c
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
