package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// mouseTarget is the object the desktop driver hands a mouse press at the
// canvas position pos to: the innermost visible desktop.Mouseable there.
func mouseTarget(cv fyne.Canvas, pos fyne.Position) (target desktop.Mouseable, local fyne.Position) {
	drv := fyne.CurrentApp().Driver()
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		at := drv.AbsolutePositionForObject(o)
		if pos.X < at.X || pos.Y < at.Y || pos.X >= at.X+o.Size().Width || pos.Y >= at.Y+o.Size().Height {
			return
		}
		if m, ok := o.(desktop.Mouseable); ok {
			target, local = m, pos.Subtract(at)
		}
		switch o := o.(type) {
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(o).Objects() {
				walk(child)
			}
		case *fyne.Container:
			for _, child := range o.Objects {
				walk(child)
			}
		}
	}
	walk(cv.Content())
	return target, local
}

// clickText presses and releases the primary button a few pixels into the
// text of obj, as an operator clicking into it does.
func clickText(t *testing.T, cv fyne.Canvas, obj fyne.CanvasObject) {
	t.Helper()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(obj).Add(fyne.NewPos(12, obj.Size().Height/2))
	target, local := mouseTarget(cv, pos)
	if target == nil {
		t.Fatalf("nothing under the mouse at %v in %T", pos, obj)
	}
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: local, AbsolutePosition: pos}, Button: desktop.MouseButtonPrimary}
	target.MouseDown(ev)
	target.MouseUp(ev)
	if cv.Focused() == nil {
		t.Fatalf("clicking into %T left nothing focused", obj)
	}
}

// typeKeys delivers characters as the desktop driver does: to the focused
// widget, or to the canvas when nothing has focus.
func typeKeys(cv fyne.Canvas, chars string) {
	for _, r := range chars {
		if f := cv.Focused(); f != nil {
			f.TypedRune(r)
		} else {
			cv.OnTypedRune()(r)
		}
	}
}

// An operator copies a colleague's details and goes straight on to the next
// caller: after a click into any of the details' texts, the next name typed
// lands in the search, first letter included, and Down, Enter, Esc and F5 act
// on the list as they do from the search field.
func TestKeysWorkAfterClickingIntoTheDetails(t *testing.T) {
	for _, text := range []string{"name", "phone", "mobile", "email"} {
		t.Run(text, func(t *testing.T) {
			k := newKeyConsole(t)
			cv := k.w.Canvas()
			k.c.search.SetText("ada")
			k.c.open()
			k.refreshed = nil
			first := k.chosenName()
			d := k.c.detail
			target := map[string]fyne.CanvasObject{
				"name": d.name, "phone": d.phone.value, "mobile": d.mobile.value, "email": d.email.value,
			}[text]
			if !target.Visible() || target.Size().Width == 0 {
				t.Fatalf("%s not shown for %q", text, first)
			}
			clickText(t, cv, target)

			typeKeys(cv, "dmitri")
			if k.c.search.Text != "dmitri" {
				t.Fatalf("typed \"dmitri\" after clicking the %s: search reads %q", text, k.c.search.Text)
			}
			if got := k.chosenName(); got != k.rowName(0) || !strings.HasPrefix(got, "Dmitri") {
				t.Fatalf("typing picked %q, want the best match %q", got, k.rowName(0))
			}
			press(cv, fyne.KeyDown)
			press(cv, fyne.KeyDown)
			picked := k.chosenName()
			if picked != k.rowName(2) || !strings.HasPrefix(picked, "Dmitri") {
				t.Fatalf("Down, Down picked %q, want the third match %q", picked, k.rowName(2))
			}
			press(cv, fyne.KeyReturn)
			if len(k.refreshed) != 1 || k.chosenName() != picked || d.name.Text != picked {
				t.Fatalf("Enter: refreshed %v, selection %q, details %q; want %q refreshed and shown",
					k.refreshed, k.chosenName(), d.name.Text, picked)
			}
			press(cv, fyne.KeyF5)
			if len(k.refreshed) != 2 || k.refreshed[1] != k.c.chosen {
				t.Fatalf("F5 refreshed %v", k.refreshed)
			}
			press(cv, fyne.KeyEscape)
			if k.c.search.Text != "" || k.chosenName() != picked {
				t.Fatalf("Esc: search %q, selection %q; want empty, %q", k.c.search.Text, k.chosenName(), picked)
			}
			press(cv, fyne.KeyEscape)
			if k.chosenName() != "" {
				t.Fatalf("picked Esc kept %q selected", k.chosenName())
			}
		})
	}
}

// Copying stays as easy as it was with Fyne's selectable labels: Ctrl+C after a
// click copies the whole value, a drag copies the part dragged over, a double
// click takes the whole number (not one group of digits), and the right-click
// menu copies too.
func TestDetailTextCopies(t *testing.T) {
	tests := []struct {
		name string
		do   func(t *testing.T, k *keyConsole, text *detailText)
		want func(phone string) string
	}{
		{"click then Ctrl+C copies the whole number", func(t *testing.T, k *keyConsole, text *detailText) {
			clickText(t, k.w.Canvas(), text)
			shortcut(k.w.Canvas(), &fyne.ShortcutCopy{})
		}, func(phone string) string { return phone }},
		{"a drag copies the part dragged over", func(t *testing.T, k *keyConsole, text *detailText) {
			// A drag event holds where the mouse is now and how far it came.
			end := fyne.CurrentApp().Driver().AbsolutePositionForObject(text).Add(fyne.NewPos(text.offsetX(6), text.Size().Height/2))
			test.Drag(k.w.Canvas(), end, text.offsetX(6)-text.offsetX(3), 0)
			shortcut(k.w.Canvas(), &fyne.ShortcutCopy{})
		}, func(phone string) string { return string([]rune(phone)[3:6]) }},
		{"a double click takes the whole number", func(t *testing.T, k *keyConsole, text *detailText) {
			test.DoubleTap(text)
			if got := text.SelectedText(); got != text.Text {
				t.Errorf("double click selected %q of %q", got, text.Text)
			}
			shortcut(k.w.Canvas(), &fyne.ShortcutCopy{})
		}, func(phone string) string { return phone }},
		{"a drag, then right click, Copy", func(t *testing.T, k *keyConsole, text *detailText) {
			end := fyne.CurrentApp().Driver().AbsolutePositionForObject(text).Add(fyne.NewPos(text.offsetX(6), text.Size().Height/2))
			test.Drag(k.w.Canvas(), end, text.offsetX(6)-text.offsetX(3), 0)
			test.TapSecondary(text)
			menu := k.w.Canvas().Overlays().Top()
			if menu == nil {
				t.Fatal("no menu on a right click")
			}
			var copyItem fyne.Tappable
			walkObjects(menu, func(o fyne.CanvasObject) {
				if tp, ok := o.(fyne.Tappable); ok && hasText(o, "Copy") { // the innermost: the item
					copyItem = tp
				}
			})
			if copyItem == nil {
				t.Fatal("no Copy in the menu")
			}
			test.Tap(copyItem)
		}, func(phone string) string { return string([]rune(phone)[3:6]) }},
		{"a selection left behind is not copied", func(t *testing.T, k *keyConsole, text *detailText) {
			end := fyne.CurrentApp().Driver().AbsolutePositionForObject(text).Add(fyne.NewPos(text.offsetX(6), text.Size().Height/2))
			test.Drag(k.w.Canvas(), end, text.offsetX(6)-text.offsetX(3), 0)
			k.focus("search")
			k.w.Canvas().Focus(text) // Tab back to it
			shortcut(k.w.Canvas(), &fyne.ShortcutCopy{})
		}, func(phone string) string { return phone }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeyConsole(t)
			k.c.move(1)
			phone := k.c.detail.phone.value
			if len([]rune(phone.Text)) < 6 {
				t.Fatalf("phone %q too short for the test", phone.Text)
			}
			fyne.CurrentApp().Clipboard().SetContent("")
			tt.do(t, k, phone)
			if got, want := fyne.CurrentApp().Clipboard().Content(), tt.want(phone.Text); got != want {
				t.Errorf("clipboard %q, want %q", got, want)
			}
		})
	}
}

// A selection belongs to the colleague it was made on: moving to the next one
// leaves nothing selected, so Ctrl+C copies their whole number, not a piece.
func TestDetailTextSelectionEndsWithTheColleague(t *testing.T) {
	k := newKeyConsole(t)
	k.c.move(1)
	phone := k.c.detail.phone.value
	test.DoubleTap(phone)
	press(k.w.Canvas(), fyne.KeyDown)
	if got := phone.SelectedText(); got != "" {
		t.Fatalf("after Down the new number has %q selected", got)
	}
	shortcut(k.w.Canvas(), &fyne.ShortcutCopy{})
	if got := fyne.CurrentApp().Clipboard().Content(); got != phone.Text {
		t.Errorf("clipboard %q, want the new number %q", got, phone.Text)
	}
}

func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch o := o.(type) {
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(o).Objects() {
			walkObjects(child, visit)
		}
	case *fyne.Container:
		for _, child := range o.Objects {
			walkObjects(child, visit)
		}
	}
}
