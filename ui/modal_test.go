package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// newKeyWindow is the main window on the demo company with its keys
// installed and the search holding "ada", as an operator left it.
func newKeyWindow(t *testing.T) (*mainWindow, fyne.Window) {
	t.Helper()
	m, w := newTestWindow(t, Actions{}, false)
	m.installKeys(w.Canvas())
	snap := demoSnapshot(t)
	snap.Source = "demo"
	m.Apply(snap)
	t.Cleanup(m.console.search.stopIdle)
	w.Canvas().Focus(m.console.search)
	test.Type(m.console.search, "ada")
	return m, w
}

func openDialogs(w fyne.Window) int {
	n := 0
	for _, o := range w.Canvas().Overlays().List() {
		if o.Visible() {
			n++
		}
	}
	return n
}

// Every dialog of the window is modal to the keyboard: Esc closes it, Enter
// takes its default, nothing typed reaches the console behind it, and a
// second F1 does not stack a second list of keys (issue 21).
func TestDialogsTakeTheKeyboard(t *testing.T) {
	tests := []struct {
		name  string
		keys  func(cv fyne.Canvas)
		open  int    // dialogs open after the keys
		query string // the search behind
	}{
		{"Esc closes it and leaves the search", func(cv fyne.Canvas) { press(cv, fyne.KeyEscape) }, 0, "ada"},
		{"Enter closes it and opens nobody", func(cv fyne.Canvas) { press(cv, fyne.KeyReturn) }, 0, "ada"},
		{"letters go nowhere", func(cv fyne.Canvas) { typeKeys(cv, "ben") }, 1, "ada"},
		{"Down and F5 go nowhere", func(cv fyne.Canvas) { press(cv, fyne.KeyDown); press(cv, fyne.KeyF5) }, 1, "ada"},
		{"a second F1 does not stack", func(cv fyne.Canvas) { press(cv, fyne.KeyF1) }, 1, "ada"},
		{"keys after a click on its text", func(cv fyne.Canvas) { cv.Unfocus(); typeKeys(cv, "x"); press(cv, fyne.KeyEscape) }, 0, "ada"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, w := newKeyWindow(t)
			cv := w.Canvas()
			chosen := m.console.chosen
			press(cv, fyne.KeyF1)
			if openDialogs(w) != 1 {
				t.Fatalf("F1 opened %d dialogs", openDialogs(w))
			}
			tt.keys(cv)
			if got := openDialogs(w); got != tt.open {
				t.Errorf("%d dialogs open, want %d", got, tt.open)
			}
			if m.console.search.Text != tt.query || m.console.chosen != chosen {
				t.Errorf("behind the dialog the search reads %q and %q is selected; want %q and %q",
					m.console.search.Text, m.console.chosen, tt.query, chosen)
			}
			if tt.open == 0 && cv.Focused() != m.console.search {
				t.Errorf("after the dialog closed the focus is on %T, want the search", cv.Focused())
			}
		})
	}
}
