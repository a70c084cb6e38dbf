package ui

import (
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The console's keys. Fyne hands a key to the focused widget, and to the
// canvas only when nothing has focus, so every widget of the console that
// takes the focus (the search field, the list, the details' texts) passes
// these to the console before doing its own thing: the map works wherever the
// focus is.
var (
	shortcutFavourite = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutCopyPhone = &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	// Ctrl+Enter calls: Enter alone shows the colleague, so the call is
	// one modifier away from the key the operator already presses.
	shortcutCall       = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutCallKeypad = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutChat       = &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutEmail      = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutMessage    = &desktop.CustomShortcut{KeyName: fyne.KeyM, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSearch     = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutNextDay    = &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt}
	shortcutToday      = &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}
	// Text size, with the keys a browser zooms with: Ctrl and + (the "=" key
	// of a US layout, or the keypad's), Ctrl and -, Ctrl and 0.
	shortcutLargerText    = &desktop.CustomShortcut{KeyName: fyne.KeyEqual, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutLargerTextPad = &desktop.CustomShortcut{KeyName: fyne.KeyPlus, Modifier: fyne.KeyModifierShortcutDefault}
	// Ctrl+Shift+= is Ctrl and + as typed on a US layout.
	shortcutLargerTextShift = &desktop.CustomShortcut{KeyName: fyne.KeyEqual, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcutSmallerText     = &desktop.CustomShortcut{KeyName: fyne.KeyMinus, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutNormalTextSize  = &desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierShortcutDefault}
)

var consoleShortcuts = []fyne.Shortcut{shortcutFavourite, shortcutCopyPhone, shortcutCall, shortcutCallKeypad,
	shortcutChat, shortcutEmail, shortcutMessage, shortcutSearch, shortcutNextDay, shortcutToday,
	shortcutWatch, shortcutCallFreed, shortcutCallFreedKeypad,
	shortcutLargerText, shortcutLargerTextPad, shortcutLargerTextShift, shortcutSmallerText, shortcutNormalTextSize,
	shortcutMessageLog, shortcutNote, shortcutRooms}

// consoleShortcutRows lists the console's keys as the operator presses them,
// for the F1 list and Help > Keyboard shortcuts.
func consoleShortcutRows() [][2]string {
	return [][2]string{
		{lang.L("Type"), lang.L("Search by name, department, number or mail")},
		{lang.L("Up / Down"), lang.L("Move the selection (also from the search field)")},
		{lang.L("Page Up / Page Down, Home / End"), lang.L("Move the selection a page, to the first or to the last")},
		{"Enter", lang.L("Show the selected colleague and refresh them")},
		{"Esc", lang.L("Clear the search; again: clear the selection")},
		{"F5", lang.L("Refresh the selected colleague now")},
		{"Ctrl+D", lang.L("Add or remove the selected colleague from favourites")},
		{"Ctrl+Shift+C", lang.L("Copy the selected colleague's phone number")},
		{"Ctrl+Enter", lang.L("Call the selected colleague (work number, else mobile)")},
		{"Ctrl+T", lang.L("Teams chat with the selected colleague, with a message you pick")},
		{"Ctrl+E", lang.L("Email the selected colleague, with a message you pick")},
		{"Ctrl+M", lang.L("Take a message for the selected colleague")},
		{"Ctrl+B", lang.L("Tell me when the selected colleague is free (again: stop)")},
		{"Ctrl+Shift+Enter", lang.L("Call the colleague Frontdesk just told you is free")},
		{"Ctrl+N", lang.L("Write or edit the desk's note on the selected colleague (Esc: cancel, Ctrl+S: save)")},
		{"Alt+Right / Alt+Left", lang.L("Next working day / today")},
		{"Ctrl+F", lang.L("Go to the search field")},
		{"Ctrl+L", lang.L("Messages taken: today's, the last days', with a search")},
		{"Ctrl+R", lang.L("Meeting rooms / colleagues")},
		{"Ctrl++ / Ctrl+-", lang.L("Larger or smaller text (Ctrl+0: normal)")},
		{"F1", lang.L("This list")},
	}
}

// typedKey handles the console's plain keys; false leaves the key to the widget.
func (c *Console) typedKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyDown:
		c.move(1)
	case fyne.KeyUp:
		c.move(-1)
	case fyne.KeyPageDown:
		c.move(c.pageRows())
	case fyne.KeyPageUp:
		c.move(-c.pageRows())
	case fyne.KeyHome:
		c.choose(0, false)
	case fyne.KeyEnd:
		c.choose(len(c.visible)-1, false)
	case fyne.KeyReturn, fyne.KeyEnter:
		c.open()
		c.acted()
	case fyne.KeyEscape:
		c.escape()
	case fyne.KeyF5:
		c.RefreshSelected()
	case fyne.KeyF1:
		c.showShortcuts()
	default:
		return false
	}
	return true
}

// typedShortcut handles the console's shortcuts; false leaves it to the widget.
func (c *Console) typedShortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case shortcutFavourite.ShortcutName():
		c.toggleFavourite()
	case shortcutCopyPhone.ShortcutName():
		c.copyPhone()
	case shortcutCall.ShortcutName(), shortcutCallKeypad.ShortcutName():
		c.callSelected()
	case shortcutChat.ShortcutName():
		c.chatSelected()
	case shortcutEmail.ShortcutName():
		c.emailSelected()
	case shortcutMessage.ShortcutName():
		c.takeMessage()
	case shortcutWatch.ShortcutName():
		c.toggleWatch()
	case shortcutCallFreed.ShortcutName(), shortcutCallFreedKeypad.ShortcutName():
		c.freed.callNewest()
	case shortcutSearch.ShortcutName():
		c.focusSearch()
	case shortcutNote.ShortcutName():
		c.detail.deskNote.startEdit()
	case shortcutRooms.ShortcutName():
		c.toggleRooms()
	case shortcutNextDay.ShortcutName():
		c.showDay(true)
	case shortcutToday.ShortcutName():
		c.showDay(false)
	case shortcutLargerText.ShortcutName(), shortcutLargerTextPad.ShortcutName(), shortcutLargerTextShift.ShortcutName():
		stepTextSize(fyne.CurrentApp(), 1)
		c.textSizeChanged()
	case shortcutSmallerText.ShortcutName():
		stepTextSize(fyne.CurrentApp(), -1)
		c.textSizeChanged()
	case shortcutNormalTextSize.ShortcutName():
		SetTextSize(fyne.CurrentApp(), TextNormal)
		c.textSizeChanged()
	case shortcutMessageLog.ShortcutName():
		if c.showMessages != nil {
			c.showMessages()
		}
	default:
		return false
	}
	return true
}

// pageRows is how many rows the list shows at once, less one kept in view:
// Page Down moves by that much, as in any list.
func (c *Console) pageRows() int {
	rowHeight := newRow(c).MinSize().Height + theme.Padding()
	return max(int(c.list.Size().Height/rowHeight)-1, 1)
}

func (c *Console) textSizeChanged() {
	if c.opts.TextSizeChanged != nil {
		c.opts.TextSizeChanged()
	}
}

func (c *Console) canvas() fyne.Canvas {
	if app := fyne.CurrentApp(); app != nil {
		return app.Driver().CanvasForObject(c.content)
	}
	return nil
}

// focusSearch puts the cursor in the search with its text selected, so the
// next name typed replaces the last (Ctrl+F).
func (c *Console) focusSearch() {
	c.focusSearchField()
	c.search.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

func (c *Console) focusSearchField() {
	if cv := c.canvas(); cv != nil && cv.Focused() != c.search {
		cv.Focus(c.search)
	}
}

// typeIntoSearch sends a character typed anywhere in the console to the end of
// the search, or starts a new search with it when the last caller has been
// dealt with (see newSearchDue).
func (c *Console) typeIntoSearch(r rune) {
	if c.newSearchDue() {
		c.startSearch(r)
		return
	}
	c.keyTyped()
	c.focusSearchField()
	c.search.CursorColumn = len([]rune(c.search.Text))
	c.search.Entry.TypedRune(r)
}

// startSearch begins a new search with a character typed in the details:
// whoever the operator looked up there has been dealt with, so the next name
// replaces the last instead of being appended to it.
func (c *Console) startSearch(r rune) {
	c.keyTyped()
	c.focusSearch()
	c.search.Entry.TypedRune(r)
}

// newCallerIdle is how long without a key makes the next character typed
// start a new search: a pause that long is the next caller, not a hesitation.
const newCallerIdle = 10 * time.Second

// acted records that the operator did something with the colleague on show
// (Enter, a copy, a call, a message): that caller is dealt with, and the
// next character typed starts a new search. A focused search shows its text
// selected, as the sign that typing replaces it.
func (c *Console) acted() {
	c.dealtWith = true
	if cv := c.canvas(); cv != nil && cv.Focused() == c.search {
		c.search.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
}

// NewCaller makes the next character typed start a new search: the window
// was brought to the front, so whoever was looked up before has been dealt with.
func (c *Console) NewCaller() { c.acted() }

// newSearchDue reports whether the next character typed replaces the search
// rather than extending it: after an action, after newCallerIdle without a
// key, or after the window came to the front. An empty search has nothing to
// replace.
func (c *Console) newSearchDue() bool {
	if c.search.Text == "" {
		return false
	}
	return c.dealtWith || (!c.lastKey.IsZero() && c.opts.Now().Sub(c.lastKey) >= newCallerIdle)
}

// keyTyped notes a key typed into the console: it keeps the search going.
func (c *Console) keyTyped() {
	c.dealtWith = false
	c.lastKey = c.opts.Now()
	if c.confirming {
		c.confirming = false
		c.stateLine.SetText(c.describeState())
	}
}

func (c *Console) copyPhone() {
	p, ok := c.Selected()
	if !ok || p.Person.Phone == "" {
		return
	}
	c.copied(p.Person.Phone)
}

// callSelected calls the selected colleague's work number, else their mobile.
func (c *Console) callSelected() {
	p, ok := c.Selected()
	if !ok {
		return
	}
	c.callPerson(p, preferredNumber(p))
}

// preferredNumber is the number a call to p dials: work, else mobile.
func preferredNumber(p calendar.PersonState) string {
	if p.Person.Phone != "" {
		return p.Person.Phone
	}
	return p.Person.MobilePhone
}

// call hands the selected colleague's number (or address, as the template
// asks) to whatever the system has registered for the call URI.
func (c *Console) call(number string) {
	if p, ok := c.Selected(); ok {
		c.callPerson(p, number)
	}
}

// callPerson calls p on number through the call template, and says so in the
// status line until the next key or refresh.
func (c *Console) callPerson(p calendar.PersonState, number string) {
	u, err := calendar.CallURI(c.opts.CallURI, c.opts.DialPrefix, number, p.Person.Email)
	if err != nil {
		c.say(lang.L("{{.Name}} cannot be called from here: no number or address a phone can dial.", map[string]any{"Name": p.Person.Name}))
		return
	}
	c.say(lang.L("Calling {{.Name}}: {{.Number}}", map[string]any{"Name": p.Person.Name, "Number": shownCallTarget(u)}))
	c.acted()
	failed := func() {
		c.say(lang.L("The call did not start: no program on this PC answers {{.Scheme}} links. Ask IT to set one up.", map[string]any{"Scheme": u.Scheme + ":"}))
	}
	if c.opts.OpenURL != nil {
		if err := c.opts.OpenURL(u); err != nil {
			failed()
		}
		return
	}
	// Fyne's OpenURL waits for the handler to start on Windows (rundll32):
	// never on the Fyne goroutine.
	go func() {
		if err := fyne.CurrentApp().OpenURL(u); err != nil {
			fyne.Do(failed)
		}
	}()
}

// shownCallTarget is what the call dials, as the operator reads it: the
// number or address, not the whole link.
func shownCallTarget(u *url.URL) string {
	if u.Opaque != "" {
		if s, err := url.PathUnescape(u.Opaque); err == nil {
			return s
		}
		return u.Opaque
	}
	return u.String()
}

// say puts a sentence in the status line until the next key or refresh.
func (c *Console) say(text string) {
	c.stateLine.SetText(text)
	c.confirming = true
}

// copied puts text on the clipboard and says so in the status line until
// the next key or refresh: a copy shows nothing else on screen.
func (c *Console) copied(text string) {
	if text == "" {
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(text)
	c.stateLine.SetText(lang.L("Copied: {{.Text}}", map[string]any{"Text": text}))
	c.confirming = true
	c.acted()
}

// showShortcuts lists the keys (F1), over the console.
func (c *Console) showShortcuts() {
	if c.opts.ShowShortcuts != nil {
		c.opts.ShowShortcuts()
		return
	}
	cv := c.canvas()
	if cv == nil {
		return
	}
	rows := container.NewGridWithColumns(2)
	for _, r := range consoleShortcutRows() {
		rows.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
		rows.Add(widget.NewLabel(r[1]))
	}
	var pop *widget.PopUp
	closeBtn := widget.NewButton(lang.L("Close"), func() { pop.Hide() })
	title := widget.NewLabelWithStyle(lang.L("Keyboard shortcuts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	pop = widget.NewModalPopUp(container.NewBorder(title, container.NewHBox(closeBtn), nil, nil, rows), cv)
	pop.Show()
}

// InstallConsoleKeys answers the console's keys when no widget has focus.
// current returns the console on show (the window rebuilds it when the
// provider changes); nil when none.
func InstallConsoleKeys(cv fyne.Canvas, current func() *Console) {
	cv.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if c := current(); c != nil {
			c.typedKey(ev)
		}
	})
	cv.SetOnTypedRune(func(r rune) {
		if c := current(); c != nil {
			c.typeIntoSearch(r)
		}
	})
	for _, s := range consoleShortcuts {
		cv.AddShortcut(s, func(s fyne.Shortcut) {
			if c := current(); c != nil {
				c.typedShortcut(s)
			}
		})
	}
}

// searchEntry is the search field. Up, Down, Enter, Esc, F1 and F5 and the
// console's shortcuts act on the list from here, so the operator never has to
// leave the field.
//
// A focused Fyne entry animates its cursor at the display's frame rate for as
// long as it has focus: measured under Xvfb that made an idle console cost 6.3 %
// of a core against 1.2 % for a bare window. Like GTK, which stops blinking
// after 10 s, the field lets go of the focus after searchIdle without input;
// nothing is lost, since every key typed anywhere in the window comes back here.
type searchEntry struct {
	widget.Entry
	console *Console
	idle    *time.Timer
}

// searchIdle and doOnUI are variables for tests: the test driver runs fyne.Do
// on the calling goroutine, which would be the timer's.
var (
	searchIdle = 10 * time.Second
	doOnUI     = fyne.Do
)

func newSearchEntry(c *Console) *searchEntry {
	e := &searchEntry{console: c}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	e.touch()
	if !e.console.typedKey(ev) {
		e.console.keyTyped()
		e.Entry.TypedKey(ev)
	}
}

func (e *searchEntry) TypedRune(r rune) {
	e.touch()
	if e.console.newSearchDue() {
		e.console.startSearch(r)
		return
	}
	e.console.keyTyped()
	e.Entry.TypedRune(r)
}

func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	e.touch()
	if !e.console.typedShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

func (e *searchEntry) FocusGained() {
	e.Entry.FocusGained()
	e.touch()
}

func (e *searchEntry) FocusLost() {
	e.Entry.FocusLost()
	e.stopIdle()
}

func (e *searchEntry) stopIdle() {
	if e.idle != nil {
		e.idle.Stop()
	}
}

// touch restarts the idle countdown; one timer, no ticker.
func (e *searchEntry) touch() {
	if e.idle == nil {
		e.idle = time.AfterFunc(searchIdle, func() { doOnUI(e.letGo) })
		return
	}
	e.idle.Reset(searchIdle)
}

// letGo drops the focus when the field still has it: the cursor stops
// animating and the window goes quiet until the next key.
func (e *searchEntry) letGo() {
	if cv := e.console.canvas(); cv != nil && cv.Focused() == e {
		cv.Unfocus()
	}
}

// peopleList is the list of colleagues. It draws the selection itself (by
// person, in each row) because widget.List's Select scrolls; typing while the
// list has focus goes to the search.
type peopleList struct {
	widget.List
	console *Console
}

func newPeopleList(c *Console) *peopleList {
	l := &peopleList{console: c}
	l.Length = func() int { return len(c.visible) }
	l.CreateItem = func() fyne.CanvasObject { return newRow(c) }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		r := o.(*row)
		if !r.listed {
			// Only rows that draw items are kept: the list makes a row at
			// every Refresh to measure one, and that one is never drawn.
			r.listed = true
			c.rows = append(c.rows, r)
		}
		c.onScreenAt(r, id)
		r.update(c, id)
	}
	l.OnSelected = func(id widget.ListItemID) {
		l.UnselectAll() // the row highlight follows c.chosen instead
		c.choose(id, true)
	}
	l.ExtendBaseWidget(l)
	return l
}

// Refresh redraws the rows on screen, which record again which item each
// draws: a row the list set aside since draws nothing (Console.onScreen).
func (l *peopleList) Refresh() {
	clear(l.console.onScreen)
	l.List.Refresh()
}

func (l *peopleList) TypedKey(ev *fyne.KeyEvent) {
	if !l.console.typedKey(ev) {
		l.List.TypedKey(ev)
	}
}

func (l *peopleList) TypedRune(r rune) { l.console.typeIntoSearch(r) }

func (l *peopleList) TypedShortcut(s fyne.Shortcut) { l.console.typedShortcut(s) }

// FocusGained draws a ring round the list: Fyne's own focus hint is too faint
// to find from across a desk.
func (l *peopleList) FocusGained() {
	l.List.FocusGained()
	l.console.setListRing(true)
}

func (l *peopleList) FocusLost() {
	l.List.FocusLost()
	l.console.setListRing(false)
}
