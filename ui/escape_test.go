package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// firstFocusable is the first control of kind T drawn in o, as the window
// drew it (a radio choice is drawn by its group, out of reach otherwise).
func firstFocusable[T fyne.Focusable](t *testing.T, o fyne.CanvasObject) T {
	t.Helper()
	var walk func(o fyne.CanvasObject) (T, bool)
	walk = func(o fyne.CanvasObject) (T, bool) {
		if f, ok := o.(T); ok && o.Visible() {
			return f, true
		}
		var children []fyne.CanvasObject
		switch c := o.(type) {
		case fyne.Widget:
			children = test.WidgetRenderer(c).Objects()
		case *fyne.Container:
			children = c.Objects
		}
		for _, child := range children {
			if f, ok := walk(child); ok {
				return f, true
			}
		}
		var zero T
		return zero, false
	}
	f, ok := walk(o)
	if !ok {
		t.Fatalf("no %T drawn", f)
	}
	return f
}

// Esc closes Settings whatever has the focus in it: a radio choice, a check
// box, a drop-down or a button took Esc for themselves and Settings stayed
// open (issue 21). A click on any of them gives it the focus.
func TestEscClosesSettingsWhateverHasFocus(t *testing.T) {
	form := SettingsForm{Values: Settings{Provider: "microsoft365", Tenant: "organizations", ClientID: "11111111-2222-3333-4444-555555555555",
		Cloud: "global", RefreshInterval: "60s", People: PeopleAll, Presence: true}, Clouds: []string{"global", "china"}}
	tests := []struct {
		name  string
		focus func(p *settingsPanel) fyne.Focusable
	}{
		{"a radio choice", func(p *settingsPanel) fyne.Focusable { return firstFocusable[*keyRadioItem](t, p.provider) }},
		{"a check box", func(p *settingsPanel) fyne.Focusable { return p.presence }},
		{"a drop-down", func(p *settingsPanel) fyne.Focusable { return p.cloud }},
		{"the Save button", func(p *settingsPanel) fyne.Focusable { return p.save }},
		{"a text box", func(p *settingsPanel) fyne.Focusable { return p.tenant }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var saved []Settings
			m, sw := openTestSettings(t, form, &saved)
			cv := sw.win.Canvas()
			f := tt.focus(sw.panel)
			cv.Focus(f)
			if cv.Focused() != f {
				t.Fatalf("%T did not take the focus", f)
			}
			press(cv, fyne.KeyEscape)
			if m.settings != nil {
				t.Errorf("Settings is still open after Esc on %T", f)
			}
			if len(saved) != 0 {
				t.Errorf("Esc saved %v", saved)
			}
		})
	}
}

// A dialog of the main window closes with Esc when its own button has the
// focus (Tab reaches it), and the password prompt closes with Esc from its
// text box and its check box, leaving the search behind as it was.
func TestEscClosesDialogsWhateverHasFocus(t *testing.T) {
	t.Run("the dialog's button", func(t *testing.T) {
		m, w := newKeyWindow(t)
		cv := w.Canvas()
		press(cv, fyne.KeyF1)
		if openDialogs(w) != 1 {
			t.Fatal("F1 opened no dialog")
		}
		b := firstFocusable[*keyButton](t, cv.Overlays().Top())
		cv.Focus(b)
		press(cv, fyne.KeyEscape)
		if openDialogs(w) != 0 {
			t.Error("the dialog is still open after Esc on its button")
		}
		if m.console.search.Text != "ada" {
			t.Errorf("the search reads %q, want ada", m.console.search.Text)
		}
	})
	for _, name := range []string{"password box", "show password"} {
		t.Run(name, func(t *testing.T) {
			m, w := newKeyWindow(t)
			cv := w.Canvas()
			m.password.Show("")
			var f fyne.Focusable = m.password.entry
			if name == "show password" {
				f = m.password.reveal
			}
			cv.Focus(f)
			press(cv, fyne.KeyEscape)
			if m.password.open || openDialogs(w) != 0 {
				t.Errorf("the password prompt is still open after Esc on %T", f)
			}
			if m.console.search.Text != "ada" {
				t.Errorf("the search reads %q, want ada", m.console.search.Text)
			}
		})
	}
}
