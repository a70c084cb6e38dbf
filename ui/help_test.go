package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if !it.IsSeparator {
			out = append(out, it.Label)
		}
	}
	return out
}

func TestMenusOfferSettingsAndHelp(t *testing.T) {
	m, _ := newTestWindow(t, Actions{}, false)
	menu := m.menu()
	if len(menu.Items) != 2 {
		t.Fatalf("%d menus, want File and Help", len(menu.Items))
	}
	settings := menu.Items[0].Items[0]
	if settings.Label != "Settings…" || settings.Shortcut != settingsShortcut {
		t.Errorf("File > %q with shortcut %v, want Settings… on Ctrl+,", settings.Label, settings.Shortcut)
	}
	want := []string{"Keyboard shortcuts", "Open log folder", "Copy diagnostics", "About Frontdesk"}
	if got := menuLabels(menu.Items[1]); len(got) != len(want) {
		t.Fatalf("Help menu %q, want %q", got, want)
	} else {
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("Help item %d = %q, want %q", i, got[i], want[i])
			}
		}
	}
}

func TestCopyDiagnosticsPutsThemOnTheClipboard(t *testing.T) {
	m, w := newTestWindow(t, Actions{Diagnostics: func(context.Context) (string, string, error) {
		return "Frontdesk 1.2.3\nEngine: ok", "/var/log/frontdesk/frontdesk-diagnostics-20261123-100000.txt", nil
	}}, false)
	m.copyDiagnostics()
	if got := fyne.CurrentApp().Clipboard().Content(); got != "Frontdesk 1.2.3\nEngine: ok" {
		t.Errorf("clipboard %q", got)
	}
	if !hasLabel(w.Canvas().Overlays().Top(), "The diagnostics are on the clipboard and in /var/log/frontdesk/frontdesk-diagnostics-20261123-100000.txt. Secrets are left out.") {
		t.Error("no message naming the file")
	}
}

func TestAboutShowsVersionAndLicences(t *testing.T) {
	m, w := newTestWindow(t, Actions{About: AboutInfo{Version: "1.2.3", Commit: "b32e9b7", BuildDate: "2026-12-01",
		Licences: "fyne.io/fyne/v2 v2.8.1\ngithub.com/BurntSushi/toml v1.6.0"}}, false)
	m.showAbout()
	test.AssertRendersToMarkup(t, "about.xml", w.Canvas())
	m.showShortcuts()
	if !hasLabel(w.Canvas().Overlays().Top(), "Settings") {
		t.Error("the shortcut list does not include Ctrl+, Settings")
	}
}
