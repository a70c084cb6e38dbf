package ui

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestRestoredLayout(t *testing.T) {
	tests := []struct {
		name   string
		stored map[string]float64
		want   windowLayout
	}{
		{"first run", nil, windowLayout{defaultWindowSize, 0.5}},
		{"what the last run left", map[string]float64{prefWindowWidth: 1400, prefWindowHeight: 900, prefSplitOffset: 0.35},
			windowLayout{fyne.NewSize(1400, 900), 0.35}},
		{"a narrow column beside other work", map[string]float64{prefWindowWidth: 480, prefWindowHeight: 1000},
			windowLayout{fyne.NewSize(480, 1000), 0.5}},
		{"too small to use", map[string]float64{prefWindowWidth: 12, prefWindowHeight: 900},
			windowLayout{defaultWindowSize, 0.5}},
		{"larger than any screen", map[string]float64{prefWindowWidth: 1e6, prefWindowHeight: 900},
			windowLayout{defaultWindowSize, 0.5}},
		{"not a number", map[string]float64{prefWindowWidth: math.NaN(), prefWindowHeight: 900, prefSplitOffset: math.NaN()},
			windowLayout{defaultWindowSize, 0.5}},
		{"only the height", map[string]float64{prefWindowHeight: 900},
			windowLayout{defaultWindowSize, 0.5}},
		{"a divider hiding the details", map[string]float64{prefSplitOffset: 0.99},
			windowLayout{defaultWindowSize, 0.5}},
		{"a divider hiding the list", map[string]float64{prefSplitOffset: -0.2},
			windowLayout{defaultWindowSize, 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := test.NewTempApp(t).Preferences()
			for k, v := range tt.stored {
				p.SetFloat(k, v)
			}
			if got := restoredLayout(p); got != tt.want {
				t.Errorf("restoredLayout = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRememberedLayoutComesBack(t *testing.T) {
	p := test.NewTempApp(t).Preferences()
	rememberLayout(p, windowLayout{fyne.NewSize(1203.4, 777.6), 0.3333})
	want := windowLayout{fyne.NewSize(1203, 778), 0.333}
	if got := restoredLayout(p); got != want {
		t.Fatalf("after remembering: %+v, want %+v", got, want)
	}
	// A window shrunk to nothing by the window manager as it closed, and a
	// divider dragged to the edge, leave the last good values.
	rememberLayout(p, windowLayout{fyne.NewSize(0, 0), 1})
	if got := restoredLayout(p); got != want {
		t.Fatalf("after remembering a broken layout: %+v, want the last good %+v", got, want)
	}
}

func TestConsoleStartsWithTheRememberedDivider(t *testing.T) {
	test.NewTempApp(t)
	c := NewConsole(Options{SplitOffset: 0.3})
	if got := c.SplitOffset(); got != 0.3 {
		t.Errorf("SplitOffset = %v, want 0.3", got)
	}
	if got := NewConsole(Options{}).SplitOffset(); got != defaultSplitOffset {
		t.Errorf("with no remembered divider: %v, want %v", got, defaultSplitOffset)
	}
}
