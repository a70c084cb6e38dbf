package ui

import (
	"math"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestFyneScaleForEachTextSize(t *testing.T) {
	tests := []struct {
		start     string
		size      TextSize
		wantValue string
		wantSet   bool
	}{
		{"", TextNormal, "", false}, // Fyne's own settings decide
		{"", TextLarge, "1.2", true},
		{"", TextLarger, "1.4", true},
		{"1.5", TextNormal, "1.5", true}, // the desktop's scale stays
		{"1.5", TextLarge, "1.8", true},
		{"2", TextLarger, "2.8", true},
		{"auto", TextNormal, "auto", true},
		{"auto", TextLarge, "1.2", true},
		{"nonsense", TextLarger, "1.4", true},
	}
	for _, tt := range tests {
		t.Run(tt.start+"/"+string(tt.size), func(t *testing.T) {
			value, set := fyneScale(tt.start, tt.size)
			if value != tt.wantValue || set != tt.wantSet {
				t.Errorf("fyneScale(%q, %s) = %q, %v; want %q, %v", tt.start, tt.size, value, set, tt.wantValue, tt.wantSet)
			}
		})
	}
}

func TestTextSizeIsStoredAndApplied(t *testing.T) {
	a := test.NewTempApp(t)
	t.Setenv(fyneScaleVariable, "")
	saved := startScale
	startScale = ""
	t.Cleanup(func() { startScale = saved })

	if got := CurrentTextSize(a); got != TextNormal {
		t.Fatalf("first start: %s, want normal", got)
	}
	SetTextSize(a, TextLarger)
	if got := CurrentTextSize(a); got != TextLarger {
		t.Errorf("stored %s, want larger", got)
	}
	if got := os.Getenv(fyneScaleVariable); got != "1.4" {
		t.Errorf("FYNE_SCALE = %q, want 1.4", got)
	}
	SetTextSize(a, TextNormal)
	if got, set := os.LookupEnv(fyneScaleVariable); set {
		t.Errorf("FYNE_SCALE = %q after going back to normal, want it unset", got)
	}
	a.Preferences().SetString(textSizePreference, "enormous")
	if got := CurrentTextSize(a); got != TextNormal {
		t.Errorf("a stored value Frontdesk does not know reads %s, want normal", got)
	}
}

// A window keeps its size on screen when the text size changes: its size in
// Fyne units shrinks as the scale grows, and comes back.
func TestTextSizeChangeKeepsWindowsTheSameOnScreen(t *testing.T) {
	a := test.NewTempApp(t)
	t.Setenv(fyneScaleVariable, "")
	w := test.NewTempWindow(t, widget.NewLabel("Frontdesk"))
	w.Resize(fyne.NewSize(980, 700))

	SetTextSize(a, TextLarger)
	if got, want := w.Canvas().Size(), fyne.NewSize(700, 500); got != want {
		t.Errorf("at larger: %v units, want %v", got, want)
	}
	SetTextSize(a, TextLarge)
	if got, want := w.Canvas().Size(), fyne.NewSize(980/1.2, 700/1.2); math.Abs(float64(got.Width-want.Width)) > 0.01 || math.Abs(float64(got.Height-want.Height)) > 0.01 {
		t.Errorf("at large: %v units, want %v", got, want)
	}
	SetTextSize(a, TextNormal)
	if got, want := w.Canvas().Size(), fyne.NewSize(980, 700); math.Abs(float64(got.Width-want.Width)) > 0.01 || math.Abs(float64(got.Height-want.Height)) > 0.01 {
		t.Errorf("back at normal: %v units, want %v", got, want)
	}
	if got := atNormalTextSize(atTextSize(fyne.NewSize(960, 640), TextLarger), TextLarger); math.Abs(float64(got.Width-960)) > 0.01 {
		t.Errorf("atNormalTextSize does not undo atTextSize: %v", got)
	}
}

// Ctrl and +, Ctrl and - and Ctrl and 0 step the text size from the search,
// as a browser's zoom does, and stop at either end.
func TestTextSizeKeys(t *testing.T) {
	c, _ := newTestConsole(t, true)
	a := fyne.CurrentApp()
	t.Setenv(fyneScaleVariable, "")
	steps := []struct {
		key  fyne.Shortcut
		want TextSize
	}{
		{shortcutLargerText, TextLarge},
		{shortcutLargerTextPad, TextLarger},
		{shortcutLargerText, TextLarger},
		{shortcutSmallerText, TextLarge},
		{shortcutNormalTextSize, TextNormal},
		{shortcutSmallerText, TextNormal},
	}
	for i, s := range steps {
		c.search.TypedShortcut(s.key)
		if got := CurrentTextSize(a); got != s.want {
			t.Fatalf("step %d (%s): %s, want %s", i+1, s.key.ShortcutName(), got, s.want)
		}
	}
}

// Settings, when open, shows the text size the console's keys chose, so a
// click on "Normal" there is a change and not a click on the choice shown.
func TestOpenSettingsFollowsTheTextSizeKeys(t *testing.T) {
	m, _ := newTestWindow(t, Actions{Settings: func() SettingsForm { return ewsForm() }}, false)
	t.Setenv(fyneScaleVariable, "")
	m.openSettings()
	if m.settings == nil {
		t.Fatal("Settings did not open")
	}
	radio := m.settings.panel.textSize
	if radio.Selected != "Normal" {
		t.Fatalf("Settings opens on %q, want Normal", radio.Selected)
	}
	m.console.search.TypedShortcut(shortcutLargerText)
	if radio.Selected != "Large" {
		t.Errorf("after Ctrl++ Settings shows %q, want Large", radio.Selected)
	}
	radio.SetSelected("Normal")
	if got := CurrentTextSize(fyne.CurrentApp()); got != TextNormal {
		t.Errorf("after clicking Normal in Settings the text size is %s", got)
	}
}
