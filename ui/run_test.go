package ui

import (
	"bytes"
	"log"
	"testing"
)

// After the event loop, Fyne's failed reread of its own half-written
// preferences is dropped, with its Cause and At lines; every other line,
// another Fyne error's Cause included, still reaches stderr.
func TestDroppingPreferencesReload(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"the reread's three lines", []string{"Fyne error:  Preferences load error:", "  Cause: EOF", "  At: fyne.io/fyne/v2@v2.8.1/app/preferences.go:106"}, ""},
		{"other errors kept", []string{"Fyne error:  Failed to create fyne cache space", "  Cause: mkdir /x: no such file"}, "Fyne error:  Failed to create fyne cache space\n  Cause: mkdir /x: no such file\n"},
		{"a line after the reread kept", []string{"Fyne error:  Preferences load error:", "  Cause: EOF", "  At: x.go:1", "frontdesk: stopped"}, "frontdesk: stopped\n"},
		{"a reread without its At", []string{"Fyne error:  Preferences load error:", "  Cause: EOF", "frontdesk: stopped", "  At: kept.go:2"}, "frontdesk: stopped\n  At: kept.go:2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			l := log.New(&droppingPreferencesReload{out: &out}, "", 0)
			for _, line := range tt.lines {
				l.Println(line)
			}
			if out.String() != tt.want {
				t.Errorf("passed on %q, want %q", out.String(), tt.want)
			}
		})
	}
}
