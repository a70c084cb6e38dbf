package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// newClockConsole is a key console whose clock the test moves.
func newClockConsole(t *testing.T) (*keyConsole, *time.Time) {
	t.Helper()
	k := newKeyConsole(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	k.c.opts.Now = func() time.Time { return now }
	return k, &now
}

// New caller, new search: once the operator has acted on a colleague, or
// after 10 s without a key, or when the window comes to the front, the next
// character typed replaces the search instead of being appended to it
// ("ben hoada" found nobody). Without any of these, typing goes on.
func TestNextCallerStartsANewSearch(t *testing.T) {
	tests := []struct {
		name    string
		between func(k *keyConsole, now *time.Time)
		want    string
	}{
		{"a pause of 12 s", func(_ *keyConsole, now *time.Time) { *now = now.Add(12 * time.Second) }, "ada"},
		{"Enter", func(k *keyConsole, _ *time.Time) { press(k.w.Canvas(), fyne.KeyReturn) }, "ada"},
		{"copying the number", func(k *keyConsole, _ *time.Time) {
			shortcut(k.w.Canvas(), shortcutCopyPhone)
		}, "ada"},
		{"the copy button", func(k *keyConsole, _ *time.Time) {
			test.Tap(findButtonWithIcon(t, k.c.detail.phone.root))
		}, "ada"},
		{"the window brought to the front", func(k *keyConsole, _ *time.Time) { k.c.NewCaller() }, "ada"},
		{"a pause of 5 s", func(_ *keyConsole, now *time.Time) { *now = now.Add(5 * time.Second) }, "ben hoada"},
		{"Down", func(k *keyConsole, _ *time.Time) { press(k.w.Canvas(), fyne.KeyDown) }, "ben hoada"},
	}
	for _, tt := range tests {
		for _, where := range []string{"search", "nothing"} {
			t.Run(tt.name+"/focus on "+where, func(t *testing.T) {
				k, now := newClockConsole(t)
				cv := k.w.Canvas()
				cv.Focus(k.c.search)
				for _, r := range "ben ho" {
					*now = now.Add(300 * time.Millisecond)
					k.c.search.TypedRune(r)
				}
				tt.between(k, now)
				if where == "nothing" {
					cv.Unfocus() // the search let go of the focus after its idle time
				}
				typeKeys(cv, "ada")
				if k.c.search.Text != tt.want {
					t.Fatalf("search reads %q, want %q", k.c.search.Text, tt.want)
				}
				if tt.want == "ada" && k.chosenName() != "Ada Abbott" {
					t.Errorf("selected %q, want Ada Abbott", k.chosenName())
				}
			})
		}
	}
}

// Enter leaves the search's text selected: the sign that typing replaces it.
func TestEnterSelectsTheSearchText(t *testing.T) {
	k, _ := newClockConsole(t)
	k.w.Canvas().Focus(k.c.search)
	test.Type(k.c.search, "ben h")
	press(k.w.Canvas(), fyne.KeyReturn)
	if got := k.c.search.SelectedText(); got != "ben h" {
		t.Errorf("after Enter the selected text is %q, want all of it", got)
	}
}

// Copying says what went to the clipboard, until the next key.
func TestCopyIsConfirmed(t *testing.T) {
	k, _ := newClockConsole(t)
	k.w.Canvas().Focus(k.c.search)
	test.Type(k.c.search, "ada abbott")
	before := k.c.stateLine.Text
	shortcut(k.w.Canvas(), shortcutCopyPhone)
	phone := fyne.CurrentApp().Clipboard().Content()
	if phone == "" || k.c.stateLine.Text != "Copied: "+phone {
		t.Fatalf("after copying %q the status line reads %q", phone, k.c.stateLine.Text)
	}
	typeKeys(k.w.Canvas(), "b")
	if k.c.stateLine.Text != before {
		t.Errorf("after the next key the status line reads %q, want %q", k.c.stateLine.Text, before)
	}
}

// findButtonWithIcon is the first button without words under root (a copy button).
func findButtonWithIcon(t *testing.T, root fyne.CanvasObject) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(root) {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.Icon != nil {
			return b
		}
	}
	t.Fatal("no icon button")
	return nil
}
