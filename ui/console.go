// Package ui is everything Fyne: the console window, its widgets and the bridge
// that applies refresh snapshots to them on the Fyne goroutine.
package ui

import (
	"image/color"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Options are what the composition root hands the console.
type Options struct {
	// Demo labels every screen as demo data so nobody takes it for real colleagues.
	Demo bool
	// Notice is shown above the list until the next good refresh (a settings problem at start).
	Notice string
	// Now is the clock the console describes times against.
	Now func() time.Time
	// RefreshPerson asks the engine for an on-demand refresh of one person:
	// force for F5; a selection (click, Enter) passes false, and the engine
	// sends nothing while the person's data is fresh.
	RefreshPerson func(key string, force bool)
	// Describe turns an engine failure into the operator's sentence.
	Describe func(error) string
	// EngineBanner: the window shows engine failures in its own banner with the
	// action that fixes them, so the notice keeps to the start-up message.
	EngineBanner bool
	// Favourites are the starred person keys at start (config people.favourites).
	Favourites []string
	// SaveFavourites keeps the starred keys for the next start. The console
	// calls it on the Fyne goroutine at each star, so the calls come in the
	// order of the clicks: it must only queue the write and return at once; the
	// channel gets the outcome. Nil: this session only.
	SaveFavourites func(keys []string) <-chan error
	// ShowShortcuts shows the keyboard shortcuts (F1); nil: the console's own list.
	ShowShortcuts func()
	// SplitOffset is where the divider between the list and the details
	// starts, as a fraction of the width; 0 is the middle.
	SplitOffset float64
	// CallURI is the template a colleague is called through ({number},
	// {email}); "" is tel:{number}. DialPrefix goes before every number.
	CallURI    string
	DialPrefix string
	// OpenURL hands a URI to whatever the system has registered for it. It
	// is called on the Fyne goroutine and must return at once (tests record
	// the URI); nil: the Fyne app's OpenURL, off the Fyne goroutine.
	OpenURL func(*url.URL) error
	// ChatURI is the template a Teams chat opens through ({email}, {text});
	// "" is calendar.DefaultChatURI.
	ChatURI string
	// MessageTemplates are the messages the operator picks for a chat or an
	// email ({name}, {caller}, {number}, {time}); empty: the console's own,
	// in the operator's language.
	MessageTemplates []string
	// TextSizeChanged is called after a key changed the text size, so an
	// open Settings can show the new choice; nil: nothing to tell.
	TextSizeChanged func()
	// Messages keeps the messages the desk takes (Ctrl+M); nil: they are
	// sent but not kept.
	Messages MessageLog
	// Notes keeps the desk's notes on colleagues (Ctrl+N); nil: no notes.
	Notes DeskNotes
	// Photos gives colleagues' photos; nil: initials only.
	Photos PhotoSource
	// WatchesChanged tells the engine whom the operator watches ("tell me
	// when free"), in order, so they are asked about first; called on the
	// Fyne goroutine, at start and at each change. Nil: nobody to tell.
	WatchesChanged func(keys []string)
	// Notify raises a desktop notification; called on the Fyne goroutine
	// and must return at once (tests record it). Nil: the Fyne app's
	// SendNotification, off the Fyne goroutine.
	Notify func(*fyne.Notification)
}

// Console is the main window's content: search, the list of colleagues and the
// details of the one selected.
type Console struct {
	opts  Options
	snap  calendar.Snapshot
	index *searchIndex
	// indexed is the directoryPrint c.index was built from. A snapshot of
	// another directory (or new notes) waits in waiting while its index is
	// built off the Fyne goroutine (building, for the print in building);
	// until then the list keeps the last snapshot and its index, whose rows
	// are its people. indexGen tells a build's result from a superseded one.
	indexed  uint64
	building struct {
		on    bool
		print uint64
	}
	waiting  *calendar.Snapshot
	indexGen int
	// showGen tells the last show's drawing from a superseded one's.
	showGen int
	// notesGen counts the notes read; indexedNotes is the count c.index
	// holds the notes of.
	notesGen, indexedNotes int
	// tally counts the snapshot on show; changed are the people the last
	// apply in place found changed (apply.go).
	tally          tally
	changed        []int
	appliedInPlace int // for the tests
	// rowsDrawn and detailsDrawn are what the rows on screen and the
	// details were last drawn against; onScreen is the list item each row
	// widget last drew; watchedAt finds the watched colleagues.
	rowsDrawn, detailsDrawn drawContext
	onScreen                map[*row]widget.ListItemID
	watchedAt               watchedAt
	// chosenRow is rowOf(chosen) while the rows and the people stay.
	chosenRow struct {
		key string
		row int
		ok  bool
	}
	// matches are the people the search finds, in the list's ordering; visible is
	// the same with favourites pinned on top: what the list rows show.
	matches []int
	visible []int
	// chosen is the selected colleague's Person.Key: the selection follows the
	// person, not the row, so a refresh that reorders nobody moves nothing.
	chosen string
	// nextDay shows the next working day in the details instead of today.
	nextDay bool
	shown   shown

	// dealtWith: the operator acted on the colleague on show, and lastKey is
	// when they last typed; together they decide when typing starts a new
	// search (newSearchDue).
	dealtWith bool
	lastKey   time.Time
	// confirming: the status line says what was just copied.
	confirming bool
	// unknownOnly narrows the list to the colleagues whose status is unknown
	// (a click on "unknown: 2" in the status line; Esc shows everyone again).
	unknownOnly bool
	// rooms shows the meeting rooms instead of the colleagues (Ctrl+R, the
	// tabs); otherChosen is the selection of the view not on show.
	rooms       bool
	otherChosen string

	// notes are the desk's notes by person key in lower case, as last
	// read; notesProblem is why the file could not be read at the last look.
	notes          map[string]DeskNote
	notesProblem   error
	notesReloading bool
	rows           []*row // every list row that has drawn an item, for redrawing a photo that arrived
	// showMessages opens the messages taken (Ctrl+L); the window sets it.
	showMessages func()

	favourites []string // person keys, lower case, in the order starred
	favSet     map[string]bool
	// watches are the colleagues the operator is to be told about when
	// they are free (Ctrl+B); freed says so above the search.
	watches *calendar.Watches
	freed   *freedBanner

	search    *searchEntry
	tips      *tipLayer // full texts of truncated labels, over the console
	list      *peopleList
	listRing  *canvas.Rectangle
	count     *widget.Label
	tabs      *viewTabs
	roomsNote *widget.Label
	stateLine *stateLabel
	notice    *widget.Label
	detail    *detailPane
	content   fyne.CanvasObject
	split     *container.Split

	// showModal opens a dialog that has the keyboard (the window's); nil
	// when the console is on its own: the picker and the message form then
	// do not open.
	showModal func(name, title, dismiss string, content fyne.CanvasObject, size fyne.Size, enter func()) *modal
	// async runs I/O off the Fyne goroutine (the message log); tests make
	// it synchronous.
	async func(func())
	// picker and form are the last template picker and message form opened.
	picker *messagePicker
	form   *messageForm
}

// NewConsole builds the console's widgets. Call on the Fyne goroutine.
func NewConsole(opts Options) *Console {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Describe == nil {
		opts.Describe = func(err error) string { return err.Error() }
	}
	opts.Describe = scrubbedDescribe(opts.Describe)
	c := &Console{opts: opts, index: newSearchIndex(nil, nil), indexed: directoryPrint(nil, nil), favSet: map[string]bool{}, async: func(f func()) { go f() }}
	for _, k := range opts.Favourites {
		c.addFavourite(k)
	}
	c.search = newSearchEntry(c)
	c.search.SetPlaceHolder(lang.L("Type a name, department or number"))
	c.search.OnChanged = func(string) { c.filter(true) }
	c.tips = newTipLayer()

	c.list = newPeopleList(c)
	c.listRing = canvas.NewRectangle(color.Transparent)
	c.listRing.StrokeWidth = 2
	c.listRing.CornerRadius = 4

	c.count = widget.NewLabel("")
	c.count.Truncation = fyne.TextTruncateEllipsis
	c.tabs = newViewTabs(c)
	c.roomsNote = widget.NewLabel("")
	c.roomsNote.Wrapping = fyne.TextWrapWord
	c.roomsNote.Importance = widget.WarningImportance
	c.roomsNote.Hide()
	c.stateLine = newStateLabel(lang.L("Loading colleagues…"), c.toggleUnknownOnly)
	c.notice = widget.NewLabel(opts.Notice)
	c.notice.Wrapping = fyne.TextWrapWord
	c.notice.Importance = widget.WarningImportance
	if opts.Notice == "" {
		c.notice.Hide()
	}
	c.detail = newDetailPane(c)
	c.watches = restoreWatches(opts.Now())
	c.freed = newFreedBanner(c)
	if opts.WatchesChanged != nil && c.watches.Len() > 0 {
		opts.WatchesChanged(c.watches.Keys())
	}

	top := container.NewVBox(c.notice, c.freed.root, c.search)
	if opts.Demo {
		top.Objects = append([]fyne.CanvasObject{demoBanner()}, top.Objects...)
	}
	listSide := container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, c.tabs.root, c.count), c.roomsNote), nil, nil, nil, container.NewStack(c.list, c.listRing))
	c.split = container.NewHSplit(listSide, c.detail.root)
	c.split.Offset = defaultSplitOffset
	if opts.SplitOffset != 0 {
		c.split.Offset = opts.SplitOffset
	}
	c.content = container.NewStack(container.NewBorder(top, c.stateLine, nil, nil, c.split), c.tips.root)
	c.updateCount()
	c.watchPhotos()
	return c
}

// SplitOffset is where the operator left the divider between the list and
// the details.
func (c *Console) SplitOffset() float64 { return c.split.Offset }

// Content is the console's root object for a window.
func (c *Console) Content() fyne.CanvasObject { return c.content }

// SearchEntry is focused when the window opens: the operator starts typing at once.
func (c *Console) SearchEntry() fyne.Focusable { return c.search }

// demoBanner says demo in dark text on amber in both themes: white on amber
// cannot be read in the dark theme.
func demoBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(demoBannerColor)
	text := canvas.NewText(lang.L("DEMO DATA: a fictional company, not your colleagues"), demoBannerText)
	text.TextStyle = fyne.TextStyle{Bold: true}
	text.Alignment = fyne.TextAlignCenter
	return container.NewStack(bg, container.NewPadded(text))
}

// Apply shows a new snapshot. Call on the Fyne goroutine (the bridge does).
// The list keeps its scroll offset and the selection its person. A snapshot
// of the same directory shows at once, and redraws only what changed when
// the engine numbered it (applyInPlace); one of another directory shows when
// its search index, built off the Fyne goroutine, is ready.
func (c *Console) Apply(s calendar.Snapshot) {
	c.reloadNotes()
	if c.applyInPlace(s) {
		return
	}
	c.waiting = &s
	c.indexFor(s.People)
}

// indexFor makes c.index fit people and the notes: at once when it already
// does, else by a build whose end shows the waiting snapshot (or, for new
// notes alone, filters again).
func (c *Console) indexFor(people []*calendar.PersonState) {
	fp := directoryPrint(people, c.notes)
	if fp == c.indexed {
		c.indexGen++ // a build still running is for a directory no longer coming
		c.building.on = false
		c.indexedNotes = c.notesGen
		c.indexReady()
		return
	}
	if c.building.on && c.building.print == fp {
		return // the build running is the one needed
	}
	c.indexGen++
	gen, notes, notesGen := c.indexGen, c.notes, c.notesGen
	c.building.on, c.building.print = true, fp
	buildIndex(func() *searchIndex { return newSearchIndex(people, notes) }, func(ix *searchIndex) {
		if gen != c.indexGen {
			return
		}
		c.index, c.indexed, c.building.on, c.indexedNotes = ix, fp, false, notesGen
		c.indexReady()
	})
}

// indexReady shows the snapshot waiting for its index, or the last one with
// the index of new notes.
func (c *Console) indexReady() {
	s := c.waiting
	if s == nil {
		c.filter(false)
		return
	}
	c.waiting = nil
	c.show(*s)
}

// show puts a snapshot whose index is c.index on screen, in two turns of the
// UI thread, each well under SlowUICallback at 50,000 people: here what
// grows with the company (the counts, the search over everyone), with no
// widget touched, so the window still shows the last snapshot whole; on the
// next turn (drawShown) the state line, the watches and the list's rows.
// Together they held the thread 30-45 ms of its CPU at the start.
func (c *Console) show(s calendar.Snapshot) {
	c.snap = s
	c.chosenRow.ok = false
	c.countAll()
	c.narrow(false)
	c.showGen++
	gen := c.showGen
	drawShown(len(s.People), func() {
		if gen != c.showGen {
			return // a later show draws
		}
		c.showState()
		c.checkWatches()
		c.drawList(false)
	})
}

// drawShown runs the second turn of a show on the Fyne goroutine, after what
// is queued there already (a frame among it), timed. Tests hold it
// (TestShowDrawsOnTheNextTurn); Fyne's test driver runs it at once.
var drawShown = func(people int, draw func()) {
	uiThread.onUI("draw the list with its new search index", people, draw)
}

func (c *Console) describeState() string {
	s := c.snap
	now := c.now() // in the zone the snapshot is told in, as the details
	var line string
	switch s.Engine.State {
	case calendar.StateThrottled:
		if !s.Engine.Until.IsZero() {
			line = lang.L("Server busy: waiting until {{.Time}}", map[string]any{"Time": shortTime(s.Engine.Until, now)})
		} else {
			line = lang.L("Server busy: waiting")
		}
	case calendar.StateAuthPaused:
		// Exchange has no sign-in: a rejected password is named, any other
		// pause (a locked keyring, no permission) points at the banner's words.
		_, rejected := calendar.PasswordRejection(s.Engine.Reason)
		switch {
		case rejected:
			line = lang.L("Paused: the Exchange password is needed")
		case s.Source == "ews":
			line = lang.L("Paused: see the message above")
		default:
			line = lang.L("Paused: sign-in needed")
		}
	case calendar.StateOffline:
		if !s.Engine.Since.IsZero() {
			line = lang.L("Offline since {{.Time}}: showing last known data", map[string]any{"Time": shortTime(s.Engine.Since, now)})
		} else {
			line = lang.L("Offline: showing last known data")
		}
	case calendar.StateConfigError:
		line = lang.L("Settings problem: see the message above")
	default:
		unknown := c.unknownCount()
		// "Updated" is when the oldest answer on show arrived, not when a cycle began.
		updated := c.oldestFetch()
		if updated.IsZero() {
			updated = s.GeneratedAt
		}
		colleagues := c.colleagueCount()
		data := map[string]any{"Count": colleagues, "Time": clockSeconds(updated.In(now.Location())), "Unknown": unknown}
		switch {
		case colleagues == 1 && unknown > 0:
			line = lang.L("1 colleague · updated {{.Time}} · unknown: {{.Unknown}}", data)
		case colleagues == 1:
			line = lang.L("1 colleague · updated {{.Time}}", data)
		case unknown > 0:
			line = lang.L("{{.Count}} colleagues · updated {{.Time}} · unknown: {{.Unknown}}", data)
		default:
			line = lang.L("{{.Count}} colleagues · updated {{.Time}}", data)
		}
	}
	line = savedDirectoryLine(s, now, line)
	if c.opts.Demo {
		return lang.L("Demo data · {{.Line}}", map[string]any{"Line": line})
	}
	return line
}

// filter recomputes the rows from the snapshot, the search and the favourites.
// It never selects or unselects list rows (that scrolls): rows draw their own
// highlight from c.chosen. typed is true when the operator changed the search.
func (c *Console) filter(typed bool) {
	c.narrow(typed)
	c.drawList(typed)
}

// drawList draws the rows narrow chose, the count and the details.
func (c *Console) drawList(typed bool) {
	if typed {
		c.list.ScrollToTop()
	}
	c.list.Refresh()
	c.rowsDrawn = c.drawContext()
	c.updateCount()
	c.showChosen()
}

// narrow is a keystroke's search without the widgets: who matches, favourites
// on top, and who stays selected.
func (c *Console) narrow(typed bool) {
	c.chosenRow.ok = false
	c.matches = c.index.filter(c.search.Text, c.matches)
	c.matches = slices.DeleteFunc(c.matches, func(idx int) bool { return !c.inView(idx) })
	if c.unknownOnly {
		c.matches = slices.DeleteFunc(c.matches, func(idx int) bool { return c.snap.People[idx].Status != calendar.StatusUnknown })
	}
	if len(c.favSet) > 0 {
		// Stars go on top among equally good matches: a starred namesake
		// never beats the colleague whose name was typed.
		ix := c.index
		key := func(idx int) int {
			k := 2 * int(ix.score[idx])
			if !c.favSet[ix.keys[idx]] {
				k++
			}
			return k
		}
		clear(ix.bucket[:])
		for _, idx := range c.matches {
			ix.bucket[key(idx)+1]++
		}
		c.visible = ix.rank(c.matches, c.visible, key)
	} else {
		c.visible = append(c.visible[:0], c.matches...)
	}
	if typed && c.search.Text != "" && len(c.visible) > 0 {
		// Typing picks the best match, so Enter or a glance answers at once:
		// "ben" then " h" moves from Ben Berger to Ben Holm.
		c.chosen = c.snap.People[c.visible[0]].Person.Key()
		return
	}
	if c.rowOf(c.chosen) < 0 {
		c.chosen = ""
	}
}

func (c *Console) updateCount() {
	c.count.Importance = widget.MediumImportance
	if c.rooms {
		c.updateRoomsCount()
		return
	}
	switch {
	case c.unknownOnly:
		c.count.SetText(lang.L("Status unknown: {{.Count}} · Esc shows everyone", map[string]any{"Count": len(c.matches)}))
	case c.search.Text == "" && c.viewTotal() == 1:
		c.count.SetText(lang.L("1 colleague"))
	case c.search.Text == "":
		c.count.SetText(lang.L("{{.Count}} colleagues", map[string]any{"Count": c.viewTotal()}))
	case len(c.matches) == 0:
		c.count.Importance = widget.WarningImportance
		c.count.SetText(lang.L("No colleague matches “{{.Query}}”", map[string]any{"Query": strings.TrimSpace(c.search.Text)}))
	default:
		c.count.SetText(lang.L("Matches: {{.Count}} of {{.Total}}", map[string]any{"Count": len(c.matches), "Total": c.viewTotal()}))
	}
	c.roomsNote.Hide()
}

// rowOf is the list row showing the person with key, or -1.
func (c *Console) rowOf(key string) int {
	if key == "" {
		return -1
	}
	if r := c.chosenRow; r.ok && r.key == key {
		return r.row
	}
	row := -1
	for i, idx := range c.visible {
		if c.snap.People[idx].Person.Key() == key {
			row = i
			break
		}
	}
	if key == c.chosen {
		// Asked at each apply and keystroke: a walk over 50,000 rows.
		c.chosenRow.key, c.chosenRow.row, c.chosenRow.ok = key, row, true
	}
	return row
}

// Selected is the selected colleague, if any.
func (c *Console) Selected() (calendar.PersonState, bool) {
	if row := c.rowOf(c.chosen); row >= 0 {
		return *c.snap.People[c.visible[row]], true
	}
	return calendar.PersonState{}, false
}

// shown is what the details pane shows, so a keystroke that keeps the same
// colleague selected does not lay the pane out again.
type shown struct {
	key       string
	generated time.Time
	nextDay   bool
	favourite bool
	watched   bool
}

func (c *Console) showChosen() {
	p, ok := c.Selected()
	if !ok {
		c.detail.clear()
		c.shown = shown{}
		return
	}
	now := shown{key: c.chosen, generated: c.snap.GeneratedAt, nextDay: c.nextDay, favourite: c.isFavourite(c.chosen), watched: c.isWatched(c.chosen)}
	if now == c.shown && !c.snap.GeneratedAt.IsZero() {
		return
	}
	c.shown = now
	loc := c.snap.At.Location()
	day := calendar.DayOf(c.snap.At, loc)
	if c.nextDay {
		day = nextWorkingDay(day, loc)
	}
	at := c.opts.Now().In(loc)
	c.detail.show(p, day, at, c.nextDay, now.favourite, c.snap.Stale(&p, at))
	c.detailsDrawn = c.drawContext()
	c.detail.bell.SetIcon(bellIcon(now.watched))
}

// choose selects the person on row (a click, Up/Down, Enter) and brings the row
// into view: the operator moved there, unlike a refresh. It runs on the Fyne
// goroutine already; timed like the bridge's callbacks, since the details it
// draws hold the window as an apply does.
func (c *Console) choose(row int, refresh bool) {
	if row < 0 || row >= len(c.visible) {
		return
	}
	uiThread.run("show a colleague", len(c.snap.People), func() { c.chooseRow(row, refresh) })
}

func (c *Console) chooseRow(row int, refresh bool) {
	key := c.snap.People[c.visible[row]].Person.Key()
	c.chosen = key
	c.list.ScrollTo(row)
	c.list.Refresh()
	c.showChosen()
	if refresh && c.opts.RefreshPerson != nil {
		c.opts.RefreshPerson(key, false)
	}
}

// move shifts the selection by delta rows (Up/Down), from the search field too.
func (c *Console) move(delta int) {
	if len(c.visible) == 0 {
		return
	}
	row := c.rowOf(c.chosen)
	switch {
	case row < 0 && delta > 0:
		row = 0
	case row < 0:
		row = len(c.visible) - 1
	default:
		row = min(max(row+delta, 0), len(c.visible)-1)
	}
	c.choose(row, false)
}

// open shows the selected colleague (or the first match) and asks for fresh data.
func (c *Console) open() {
	row := c.rowOf(c.chosen)
	if row < 0 {
		row = 0
	}
	c.choose(row, true)
}

// escape clears the search first, then the selection; the list of the
// unknown ones goes first of all.
func (c *Console) escape() {
	if c.unknownOnly {
		c.toggleUnknownOnly()
		return
	}
	if c.search.Text != "" {
		c.search.SetText("")
		if row := c.rowOf(c.chosen); row >= 0 {
			c.list.ScrollTo(row)
		}
		return
	}
	c.chosen = ""
	c.nextDay = false
	c.list.Refresh()
	c.showChosen()
}

// toggleUnknownOnly shows only the colleagues whose status is unknown, or
// everyone again. With nobody unknown there is nothing to show.
func (c *Console) toggleUnknownOnly() {
	if !c.unknownOnly && c.unknownCount() == 0 {
		return
	}
	c.unknownOnly = !c.unknownOnly
	c.filter(false)
	c.list.ScrollToTop()
}

func (c *Console) unknownCount() int { return c.tally.unknown }

// RefreshSelected asks for a fresh look at the selected colleague (F5).
func (c *Console) RefreshSelected() {
	if c.chosen != "" && c.opts.RefreshPerson != nil {
		c.opts.RefreshPerson(c.chosen, true)
	}
}

// showDay switches the details between today and the next working day.
func (c *Console) showDay(next bool) {
	c.nextDay = next
	c.showChosen()
}

// nextWorkingDay is the first Monday-to-Friday day after day.
func nextWorkingDay(day calendar.Window, loc *time.Location) calendar.Window {
	d := day.Start
	for {
		d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			return calendar.DayOf(d, loc)
		}
	}
}

// scrubbedDescribe passes every sentence the window shows for a failure
// through the process's one secret scrubber: a reason may quote what a
// server said, and a server may have echoed the password or token it was sent.
func scrubbedDescribe(describe func(error) string) func(error) string {
	return func(err error) string { return calendar.ScrubSecrets(describe(err)) }
}

// stateLabel is the status line; a click on it lists the colleagues whose
// status is unknown ("unknown: 2" led nowhere), a second click everyone.
type stateLabel struct {
	widget.Label
	onTap func()
}

func newStateLabel(text string, onTap func()) *stateLabel {
	l := &stateLabel{onTap: onTap}
	l.Text = text
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

func (l *stateLabel) Tapped(*fyne.PointEvent) { l.onTap() }
