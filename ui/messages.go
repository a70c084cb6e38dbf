package ui

import (
	"context"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// defaultMessageTemplates are the messages the operator picks for a chat or
// an email when the configuration sets none, in the operator's language.
func defaultMessageTemplates() []string {
	return []string{
		lang.L("{name}, a caller is waiting for you."),
		lang.L("{name}, a caller is waiting for you on line {number}."),
		lang.L("{name}, your visitor {caller} has arrived at reception."),
		lang.L("{name}, please call back {caller} on {number}."),
	}
}

func (c *Console) messageTemplates() []string {
	if len(c.opts.MessageTemplates) > 0 {
		return c.opts.MessageTemplates
	}
	return defaultMessageTemplates()
}

// firstName is what a message greets the colleague by: "Ada" for "Ada
// Lovelace" and for a directory's "Lovelace, Ada".
func firstName(name string) string {
	if _, given, ok := strings.Cut(name, ","); ok && strings.TrimSpace(given) != "" {
		name = given
	}
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}

// chatSelected opens the template picker for a Teams chat with the selected
// colleague (Ctrl+T).
func (c *Console) chatSelected() { c.pickMessage(SentViaTeams) }

// emailSelected opens the template picker for an email to the selected
// colleague (Ctrl+E).
func (c *Console) emailSelected() { c.pickMessage(SentViaEmail) }

// reachable is the selected colleague when a chat or an email can reach
// them; otherwise it says why in the status line.
func (c *Console) reachable() (calendar.PersonState, bool) {
	p, ok := c.Selected()
	if !ok || c.showModal == nil {
		return p, false
	}
	if p.Person.IsRoom() {
		c.say(lang.L("{{.Name}} is a meeting room: nobody reads its chat or email.", map[string]any{"Name": p.Person.Name}))
		return p, false
	}
	if strings.TrimSpace(p.Person.Email) == "" {
		c.say(lang.L("{{.Name}} has no email address: no chat or email can reach them.", map[string]any{"Name": p.Person.Name}))
		return p, false
	}
	return p, true
}

// messagePicker is the small dialog in which the operator picks the message
// a chat or an email opens with, and fills in the caller or the line it names.
// Up and Down choose (also from its fields), Enter sends, Esc cancels.
type messagePicker struct {
	c         *Console
	person    calendar.PersonState
	via       string
	templates []string
	chosen    int
	rows      []*widget.Button
	caller    *dialogEntry
	number    *dialogEntry
	preview   *widget.Label
	md        *modal
}

func (c *Console) pickMessage(via string) {
	p, ok := c.reachable()
	if !ok {
		return
	}
	pk := &messagePicker{c: c, person: p, via: via, templates: c.messageTemplates()}
	list := container.NewVBox()
	for i, t := range pk.templates {
		b := widget.NewButton(calendar.FillMessage(t, map[string]string{"name": firstName(p.Person.Name), "caller": "…", "number": "…", "time": clock(c.opts.Now())}), func() {
			pk.choose(i)
			pk.send()
		})
		b.Alignment = widget.ButtonAlignLeading
		pk.rows = append(pk.rows, b)
		list.Add(b)
	}
	pk.caller = newDialogEntry(false)
	pk.number = newDialogEntry(false)
	for _, e := range []*dialogEntry{pk.caller, pk.number} {
		e.OnChanged = func(string) { pk.showPreview() }
		e.onKey = pk.fieldKey
	}
	fields := container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("Caller")), pk.caller,
		widget.NewLabel(lang.L("Line or number")), pk.number)
	pk.preview = widget.NewLabel("")
	pk.preview.Wrapping = fyne.TextWrapWord
	pk.preview.TextStyle = fyne.TextStyle{Italic: true}
	hint := widget.NewLabel(lang.L("Up and Down choose, Enter sends, Esc cancels."))
	hint.TextStyle = fyne.TextStyle{Italic: true}
	title := lang.L("Teams chat with {{.Name}}", map[string]any{"Name": p.Person.Name})
	if via == SentViaEmail {
		title = lang.L("Email to {{.Name}}", map[string]any{"Name": p.Person.Name})
	}
	content := container.NewVBox(hint, list, fields, widget.NewSeparator(), pk.preview)
	pk.md = c.showModal("message-picker", title, lang.L("Cancel"), content, fyne.NewSize(560, 0), nil)
	pk.md.keyHook = pk.dialogKey
	c.picker = pk
	pk.choose(0)
}

// choose highlights template i and shows the fields it asks for.
func (pk *messagePicker) choose(i int) {
	if len(pk.rows) == 0 {
		return
	}
	pk.chosen = max(0, min(i, len(pk.rows)-1))
	for j, b := range pk.rows {
		if j == pk.chosen {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	t := pk.templates[pk.chosen]
	// The fields stay in place (no jump in the dialog's layout); those the
	// template does not use are greyed out and skipped by Tab.
	enableIf(calendar.MessageUses(t, "caller"), pk.caller)
	enableIf(calendar.MessageUses(t, "number"), pk.number)
	pk.showPreview()
	// Typing goes on into a field the new choice needs, never into one it
	// has just greyed out.
	if pk.md == nil {
		return
	}
	if e, ok := pk.md.win.Canvas().Focused().(*dialogEntry); ok && e.Disabled() {
		if next := pk.missing(); next != nil {
			pk.md.win.Canvas().Focus(next)
		} else {
			pk.md.focus()
		}
	}
}

func enableIf(enable bool, e *dialogEntry) {
	if enable {
		e.Enable()
	} else {
		e.Disable()
	}
}

func (pk *messagePicker) text() string {
	return calendar.FillMessage(pk.templates[pk.chosen], map[string]string{
		"name":   firstName(pk.person.Person.Name),
		"caller": strings.TrimSpace(pk.caller.Text),
		"number": strings.TrimSpace(pk.number.Text),
		"time":   clock(pk.c.opts.Now()),
	})
}

func (pk *messagePicker) showPreview() { pk.preview.SetText(pk.text()) }

// missing is the first field the chosen template names that is still empty.
func (pk *messagePicker) missing() *dialogEntry {
	t := pk.templates[pk.chosen]
	if calendar.MessageUses(t, "caller") && strings.TrimSpace(pk.caller.Text) == "" {
		return pk.caller
	}
	if calendar.MessageUses(t, "number") && strings.TrimSpace(pk.number.Text) == "" {
		return pk.number
	}
	return nil
}

// dialogKey answers the keys the dialog itself has (nothing in a field).
func (pk *messagePicker) dialogKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyDown:
		pk.choose(pk.chosen + 1)
	case fyne.KeyUp:
		pk.choose(pk.chosen - 1)
	case fyne.KeyReturn, fyne.KeyEnter:
		pk.send()
	default:
		return false
	}
	return true
}

// fieldKey answers a field's keys: the same as the dialog's, and Esc.
func (pk *messagePicker) fieldKey(ev *fyne.KeyEvent) bool {
	if ev.Name == fyne.KeyEscape {
		pk.md.close()
		return true
	}
	return pk.dialogKey(ev)
}

// send opens the chat or the email with the message, or puts the cursor in
// the field it still needs.
func (pk *messagePicker) send() {
	if e := pk.missing(); e != nil {
		pk.md.win.Canvas().Focus(e)
		return
	}
	text := pk.text()
	pk.md.close()
	if pk.via == SentViaEmail {
		pk.c.openMessage(pk.person, SentViaEmail, text, text, nil)
		return
	}
	pk.c.openMessage(pk.person, SentViaTeams, "", text, nil)
}

// openMessage opens a Teams chat (via SentViaTeams: text is the message) or
// an email (subject and text) to the colleague, and says so in the status
// line. afterwards, when not nil, runs off the Fyne goroutine once the
// system took the link.
func (c *Console) openMessage(p calendar.PersonState, via, subject, text string, afterwards func()) {
	var u *url.URL
	var err error
	if via == SentViaEmail {
		u, err = calendar.MailtoURI(p.Person.Email, subject, text)
	} else {
		u, err = calendar.ChatURI(c.opts.ChatURI, p.Person.Email, text)
	}
	if err != nil {
		c.say(lang.L("{{.Name}} has no email address: no chat or email can reach them.", map[string]any{"Name": p.Person.Name}))
		return
	}
	name := map[string]any{"Name": p.Person.Name, "Scheme": u.Scheme + ":"}
	if via == SentViaEmail {
		c.say(lang.L("Email to {{.Name}} opened: send it from there.", name))
	} else {
		c.say(lang.L("Teams chat with {{.Name}} opened: send it from there.", name))
	}
	c.acted()
	failed := func() {
		if via == SentViaEmail {
			c.say(lang.L("The email did not open: no email program is set up on this PC. Ask IT to set one up.", name))
		} else {
			c.say(lang.L("The chat did not open: no program on this PC answers {{.Scheme}} links. Ask IT to set one up.", name))
		}
	}
	if c.opts.OpenURL != nil {
		if err := c.opts.OpenURL(u); err != nil {
			failed()
			return
		}
		if afterwards != nil {
			c.async(afterwards)
		}
		return
	}
	// Fyne's OpenURL waits for the handler to start on Windows: never on
	// the Fyne goroutine.
	go func() {
		if err := fyne.CurrentApp().OpenURL(u); err != nil {
			fyne.Do(failed)
			return
		}
		if afterwards != nil {
			afterwards()
		}
	}()
}

// dialogEntry is a field of the picker or the message form: onKey sees its
// keys first (Esc closes the dialog, Enter sends or moves on), onShortcut
// its shortcuts (Ctrl+Enter sends).
type dialogEntry struct {
	widget.Entry
	onKey      func(*fyne.KeyEvent) bool
	onShortcut func(fyne.Shortcut) bool
}

func newDialogEntry(multiLine bool) *dialogEntry {
	e := &dialogEntry{}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

func (e *dialogEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// AcceptsTab is false even for the message: Tab moves on to the ticks and
// the buttons, as in every other field of a form.
func (e *dialogEntry) AcceptsTab() bool { return false }

func (e *dialogEntry) TypedShortcut(s fyne.Shortcut) {
	if e.onShortcut != nil && e.onShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// sendViaPreference is where the message form remembers how the operator
// sends messages (teams or email): a choice, never a secret.
const sendViaPreference = "message.sendVia"

// messageForm takes a message for a colleague who cannot come to the phone.
// It is sent by a Teams chat or an email: one button each, the way the
// operator sent the last one is the default (Ctrl+Enter, Enter outside a
// field) and drawn as such.
type messageForm struct {
	c         *Console
	person    calendar.PersonState
	caller    *dialogEntry
	company   *dialogEntry
	number    *dialogEntry
	text      *dialogEntry
	callBack  *dialogCheck
	urgent    *dialogCheck
	sendTeams *dialogButton
	sendEmail *dialogButton
	problem   *widget.Label
	md        *modal
}

// takeMessage opens the message form for the selected colleague (Ctrl+M).
func (c *Console) takeMessage() {
	p, ok := c.reachable()
	if !ok {
		return
	}
	f := &messageForm{c: c, person: p,
		caller: newDialogEntry(false), company: newDialogEntry(false), number: newDialogEntry(false),
		text: newDialogEntry(true)}
	f.text.SetMinRowsVisible(3)
	f.callBack = newDialogCheck(lang.L("Please call back"))
	f.urgent = newDialogCheck(lang.L("Urgent"))
	f.sendTeams = newDialogButton(lang.L("Send by Teams chat"), func() { f.submit(SentViaTeams) })
	f.sendEmail = newDialogButton(lang.L("Send by email"), func() { f.submit(SentViaEmail) })
	if rememberedVia() == SentViaEmail {
		f.sendEmail.Importance = widget.HighImportance
	} else {
		f.sendTeams.Importance = widget.HighImportance
	}
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	sendDefault := func() { f.submit(rememberedVia()) }
	sendKeys := func(s fyne.Shortcut) bool {
		if s.ShortcutName() == shortcutCall.ShortcutName() || s.ShortcutName() == shortcutCallKeypad.ShortcutName() {
			sendDefault()
			return true
		}
		return false
	}
	fields := []*dialogEntry{f.caller, f.company, f.number, f.text}
	for i, e := range fields {
		next := fyne.Focusable(f.callBack)
		if i+1 < len(fields) {
			next = fields[i+1]
		}
		e.onKey = func(ev *fyne.KeyEvent) bool {
			switch {
			case ev.Name == fyne.KeyEscape:
				f.md.close()
			case (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && !e.MultiLine:
				// Enter moves on, as the operator fills the form top down;
				// Ctrl+Enter sends.
				f.md.win.Canvas().Focus(next)
			default:
				return false
			}
			return true
		}
		e.onShortcut = sendKeys
	}
	for _, k := range []*dialogCheck{f.callBack, f.urgent} {
		k.onKey = func(ev *fyne.KeyEvent) bool {
			switch ev.Name {
			case fyne.KeyEscape:
				f.md.close()
			case fyne.KeyReturn, fyne.KeyEnter:
				sendDefault()
			default:
				return false
			}
			return true
		}
		k.onShortcut = sendKeys
	}
	for _, b := range []*dialogButton{f.sendTeams, f.sendEmail} {
		b.onKey = func(ev *fyne.KeyEvent) bool {
			switch ev.Name {
			case fyne.KeyEscape:
				f.md.close()
			case fyne.KeyReturn, fyne.KeyEnter:
				b.OnTapped()
			default:
				return false
			}
			return true
		}
		b.onShortcut = sendKeys
	}
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("Caller's name")), f.caller,
		widget.NewLabel(lang.L("Company")), f.company,
		widget.NewLabel(lang.L("Number")), f.number,
		widget.NewLabel(lang.L("Message")), f.text,
		layout.NewSpacer(), container.NewHBox(f.callBack, f.urgent),
	)
	hint := widget.NewLabel(lang.L("Tab moves between fields, Ctrl+Enter sends, Esc cancels."))
	hint.TextStyle = fyne.TextStyle{Italic: true}
	hint.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(form, f.problem, container.NewBorder(nil, nil, nil, container.NewHBox(f.sendTeams, f.sendEmail), hint))
	title := lang.L("Message for {{.Name}}", map[string]any{"Name": p.Person.Name})
	f.md = c.showModal("take-message", title, lang.L("Cancel"), content, fyne.NewSize(640, 0), nil)
	f.md.keyHook = func(ev *fyne.KeyEvent) bool {
		if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
			sendDefault()
			return true
		}
		return false
	}
	c.form = f
	f.md.win.Canvas().Focus(f.caller)
}

// rememberedVia is how the operator last sent a message; Teams at first.
func rememberedVia() string {
	if a := fyne.CurrentApp(); a != nil && a.Preferences().String(sendViaPreference) == SentViaEmail {
		return SentViaEmail
	}
	return SentViaTeams
}

// dialogCheck is a tick of the message form: Esc cancels the form and Enter
// sends it from there too.
type dialogCheck struct {
	widget.Check
	onKey      func(*fyne.KeyEvent) bool
	onShortcut func(fyne.Shortcut) bool
}

func newDialogCheck(label string) *dialogCheck {
	k := &dialogCheck{}
	k.Text = label
	k.ExtendBaseWidget(k)
	return k
}

func (k *dialogCheck) TypedKey(ev *fyne.KeyEvent) {
	if k.onKey != nil && k.onKey(ev) {
		return
	}
	k.Check.TypedKey(ev)
}

func (k *dialogCheck) TypedShortcut(s fyne.Shortcut) {
	if k.onShortcut != nil {
		k.onShortcut(s)
	}
}

// dialogButton is a button of the message form: Enter presses it as Space
// does, Esc cancels the form.
type dialogButton struct {
	widget.Button
	onKey      func(*fyne.KeyEvent) bool
	onShortcut func(fyne.Shortcut) bool
}

func newDialogButton(label string, tapped func()) *dialogButton {
	b := &dialogButton{}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *dialogButton) TypedKey(ev *fyne.KeyEvent) {
	if b.onKey != nil && b.onKey(ev) {
		return
	}
	b.Button.TypedKey(ev)
}

func (b *dialogButton) TypedShortcut(s fyne.Shortcut) {
	if b.onShortcut != nil {
		b.onShortcut(s)
	}
}

// taken is the message as the form holds it, to send via.
func (f *messageForm) taken(via string) TakenMessage {
	return TakenMessage{
		At:       f.c.opts.Now(),
		For:      f.person.Person.Name,
		ForEmail: f.person.Person.Email,
		Caller:   strings.TrimSpace(f.caller.Text),
		Company:  strings.TrimSpace(f.company.Text),
		Number:   strings.TrimSpace(f.number.Text),
		Text:     strings.TrimSpace(f.text.Text),
		CallBack: f.callBack.Checked,
		Urgent:   f.urgent.Checked,
		SentVia:  via,
	}
}

// submit sends the message the operator's way, remembers that way and
// keeps the message in the log; a form with nothing in it is not sent.
func (f *messageForm) submit(via string) {
	m := f.taken(via)
	if m.Caller == "" && m.Company == "" && m.Number == "" && m.Text == "" {
		f.problem.SetText(lang.L("Fill in at least the caller's name, number or message."))
		f.problem.Show()
		f.md.win.Canvas().Focus(f.caller)
		return
	}
	if a := fyne.CurrentApp(); a != nil {
		a.Preferences().SetString(sendViaPreference, m.SentVia)
	}
	f.md.close()
	subject, body := messageSubject(m), messageBody(m)
	c := f.c
	var keep func()
	if log := c.opts.Messages; log != nil {
		keep = func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := log.Add(ctx, m); err != nil {
				fyne.Do(func() {
					c.say(lang.L("The message for {{.Name}} was not kept in the message log: {{.Reason}}", map[string]any{"Name": m.For, "Reason": err.Error()}))
				})
			}
		}
	}
	if m.SentVia == SentViaEmail {
		c.openMessage(f.person, SentViaEmail, subject, body, keep)
		return
	}
	c.openMessage(f.person, SentViaTeams, "", subject+"\n"+body, keep)
}

// messageSubject is "Message from Mario Rossi (Acme) (urgent)".
func messageSubject(m TakenMessage) string {
	var s string
	switch {
	case m.Caller != "" && m.Company != "":
		s = lang.L("Message from {{.Caller}} ({{.Company}})", map[string]any{"Caller": m.Caller, "Company": m.Company})
	case m.Caller != "":
		s = lang.L("Message from {{.Caller}}", map[string]any{"Caller": m.Caller})
	case m.Company != "":
		s = lang.L("Message from {{.Caller}}", map[string]any{"Caller": m.Company})
	default:
		s = lang.L("Message from a caller")
	}
	if m.Urgent {
		s = lang.L("{{.Subject}} (urgent)", map[string]any{"Subject": s})
	}
	return s
}

// messageBody is every field of the message, one a line, then the message
// and when it was taken.
func messageBody(m TakenMessage) string {
	var lines []string
	add := func(label, value string) {
		if value != "" {
			lines = append(lines, label+" "+value)
		}
	}
	add(lang.L("Caller:"), m.Caller)
	add(lang.L("Company:"), m.Company)
	add(lang.L("Number:"), m.Number)
	if m.CallBack {
		lines = append(lines, lang.L("Please call back."))
	}
	if m.Urgent {
		lines = append(lines, lang.L("Urgent."))
	}
	if m.Text != "" {
		lines = append(lines, "", m.Text)
	}
	lines = append(lines, "", lang.L("Taken at {{.Time}}.", map[string]any{"Time": clock(m.At)}))
	return strings.Join(lines, "\n")
}
