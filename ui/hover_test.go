package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
			tips := newTipLayer()
			l := newFullTextLabel(tips, fyne.TextStyle{})
			l.SetText(tt.text)
			w := test.NewTempWindow(t, container.NewStack(container.NewVBox(l), tips.root))
			w.Resize(fyne.NewSize(120, 200))
			l.Resize(fyne.NewSize(120, l.MinSize().Height))
			l.MouseIn(&desktop.MouseEvent{})
			shown := tips.box.Visible()
			if shown != tt.wantTip {
				t.Fatalf("tip shown %v, want %v", shown, tt.wantTip)
			}
			if shown {
				if tips.text.Text != tt.text {
					t.Errorf("the tip reads %q, want %q", tips.text.Text, tt.text)
				}
				if tips.box.Position().X+tips.box.Size().Width > 120 {
					t.Errorf("the tip runs off the window: at %v, %v wide", tips.box.Position(), tips.box.Size().Width)
				}
				l.MouseOut()
				if tips.box.Visible() {
					t.Error("tip still shown after the pointer left")
				}
			}
		})
	}
}

// A click on a row's second line, where the text is cut and its full text
// shows on hover, selects the row (issue 21: the tip was a pop-up, and Fyne
// gives a click to the pop-up while one is shown).
func TestClickOnTruncatedSecondLineSelectsTheRow(t *testing.T) {
	k := newKeyConsole(t)
	cv := k.w.Canvas()
	cut := 0
	for row := range 6 {
		key := k.c.snap.People[k.c.visible[row]].Person.Key()
		r := shownRow(t, cv, key)
		if !r.dept.truncated() {
			continue
		}
		cut++
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.dept).Add(fyne.NewPos(20, r.dept.Size().Height/2))
		test.MoveMouse(cv, at)
		if !k.c.tips.box.Visible() || k.c.tips.text.Text != r.dept.Text {
			t.Fatalf("row %d: hovering the cut %q shows no tip with it", row, r.dept.Text)
		}
		test.TapCanvas(cv, at)
		if k.c.chosen != key {
			t.Fatalf("row %d: a click on its second line selected %q, want %q", row, k.c.chosen, key)
		}
		test.MoveMouse(cv, fyne.NewPos(1, 1))
	}
	if cut == 0 {
		t.Fatal("no row of the first six has a cut second line: the test needs one")
	}
}

// shownRow is the row on screen for key, found as the driver finds it (the
// list keeps spare rows that are laid out but not in the window).
func shownRow(t *testing.T, cv fyne.Canvas, key string) *row {
	t.Helper()
	var found *row
	walkObjects(cv.Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*row); ok && found == nil && r.key == key && r.Visible() {
			found = r
		}
	})
	if found == nil {
		t.Fatalf("no row on screen for %s", key)
	}
	return found
}
