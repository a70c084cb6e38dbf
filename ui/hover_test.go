package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func TestTruncatedTextShowsInFullOnHover(t *testing.T) {
	tests := []struct {
		text    string
		wantTip bool
	}{
		{"Out of office until Mon 30 Nov · Annual leave · Offline", true},
		{"Free", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			test.NewTempApp(t)
			l := newFullTextLabel(fyne.TextStyle{})
			l.SetText(tt.text)
			w := test.NewTempWindow(t, l)
			w.Resize(fyne.NewSize(120, 40))
			l.MouseIn(&desktop.MouseEvent{})
			top := w.Canvas().Overlays().Top()
			shown := top != nil && top.Visible()
			if shown != tt.wantTip {
				t.Fatalf("tip shown %v, want %v", shown, tt.wantTip)
			}
			if shown {
				if !hasText(top, tt.text) {
					t.Errorf("the tip does not read %q", tt.text)
				}
				l.MouseOut()
				if top := w.Canvas().Overlays().Top(); top != nil && top.Visible() {
					t.Error("tip still shown after the pointer left")
				}
			}
		})
	}
}
