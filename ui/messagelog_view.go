package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// shortcutMessageLog opens the messages taken (Ctrl+L: "log"; Ctrl+M takes one).
var shortcutMessageLog = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}

// messagesModal names the dialog of the messages taken.
const messagesModal = "messages"

// messageFindTimeout bounds one read of the message log.
const messageFindTimeout = 10 * time.Second

// The periods the view shows, shortest first.
const (
	periodToday = iota
	periodWeek
	periodAll
	periodCount
)

// messagesView is the dialog of the messages taken at this desk: today's,
// the last seven days' or all kept, narrowed by a search. It has the
// keyboard while it is open: the search takes the letters, Up and Down move
// through the messages, Tab reaches the periods, Esc closes from anywhere.
type messagesView struct {
	m   *mainWindow
	log MessageLog
	md  *modal

	search  *messagesSearch
	periods [periodCount]*messagesButton
	period  int
	list    *messagesList
	status  *widget.Label
	detail  *widget.Label

	found    []TakenMessage
	selected int // index in found, -1: none
	// gen numbers the reads: a slow read answered after a newer one is dropped.
	gen int
}

// showMessages opens the messages taken, or gives its search the keyboard
// when it is open already. Another dialog open keeps the keyboard.
func (m *mainWindow) showMessages() {
	log := m.opts.Console.Messages
	if log == nil {
		return
	}
	if m.modal != nil {
		if m.modal.name == messagesModal && m.messages != nil {
			m.win.Canvas().Focus(m.messages.search)
		}
		return
	}
	v := &messagesView{m: m, log: log, selected: -1}
	content := v.build()
	size := fyne.NewSize(760, 540)
	if cs := m.win.Canvas().Size(); cs.Width > 0 {
		size = fyne.NewSize(min(size.Width, cs.Width-40), min(size.Height, cs.Height-40))
	}
	v.md = m.showModal(messagesModal, lang.L("Messages taken"), lang.L("Close"), content, size, nil)
	m.messages = v
	// After a click on the dialog's text nothing has the focus: the keys
	// still move through the messages.
	v.md.keyHook = v.typedKey
	v.md.d.SetOnClosed(func() {
		if m.modal == v.md {
			m.modal = nil
		}
		if m.messages == v {
			m.messages = nil
		}
		if c := m.shownConsole(); c != nil {
			m.win.Canvas().Focus(c.SearchEntry())
		}
	})
	m.win.Canvas().Focus(v.search)
	v.load()
}

func (v *messagesView) build() fyne.CanvasObject {
	v.search = newMessagesSearch(v)
	v.search.SetPlaceHolder(lang.L("Search caller, colleague, company, number or text"))
	v.search.OnChanged = func(string) { v.load() }
	labels := [periodCount]string{lang.L("Today"), lang.L("Last 7 days"), lang.L("All kept")}
	buttons := container.NewHBox()
	for p := range periodCount {
		v.periods[p] = newMessagesButton(v, labels[p], func() { v.choosePeriod(p) })
		buttons.Add(v.periods[p])
	}
	v.showPeriod()
	v.list = newMessagesList(v)
	v.status = widget.NewLabel("")
	v.status.Importance = widget.MediumImportance
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord
	detail := container.NewVScroll(v.detail)
	detail.SetMinSize(fyne.NewSize(0, 130))
	top := container.NewVBox(v.search, container.NewBorder(nil, nil, buttons, nil, v.status))
	return container.NewBorder(top, container.NewVBox(widget.NewSeparator(), detail), nil, nil, v.list)
}

// since is the start of the period on show; the zero time is all kept.
func (v *messagesView) since() time.Time {
	now := v.m.opts.Console.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch v.period {
	case periodToday:
		return today
	case periodWeek:
		return today.AddDate(0, 0, -6)
	}
	return time.Time{}
}

func (v *messagesView) choosePeriod(p int) {
	v.period = p
	v.showPeriod()
	v.load()
	v.m.win.Canvas().Focus(v.search)
}

func (v *messagesView) showPeriod() {
	for p, b := range v.periods {
		if p == v.period {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
}

// load reads the log for the period and the search off the Fyne goroutine
// and shows what it finds.
func (v *messagesView) load() {
	v.gen++
	gen, query, since := v.gen, v.search.Text, v.since()
	v.m.async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), messageFindTimeout)
		defer cancel()
		found, err := v.log.Find(ctx, query, since)
		fyne.Do(func() {
			if gen == v.gen {
				v.show(query, found, err)
			}
		})
	})
}

func (v *messagesView) show(query string, found []TakenMessage, err error) {
	v.found = found
	v.selected = -1
	v.list.UnselectAll()
	v.list.Refresh()
	v.list.ScrollToTop()
	v.detail.SetText("")
	switch {
	case err != nil:
		v.status.Importance = widget.WarningImportance
		v.status.SetText(err.Error())
		return
	case len(found) == 0 && strings.TrimSpace(query) != "":
		v.status.SetText(lang.L("No message holds “{{.Query}}”.", map[string]any{"Query": strings.TrimSpace(query)}))
	case len(found) == 0 && v.period == periodToday:
		v.status.SetText(lang.L("No message taken today."))
	case len(found) == 0:
		v.status.SetText(lang.L("No message taken in this period."))
	case len(found) == 1:
		v.status.SetText(lang.L("1 message"))
	default:
		v.status.SetText(lang.L("{{.Count}} messages", map[string]any{"Count": len(found)}))
	}
	v.status.Importance = widget.MediumImportance
	v.status.Refresh()
	if len(found) > 0 {
		v.choose(0)
	}
}

// choose selects the i-th message and shows it whole below the list.
func (v *messagesView) choose(i int) {
	if len(v.found) == 0 {
		return
	}
	i = max(0, min(i, len(v.found)-1))
	v.selected = i
	v.list.Select(i)
	v.detail.SetText(v.whole(v.found[i]))
}

func (v *messagesView) move(by int) { v.choose(v.selected + by) }

// when is a message's time: the time of day today, the day before it else.
func (v *messagesView) when(t time.Time) string {
	now := v.m.opts.Console.Now()
	t = t.In(now.Location())
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return clock(t)
	}
	day := lang.L("{{.Weekday}} {{.Day}} {{.Month}}", map[string]any{"Weekday": weekdayShort(t.Weekday()), "Day": t.Day(), "Month": monthShort(t.Month())})
	return day + " " + clock(t)
}

// headline is a message's first row: when, for whom, and its ticks.
func (v *messagesView) headline(msg TakenMessage) string {
	parts := []string{v.when(msg.At), lang.L("for {{.Name}}", map[string]any{"Name": msg.For})}
	if msg.Urgent {
		parts = append(parts, lang.L("urgent"))
	}
	if msg.CallBack {
		parts = append(parts, lang.L("please call back"))
	}
	return strings.Join(parts, " · ")
}

// caller is who called: name, company and number, those given.
func caller(msg TakenMessage) string {
	var parts []string
	for _, p := range []string{msg.Caller, msg.Company, msg.Number} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// summary is a message's second row: the caller and the text on one line.
func summary(msg TakenMessage) string {
	text := strings.Join(strings.Fields(msg.Text), " ")
	switch who := caller(msg); {
	case who == "":
		return text
	case text == "":
		return who
	default:
		return who + ": " + text
	}
}

// whole is the message as the detail shows it: everything, the text whole.
func (v *messagesView) whole(msg TakenMessage) string {
	lines := []string{v.headline(msg)}
	if msg.ForEmail != "" {
		lines[0] += " (" + msg.ForEmail + ")"
	}
	if who := caller(msg); who != "" {
		lines = append(lines, lang.L("From: {{.Caller}}", map[string]any{"Caller": who}))
	}
	switch msg.SentVia {
	case SentViaTeams:
		lines = append(lines, lang.L("Sent as a Teams chat"))
	case SentViaEmail:
		lines = append(lines, lang.L("Sent by email"))
	}
	if msg.Text != "" {
		lines = append(lines, "", msg.Text)
	}
	return strings.Join(lines, "\n")
}

// closeView closes the dialog (Esc from any of its widgets).
func (v *messagesView) closeView() { v.md.d.Hide() }

// typedKey answers the view's keys from any of its widgets; false leaves
// the key to the widget.
func (v *messagesView) typedKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		v.closeView()
	case fyne.KeyDown:
		v.move(1)
	case fyne.KeyUp:
		v.move(-1)
	case fyne.KeyPageDown:
		v.move(v.list.pageRows())
	case fyne.KeyPageUp:
		v.move(-v.list.pageRows())
	case fyne.KeyF1:
		// The list of keys is another dialog: not over this one.
	default:
		return false
	}
	return true
}

// messagesSearch is the view's search field.
type messagesSearch struct {
	widget.Entry
	view *messagesView
}

func newMessagesSearch(v *messagesView) *messagesSearch {
	e := &messagesSearch{view: v}
	e.ExtendBaseWidget(e)
	return e
}

func (e *messagesSearch) TypedKey(ev *fyne.KeyEvent) {
	if !e.view.typedKey(ev) {
		e.Entry.TypedKey(ev)
	}
}

// messagesButton is a period button that closes the view on Esc and picks
// on Enter as on Space.
type messagesButton struct {
	widget.Button
	view *messagesView
}

func newMessagesButton(v *messagesView, label string, tapped func()) *messagesButton {
	b := &messagesButton{view: v}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *messagesButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		b.view.closeView()
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		b.Tapped(nil)
	}
}

// messagesList lists the messages, two rows each. A click selects; the
// keys and the letters typed go where they would from the search.
type messagesList struct {
	widget.List
	view *messagesView
}

func newMessagesList(v *messagesView) *messagesList {
	l := &messagesList{view: v}
	l.Length = func() int { return len(v.found) }
	l.CreateItem = func() fyne.CanvasObject {
		head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Truncation = fyne.TextTruncateEllipsis
		body := widget.NewLabel("")
		body.Truncation = fyne.TextTruncateEllipsis
		// Tighter than a VBox's padding: the two rows are one message.
		return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), head, body)
	}
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(v.found) {
			return
		}
		rows := o.(*fyne.Container).Objects
		rows[0].(*widget.Label).SetText(v.headline(v.found[id]))
		rows[1].(*widget.Label).SetText(summary(v.found[id]))
	}
	l.OnSelected = func(id widget.ListItemID) {
		if id != v.selected {
			v.choose(id)
		}
	}
	l.ExtendBaseWidget(l)
	return l
}

func (l *messagesList) TypedKey(ev *fyne.KeyEvent) {
	if !l.view.typedKey(ev) {
		l.List.TypedKey(ev)
	}
}

// TypedRune: a letter typed after a click in the list goes on with the search.
func (l *messagesList) TypedRune(r rune) {
	s := l.view.search
	l.view.m.win.Canvas().Focus(s)
	s.CursorColumn = len([]rune(s.Text))
	s.TypedRune(r)
}

// pageRows is how many messages the list shows at once, less one.
func (l *messagesList) pageRows() int {
	row := l.CreateItem().MinSize().Height
	if row <= 0 {
		return 1
	}
	return max(int(l.Size().Height/row)-1, 1)
}
