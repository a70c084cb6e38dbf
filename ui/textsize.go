package ui

import (
	"math"
	"os"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// TextSize is the operator's choice of how large the whole window draws: text,
// rows, timeline and buttons grow together, as Fyne's own scale does, so
// nothing is clipped. Someone reading names all day from an arm's length away
// should not need an administrator for it.
type TextSize string

const (
	TextNormal TextSize = "normal"
	TextLarge  TextSize = "large"
	TextLarger TextSize = "larger"
)

// textSizePreference is the Fyne preferences key for the choice (not a secret).
const textSizePreference = "text.size"

// fyneScaleVariable is the variable Fyne reads its scale from each time a
// window works its scale out (on start and on every settings change).
const fyneScaleVariable = "FYNE_SCALE"

// startScale is FYNE_SCALE as the desktop started Frontdesk: the text size
// multiplies it rather than replacing it.
var startScale = os.Getenv(fyneScaleVariable)

// TextSizes are the choices Settings offers, in order.
func TextSizes() []TextSize { return []TextSize{TextNormal, TextLarge, TextLarger} }

// TextSizeLabel is how Settings names a choice.
func TextSizeLabel(s TextSize) string {
	switch s {
	case TextLarge:
		return lang.L("Large")
	case TextLarger:
		return lang.L("Larger")
	}
	return lang.L("Normal")
}

func textSizeFactor(s TextSize) float64 {
	switch s {
	case TextLarge:
		return 1.2
	case TextLarger:
		return 1.4
	}
	return 1
}

// CurrentTextSize is the stored choice, or TextNormal.
func CurrentTextSize(a fyne.App) TextSize {
	return storedChoice(a.Preferences(), textSizePreference, TextNormal, TextSizes())
}

// SetTextSize stores the choice and redraws every window at the new size.
// Each window keeps its size on screen, as a browser's zoom does: the content
// grows inside it, so a window never grows past the screen's edge and a
// dialog's buttons stay in reach. Call it on the Fyne goroutine.
func SetTextSize(a fyne.App, s TextSize) {
	if s == CurrentTextSize(a) {
		return
	}
	// The sizes to keep are taken once, as they are at normal text size, and
	// the windows are sized back to them after the events of the rescale: a
	// key held down (Ctrl and +) changes the size faster than those come.
	first := windowsToKeep == nil
	if first {
		windowsToKeep = map[fyne.Window]fyne.Size{}
		for _, w := range a.Driver().AllWindows() {
			windowsToKeep[w] = atNormalTextSize(w.Canvas().Size(), CurrentTextSize(a))
		}
	}
	a.Preferences().SetString(textSizePreference, string(s))
	applyTextSize(s)
	// Setting the theme again is the settings change on which Fyne's windows
	// work their scale out anew and resize for it.
	applyTheme(a, CurrentThemeChoice(a))
	if first {
		fyne.Do(func() {
			now := CurrentTextSize(a)
			// Only windows still open: one closed meanwhile has no view to size.
			for _, w := range a.Driver().AllWindows() {
				if size, ok := windowsToKeep[w]; ok {
					w.Resize(atTextSize(size, now))
				}
			}
			windowsToKeep = nil
		})
	}
}

// windowsToKeep are the windows whose size on screen a text size change is
// keeping, at normal text size; nil when none is under way. Fyne goroutine only.
var windowsToKeep map[fyne.Window]fyne.Size

// stepTextSize moves the text size one choice up (1) or down (-1), stopping
// at either end.
func stepTextSize(a fyne.App, step int) {
	sizes := TextSizes()
	i := slices.Index(sizes, CurrentTextSize(a)) + step
	if i < 0 || i >= len(sizes) {
		return
	}
	SetTextSize(a, sizes[i])
}

// atTextSize is the size in Fyne units that shows as size does at normal
// text size.
func atTextSize(size fyne.Size, s TextSize) fyne.Size {
	f := float32(textSizeFactor(s))
	return fyne.NewSize(size.Width/f, size.Height/f)
}

// atNormalTextSize undoes atTextSize.
func atNormalTextSize(size fyne.Size, s TextSize) fyne.Size {
	f := float32(textSizeFactor(s))
	return fyne.NewSize(size.Width*f, size.Height*f)
}

func applyTextSize(s TextSize) {
	if value, ok := fyneScale(startScale, s); ok {
		_ = os.Setenv(fyneScaleVariable, value)
	} else {
		_ = os.Unsetenv(fyneScaleVariable)
	}
}

// fyneScale is FYNE_SCALE for text size s over the desktop's own value
// (start, "" when unset). ok is false when the variable should stay unset:
// normal size and nothing from the desktop, so Fyne's own settings decide.
func fyneScale(start string, s TextSize) (value string, ok bool) {
	base := 1.0
	if v, err := strconv.ParseFloat(start, 64); err == nil && v > 0 {
		base = v
	} else if s == TextNormal {
		return start, start != ""
	}
	return strconv.FormatFloat(math.Round(base*textSizeFactor(s)*100)/100, 'f', -1, 64), true
}
