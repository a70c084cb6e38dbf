package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// The operator's choice of theme is kept in the preferences and applied at
// once; "system" follows whatever variant Fyne reports.
func TestThemeChoice(t *testing.T) {
	a := test.NewTempApp(t)
	if got := CurrentThemeChoice(a); got != ThemeSystem {
		t.Fatalf("fresh install: %q, want system", got)
	}
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	tests := []struct {
		choice ThemeChoice
		asked  fyne.ThemeVariant
		want   any
	}{
		{ThemeDark, theme.VariantLight, dark},
		{ThemeLight, theme.VariantDark, light},
		{ThemeSystem, theme.VariantDark, dark},
		{ThemeSystem, theme.VariantLight, light},
	}
	for _, tt := range tests {
		t.Run(string(tt.choice), func(t *testing.T) {
			SetThemeChoice(a, tt.choice)
			if got := CurrentThemeChoice(a); got != tt.choice {
				t.Errorf("stored %q", got)
			}
			if got := a.Settings().Theme().Color(theme.ColorNameBackground, tt.asked); got != tt.want {
				t.Errorf("background asked as %v: %v, want %v", tt.asked, got, tt.want)
			}
		})
	}
	if ThemeChoiceLabel(ThemeSystem) != "Follow the system" || len(ThemeChoices()) != 3 {
		t.Error("labels or choices changed")
	}
}
