package ui

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// press delivers a key as the desktop driver does: to the focused widget, or
// to the canvas when nothing has focus.
func press(cv fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := cv.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	cv.OnTypedKey()(ev)
}

// shortcut delivers a shortcut as the desktop driver does: to a focused widget
// that takes shortcuts, else to the canvas's registered ones.
func shortcut(cv fyne.Canvas, s fyne.Shortcut) {
	if f, ok := cv.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	// The test canvas wraps the driver's canvas, which holds the shortcuts
	// InstallConsoleKeys registered.
	inner := reflect.ValueOf(cv).Elem().FieldByName("WindowlessCanvas").Interface()
	inner.(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(s)
}

// keyConsole is a console on the demo snapshot with the keys installed and
// recorders for the engine and the favourites file.
type keyConsole struct {
	t         *testing.T
	c         *Console
	w         fyne.Window
	refreshed []string
	forced    []bool // per refresh: F5 forces, a selection does not
	saved     chan []string
}

func newKeyConsole(t *testing.T) *keyConsole {
	t.Helper()
	test.NewTempApp(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	k := &keyConsole{t: t, saved: make(chan []string, 10)}
	k.c = NewConsole(Options{
		Now: func() time.Time { return now },
		RefreshPerson: func(key string, force bool) {
			k.refreshed = append(k.refreshed, key)
			k.forced = append(k.forced, force)
		},
		SaveFavourites: func(keys []string) <-chan error {
			k.saved <- keys
			outcome := make(chan error, 1)
			outcome <- nil
			return outcome
		},
	})
	t.Cleanup(k.c.search.stopIdle)
	k.w = test.NewTempWindow(t, k.c.Content())
	k.w.Resize(fyne.NewSize(900, 600))
	InstallConsoleKeys(k.w.Canvas(), func() *Console { return k.c })
	k.c.Apply(demoSnapshot(t))
	return k
}

// focus puts the keyboard focus where the operator has it.
func (k *keyConsole) focus(where string) {
	cv := k.w.Canvas()
	switch where {
	case "search":
		cv.Focus(k.c.search)
	case "list":
		cv.Focus(k.c.list)
	case "details":
		// The operator has clicked into the phone number to copy it.
		if _, ok := k.c.Selected(); !ok {
			k.c.move(1)
		}
		clickText(k.t, cv, k.c.detail.phone.value)
	default:
		cv.Unfocus()
	}
}

func (k *keyConsole) chosenName() string {
	p, ok := k.c.Selected()
	if !ok {
		return ""
	}
	return p.Person.Name
}

func (k *keyConsole) rowName(row int) string {
	return k.c.snap.People[k.c.visible[row]].Person.Name
}

func TestKeyboardMapWorksWhereverTheFocusIs(t *testing.T) {
	for _, where := range []string{"search", "list", "details", "nothing"} {
		t.Run(where, func(t *testing.T) {
			t.Run("typing goes to the search", func(t *testing.T) {
				k := newKeyConsole(t)
				k.focus(where)
				switch where {
				case "search":
					test.Type(k.c.search, "gupta")
				case "list":
					test.Type(k.c.list, "gupta")
				case "details":
					typeKeys(k.w.Canvas(), "gupta")
				default:
					test.TypeOnCanvas(k.w.Canvas(), "gupta")
				}
				if k.c.search.Text != "gupta" {
					t.Fatalf("search reads %q", k.c.search.Text)
				}
				if k.w.Canvas().Focused() != k.c.search {
					t.Errorf("typing left the focus on %T", k.w.Canvas().Focused())
				}
			})
			t.Run("Down and Up move the selection and keep the focus", func(t *testing.T) {
				k := newKeyConsole(t)
				k.focus(where)
				// Down from no selection lands on the first row.
				start := k.c.rowOf(k.c.chosen)
				focused := k.w.Canvas().Focused()
				press(k.w.Canvas(), fyne.KeyDown)
				press(k.w.Canvas(), fyne.KeyDown)
				if got, want := k.chosenName(), k.rowName(start+2); got != want {
					t.Fatalf("after Down, Down the selection is %q, want row %d %q", got, start+2, want)
				}
				press(k.w.Canvas(), fyne.KeyUp)
				if got, want := k.chosenName(), k.rowName(start+1); got != want {
					t.Errorf("after Up the selection is %q, want %q", got, want)
				}
				if k.w.Canvas().Focused() != focused {
					t.Errorf("the focus moved from %T to %T", focused, k.w.Canvas().Focused())
				}
				if len(k.refreshed) != 0 {
					t.Errorf("moving asked the engine for %v; only Enter, a click and F5 do", k.refreshed)
				}
			})
			t.Run("Enter shows the first match and refreshes them", func(t *testing.T) {
				k := newKeyConsole(t)
				k.c.search.SetText("dmitri")
				k.c.escape() // keep the search, drop the picked match: Enter must pick it
				k.c.search.SetText("dmitri")
				k.c.chosen = ""
				k.focus(where)
				press(k.w.Canvas(), fyne.KeyReturn)
				if got, want := k.chosenName(), k.rowName(0); got != want || !strings.HasPrefix(got, "Dmitri") {
					t.Fatalf("Enter selected %q, want the first match %q", got, want)
				}
				if k.c.detail.name.Text != k.chosenName() {
					t.Errorf("details show %q", k.c.detail.name.Text)
				}
				if len(k.refreshed) != 1 || k.forced[0] {
					t.Errorf("Enter refreshed %v (forced %v), want the one colleague, only if stale", k.refreshed, k.forced)
				}
			})
			t.Run("Esc clears the search, then the selection", func(t *testing.T) {
				k := newKeyConsole(t)
				k.c.search.SetText("ada")
				k.c.move(1)
				chosen := k.chosenName()
				k.focus(where)
				press(k.w.Canvas(), fyne.KeyEscape)
				if k.c.search.Text != "" || k.chosenName() != chosen {
					t.Fatalf("first Esc: search %q, selection %q (want empty, %q)", k.c.search.Text, k.chosenName(), chosen)
				}
				press(k.w.Canvas(), fyne.KeyEscape)
				if k.chosenName() != "" || k.c.detail.body.Visible() {
					t.Errorf("second Esc left %q selected", k.chosenName())
				}
			})
			t.Run("F5 refreshes the selected colleague now", func(t *testing.T) {
				k := newKeyConsole(t)
				k.c.move(1)
				k.focus(where)
				press(k.w.Canvas(), fyne.KeyF5)
				if len(k.refreshed) != 1 || k.refreshed[0] != k.c.chosen || !k.forced[0] {
					t.Errorf("F5 refreshed %v (forced %v), want [%s] forced", k.refreshed, k.forced, k.c.chosen)
				}
			})
			t.Run("F1 lists the shortcuts", func(t *testing.T) {
				k := newKeyConsole(t)
				k.focus(where)
				press(k.w.Canvas(), fyne.KeyF1)
				top := k.w.Canvas().Overlays().Top()
				if top == nil || !hasText(top, "Keyboard shortcuts") {
					t.Errorf("F1 showed %v", top)
				}
			})
			t.Run("Ctrl+D stars the selected colleague, pins them on top and saves", func(t *testing.T) {
				k := newKeyConsole(t)
				k.c.move(1)
				k.c.move(1)
				k.c.move(1)
				key := k.c.chosen
				k.focus(where)
				shortcut(k.w.Canvas(), shortcutFavourite)
				if k.rowName(0) != k.chosenName() {
					t.Errorf("favourite %q is not on top (top row %q)", k.chosenName(), k.rowName(0))
				}
				select {
				case got := <-k.saved:
					if !slices.Equal(got, []string{key}) {
						t.Errorf("saved favourites %v, want [%s]", got, key)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("favourites not saved")
				}
				shortcut(k.w.Canvas(), shortcutFavourite)
				if got := <-k.saved; len(got) != 0 {
					t.Errorf("after a second Ctrl+D saved %v, want none", got)
				}
			})
			t.Run("Ctrl+Shift+C copies the phone number", func(t *testing.T) {
				k := newKeyConsole(t)
				k.c.move(1)
				p, _ := k.c.Selected()
				k.focus(where)
				shortcut(k.w.Canvas(), shortcutCopyPhone)
				if got := fyne.CurrentApp().Clipboard().Content(); got != p.Person.Phone || got == "" {
					t.Errorf("clipboard %q, want %q", got, p.Person.Phone)
				}
			})
			t.Run("Ctrl+F goes to the search", func(t *testing.T) {
				k := newKeyConsole(t)
				k.focus(where)
				shortcut(k.w.Canvas(), shortcutSearch)
				if k.w.Canvas().Focused() != k.c.search {
					t.Errorf("focus on %T", k.w.Canvas().Focused())
				}
			})
			t.Run("Alt+Right shows the next working day, Alt+Left today", func(t *testing.T) {
				k := newKeyConsole(t)
				k.c.move(1)
				k.focus(where)
				shortcut(k.w.Canvas(), shortcutNextDay)
				if got := k.c.detail.dayTitle.Text; got != "Tue 24 Nov" {
					t.Errorf("Alt+Right: day %q", got)
				}
				shortcut(k.w.Canvas(), shortcutToday)
				if got := k.c.detail.dayTitle.Text; got != "Today, Mon 23 Nov" {
					t.Errorf("Alt+Left: day %q", got)
				}
			})
		})
	}
}

// A refresh must not move the list under the operator: 20 refreshes while
// scrolled down with a colleague selected leave the offset and the selection.
func TestRefreshKeepsScrollAndSelection(t *testing.T) {
	k := newKeyConsole(t)
	k.c.choose(40, false)
	k.c.list.ScrollToOffset(300)
	offset := k.c.list.GetScrollOffset()
	chosen := k.c.chosen
	if offset == 0 || chosen == "" {
		t.Fatalf("setup: offset %v, chosen %q", offset, chosen)
	}
	base := demoSnapshot(t)
	for i := range 20 {
		s := base
		s.GeneratedAt = base.GeneratedAt.Add(time.Duration(i+1) * time.Minute)
		s.People = ownCopy(base.People)
		s.People[i%len(s.People)].Status = calendar.StatusBusy // something changed
		k.c.Apply(s)
		if got := k.c.list.GetScrollOffset(); got != offset {
			t.Fatalf("refresh %d moved the list from %v to %v", i+1, offset, got)
		}
		if k.c.chosen != chosen {
			t.Fatalf("refresh %d changed the selection from %q to %q", i+1, chosen, k.c.chosen)
		}
	}
	if k.c.detail.name.Text != k.chosenName() {
		t.Errorf("details show %q, selection is %q", k.c.detail.name.Text, k.chosenName())
	}
}

func TestFilteredOutColleagueClearsTheDetails(t *testing.T) {
	k := newKeyConsole(t)
	k.c.move(1)
	if !k.c.detail.body.Visible() {
		t.Fatal("no details for the selection")
	}
	k.c.search.SetText("nobody-here")
	if k.c.detail.body.Visible() || k.chosenName() != "" {
		t.Errorf("details still show %q for a search that matches nobody", k.c.detail.name.Text)
	}
	if got := k.c.count.Text; got != "No colleague matches “nobody-here”" {
		t.Errorf("count line %q", got)
	}
	k.c.search.SetText("dmitri")
	if got := k.c.count.Text; got != "Matches: 3 of 60" {
		t.Errorf("count line %q", got)
	}
}

// An idle console must not animate: a focused entry redraws its cursor every
// frame (6.3 % of a core under Xvfb). After searchIdle without input the field
// lets go of the focus, and the next key typed brings it back with the key.
func TestIdleSearchLetsGoOfTheFocus(t *testing.T) {
	fired := make(chan func(), 10)
	defer func(d time.Duration, do func(func())) { searchIdle, doOnUI = d, do }(searchIdle, doOnUI)
	searchIdle, doOnUI = 50*time.Millisecond, func(f func()) { fired <- f }
	k := newKeyConsole(t)
	cv := k.w.Canvas()
	cv.Focus(k.c.search)
	test.Type(k.c.search, "ad")
	select {
	case f := <-fired:
		f() // on the test's goroutine, as fyne.Do would on the app's
	case <-time.After(5 * time.Second):
		t.Fatal("the idle countdown never fired")
	}
	if cv.Focused() != nil {
		t.Fatalf("the idle search field still has the focus (%T)", cv.Focused())
	}
	test.TypeOnCanvas(cv, "a")
	if cv.Focused() != k.c.search || k.c.search.Text != "ada" {
		t.Errorf("typing after idle: focus %T, search %q", cv.Focused(), k.c.search.Text)
	}
}

// The list draws a ring while it has the keyboard, in the theme's focus colour.
func TestListFocusRing(t *testing.T) {
	k := newKeyConsole(t)
	k.focus("list")
	if k.c.listRing.StrokeColor == nil || k.c.listRing.StrokeWidth < 2 {
		t.Fatalf("focused list: ring %v width %v", k.c.listRing.StrokeColor, k.c.listRing.StrokeWidth)
	}
	k.focus("search")
	if k.c.listRing.StrokeColor != nil {
		t.Errorf("ring still drawn after the focus left the list")
	}
}

// Page Down, Page Up, Home and End move the selection through the list from
// the search field, as Up and Down do (the search keeps its text).
func TestPageKeysMoveTheListFromTheSearch(t *testing.T) {
	k := newKeyConsole(t)
	cv := k.w.Canvas()
	cv.Focus(k.c.search)
	page := k.c.pageRows()
	if page < 2 {
		t.Fatalf("a page of %d rows", page)
	}
	steps := []struct {
		key  fyne.KeyName
		want int
	}{
		{fyne.KeyPageDown, 0}, // from no selection: the first row
		{fyne.KeyPageDown, page},
		{fyne.KeyPageDown, 2 * page},
		{fyne.KeyPageUp, page},
		{fyne.KeyEnd, 59},
		{fyne.KeyHome, 0},
	}
	for _, st := range steps {
		press(cv, st.key)
		if got := k.c.rowOf(k.c.chosen); got != st.want {
			t.Fatalf("after %s the selection is on row %d, want %d", st.key, got, st.want)
		}
	}
	if cv.Focused() != k.c.search {
		t.Errorf("the keys took the focus to %T", cv.Focused())
	}
}

// Ctrl+Shift+= (Ctrl and + on a US keyboard) enlarges the text like Ctrl+=.
func TestCtrlShiftEqualsEnlarges(t *testing.T) {
	k := newKeyConsole(t)
	k.focus("search")
	before := CurrentTextSize(fyne.CurrentApp())
	shortcut(k.w.Canvas(), &desktop.CustomShortcut{KeyName: fyne.KeyEqual, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if after := CurrentTextSize(fyne.CurrentApp()); after == before || after != TextLarge {
		t.Errorf("text size %v after Ctrl+Shift+=, was %v", after, before)
	}
}

// "unknown: 1" in the status line leads to the unknown colleague: a click
// lists only them, Esc (or a second click) everyone again.
func TestUnknownCountListsTheUnknown(t *testing.T) {
	k := newKeyConsole(t)
	cv := k.w.Canvas()
	if !strings.Contains(k.c.stateLine.Text, "unknown: 1") {
		t.Fatalf("status line %q", k.c.stateLine.Text)
	}
	test.Tap(k.c.stateLine)
	if k.c.list.Length() != 1 || k.c.snap.People[k.c.visible[0]].Status != calendar.StatusUnknown {
		t.Fatalf("after the click the list shows %d colleagues", k.c.list.Length())
	}
	if got := k.c.count.Text; got != "Status unknown: 1 · Esc shows everyone" {
		t.Errorf("count line %q", got)
	}
	cv.Focus(k.c.search)
	press(cv, fyne.KeyEscape)
	if k.c.list.Length() != 60 {
		t.Errorf("after Esc the list shows %d colleagues, want 60", k.c.list.Length())
	}
	test.Tap(k.c.stateLine)
	test.Tap(k.c.stateLine)
	if k.c.list.Length() != 60 {
		t.Errorf("after a second click the list shows %d colleagues, want 60", k.c.list.Length())
	}
}
