package ui

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/assets"
	"github.com/frontdesk-app/frontdesk/calendar"
)

// recordedLog is a MessageLog that keeps what it was given, or fails.
type recordedLog struct {
	added []TakenMessage
	err   error
}

func (l *recordedLog) Add(_ context.Context, m TakenMessage) error {
	l.added = append(l.added, m)
	return l.err
}

func (l *recordedLog) Find(context.Context, string, time.Time) ([]TakenMessage, error) {
	return l.added, nil
}

// messageWindow is the main window on the demo company with a colleague
// selected and the links handed to the system recorded.
type messageWindow struct {
	m      *mainWindow
	w      fyne.Window
	person calendar.Person
	opened []*url.URL
}

func newMessageWindow(t *testing.T, templates []string, log MessageLog) *messageWindow {
	t.Helper()
	mw := &messageWindow{}
	mw.m, mw.w = newKeyWindow(t)
	opts := &mw.m.console.opts
	opts.MessageTemplates = templates
	opts.Messages = log
	opts.OpenURL = func(u *url.URL) error {
		mw.opened = append(mw.opened, u)
		return nil
	}
	mw.m.console.move(1)
	p, ok := mw.m.console.Selected()
	if !ok || p.Person.Email == "" {
		t.Fatal("no demo colleague with an address is selected")
	}
	mw.person = *p.Person
	return mw
}

func (mw *messageWindow) cv() fyne.Canvas { return mw.w.Canvas() }

// only is the one link opened.
func (mw *messageWindow) only(t *testing.T) *url.URL {
	t.Helper()
	if len(mw.opened) != 1 {
		t.Fatalf("opened %v, want exactly one link", mw.opened)
	}
	return mw.opened[0]
}

func TestCtrlTOpensATeamsChatWithThePickedMessage(t *testing.T) {
	tests := []struct {
		name string
		keys func(t *testing.T, mw *messageWindow)
		want string // the message, {name} the colleague's first name
	}{
		{"Enter takes the first", func(t *testing.T, mw *messageWindow) { press(mw.cv(), fyne.KeyReturn) },
			"{name}, a caller is waiting for you."},
		{"Down, Enter asks for the line, then sends", func(t *testing.T, mw *messageWindow) {
			press(mw.cv(), fyne.KeyDown)
			press(mw.cv(), fyne.KeyReturn)
			typeKeys(mw.cv(), "3")
			press(mw.cv(), fyne.KeyReturn)
		}, "{name}, a caller is waiting for you on line 3."},
		{"Down from a field too; & and # stay", func(t *testing.T, mw *messageWindow) {
			press(mw.cv(), fyne.KeyEnd) // nothing: only Up and Down choose
			press(mw.cv(), fyne.KeyDown)
			press(mw.cv(), fyne.KeyReturn)
			press(mw.cv(), fyne.KeyDown) // from the line field: the visitor
			typeKeys(mw.cv(), "Smith & Sons #4")
			press(mw.cv(), fyne.KeyReturn)
		}, "{name}, your visitor Smith & Sons #4 has arrived at reception."},
		{"Up at the top stays there", func(t *testing.T, mw *messageWindow) {
			press(mw.cv(), fyne.KeyUp)
			press(mw.cv(), fyne.KeyReturn)
		}, "{name}, a caller is waiting for you."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw := newMessageWindow(t, nil, nil)
			shortcut(mw.cv(), shortcutChat)
			if openDialogs(mw.w) != 1 {
				t.Fatalf("Ctrl+T opened %d dialogs, want the picker", openDialogs(mw.w))
			}
			tt.keys(t, mw)
			u := mw.only(t)
			want := strings.ReplaceAll(tt.want, "{name}", firstName(mw.person.Name))
			if !strings.HasPrefix(u.String(), "https://teams.microsoft.com/l/chat/0/0?users=") {
				t.Errorf("opened %s, want a Teams chat", u)
			}
			if got := u.Query().Get("users"); got != mw.person.Email {
				t.Errorf("chat with %q, want %q", got, mw.person.Email)
			}
			if got := u.Query().Get("message"); got != want {
				t.Errorf("message %q, want %q", got, want)
			}
			if strings.Contains(u.RawQuery, "+") {
				t.Errorf("a space went as +: %s", u.RawQuery)
			}
			if openDialogs(mw.w) != 0 || mw.cv().Focused() != mw.m.console.search {
				t.Errorf("after sending %d dialogs are open and the focus is on %T", openDialogs(mw.w), mw.cv().Focused())
			}
			if !mw.m.console.dealtWith {
				t.Error("a chat opened counts as acting on the colleague")
			}
		})
	}
}

func TestThePickerCancelsWithEsc(t *testing.T) {
	for _, where := range []string{"dialog", "field"} {
		t.Run(where, func(t *testing.T) {
			mw := newMessageWindow(t, nil, nil)
			shortcut(mw.cv(), shortcutEmail)
			if where == "field" {
				press(mw.cv(), fyne.KeyDown)
				press(mw.cv(), fyne.KeyReturn) // the line is needed: the cursor goes there
				if _, ok := mw.cv().Focused().(*dialogEntry); !ok {
					t.Fatalf("the focus is on %T, want the line field", mw.cv().Focused())
				}
			}
			press(mw.cv(), fyne.KeyEscape)
			if len(mw.opened) != 0 || openDialogs(mw.w) != 0 {
				t.Errorf("Esc: opened %v, %d dialogs still open", mw.opened, openDialogs(mw.w))
			}
			if mw.m.console.search.Text != "ada" {
				t.Errorf("the search behind reads %q", mw.m.console.search.Text)
			}
		})
	}
}

func TestCtrlEOpensAnEmailWithThePickedMessage(t *testing.T) {
	mw := newMessageWindow(t, []string{"Hello {name}", "Your visitor {caller} is here ({time})"}, nil)
	shortcut(mw.cv(), shortcutEmail)
	press(mw.cv(), fyne.KeyDown)
	press(mw.cv(), fyne.KeyReturn)
	typeKeys(mw.cv(), "Jürgen Groß")
	press(mw.cv(), fyne.KeyReturn)
	u := mw.only(t)
	if u.Scheme != "mailto" || u.Opaque != mw.person.Email {
		t.Fatalf("opened %s, want mailto:%s", u, mw.person.Email)
	}
	want := "Your visitor Jürgen Groß is here (10:00)"
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if q.Get("subject") != want || q.Get("body") != want {
		t.Errorf("subject %q, body %q; want both %q", q.Get("subject"), q.Get("body"), want)
	}
	if strings.Contains(u.RawQuery, "+") {
		t.Errorf("a space went as +: %s", u.RawQuery)
	}
}

func TestATemplateButtonSendsAtOnce(t *testing.T) {
	mw := newMessageWindow(t, []string{"One", "Two"}, nil)
	d := mw.m.console.detail
	test.Tap(d.chat)
	test.Tap(pickerRow(t, mw, "Two"))
	if got := mw.only(t).Query().Get("message"); got != "Two" {
		t.Errorf("message %q, want Two", got)
	}
}

// pickerRow is the open picker's button that reads text.
func pickerRow(t *testing.T, mw *messageWindow, text string) fyne.Tappable {
	t.Helper()
	if pk := mw.m.console.picker; pk != nil {
		for _, b := range pk.rows {
			if b.Text == text {
				return b
			}
		}
	}
	t.Fatalf("no %q in the picker", text)
	return nil
}

func TestTheDefaultTemplatesKeepTheirPlaceholdersInEveryLanguage(t *testing.T) {
	english := []string{
		"{name}, a caller is waiting for you.",
		"{name}, a caller is waiting for you on line {number}.",
		"{name}, your visitor {caller} has arrived at reception.",
		"{name}, please call back {caller} on {number}.",
	}
	for _, file := range []string{"translations/it.json", "translations/de.json"} {
		t.Run(file, func(t *testing.T) {
			data, err := assets.Translations.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var tr map[string]string
			if err := json.Unmarshal(data, &tr); err != nil {
				t.Fatal(err)
			}
			for _, en := range english {
				got, ok := tr[en]
				if !ok {
					t.Errorf("%q is not translated", en)
					continue
				}
				if p := calendar.UnknownMessagePlaceholder(got); p != "" {
					t.Errorf("%q uses %s", got, p)
				}
				for _, name := range calendar.MessagePlaceholders {
					if calendar.MessageUses(en, name) != calendar.MessageUses(got, name) {
						t.Errorf("%q and %q differ in {%s}", en, got, name)
					}
				}
			}
		})
	}
	if got := defaultMessageTemplates(); !slices.Equal(got, english) {
		t.Errorf("the English defaults are %q", got)
	}
}

// fillForm types a message for the selected colleague into the open form,
// as an operator does: Enter moves from field to field.
func fillForm(mw *messageWindow, caller, company, number, text string) {
	cv := mw.cv()
	for _, s := range []string{caller, company, number} {
		typeKeys(cv, s)
		press(cv, fyne.KeyReturn)
	}
	typeKeys(cv, text)
}

func TestTakeAMessageSendsEverythingByEmailAndKeepsIt(t *testing.T) {
	log := &recordedLog{}
	mw := newMessageWindow(t, nil, log)
	shortcut(mw.cv(), shortcutMessage)
	f := openForm(t, mw)
	if mw.cv().Focused() != f.caller {
		t.Fatalf("the form opens with the focus on %T, want the caller's name", mw.cv().Focused())
	}
	fillForm(mw, "Mario Rossi", "Acme & Co", "+39 02 1234", "About the #42 order\nbefore Friday")
	// Tab to the ticks (Space), then to "Send by email" (Enter).
	cv := mw.cv()
	for _, want := range []fyne.Focusable{f.callBack, f.urgent} {
		cv.FocusNext()
		if cv.Focused() != want {
			t.Fatalf("Tab went to %T", cv.Focused())
		}
		typeKeys(cv, " ")
	}
	cv.FocusNext()
	cv.FocusNext()
	if cv.Focused() != f.sendEmail {
		t.Fatalf("Tab went to %T, want Send by email", cv.Focused())
	}
	press(cv, fyne.KeyReturn)
	u := mw.only(t)
	if u.Scheme != "mailto" || u.Opaque != mw.person.Email {
		t.Fatalf("opened %s, want mailto:%s", u, mw.person.Email)
	}
	q, _ := url.ParseQuery(u.RawQuery)
	if got, want := q.Get("subject"), "Message from Mario Rossi (Acme & Co) (urgent)"; got != want {
		t.Errorf("subject %q, want %q", got, want)
	}
	body := q.Get("body")
	for _, want := range []string{"Caller: Mario Rossi", "Company: Acme & Co", "Number: +39 02 1234", "Please call back.", "Urgent.",
		"About the #42 order\r\nbefore Friday", "Taken at 10:00."} {
		if !strings.Contains(body, want) {
			t.Errorf("body %q lacks %q", body, want)
		}
	}
	if strings.Contains(u.RawQuery, "+") {
		t.Errorf("a space or plus went unescaped: %s", u.RawQuery)
	}
	want := TakenMessage{At: testNow, For: mw.person.Name, ForEmail: mw.person.Email, Caller: "Mario Rossi", Company: "Acme & Co",
		Number: "+39 02 1234", Text: "About the #42 order\nbefore Friday", CallBack: true, Urgent: true, SentVia: SentViaEmail}
	if len(log.added) != 1 || log.added[0] != want {
		t.Errorf("kept %+v, want %+v", log.added, want)
	}
	if !mw.m.console.dealtWith || openDialogs(mw.w) != 0 {
		t.Errorf("after Send: dealt with %v, %d dialogs open", mw.m.console.dealtWith, openDialogs(mw.w))
	}
	if got := fyne.CurrentApp().Preferences().String(sendViaPreference); got != SentViaEmail {
		t.Errorf("the choice remembered is %q", got)
	}
	// The next message goes the same way: its default is the email.
	shortcut(mw.cv(), shortcutMessage)
	if f := openForm(t, mw); f.sendEmail.Importance != widget.HighImportance || f.sendTeams.Importance == widget.HighImportance {
		t.Error("the next form does not default to email")
	}
	fillForm(mw, "Ann Lee", "", "", "hello")
	shortcut(mw.cv(), shortcutCall)
	if len(mw.opened) != 2 || mw.opened[1].Scheme != "mailto" {
		t.Errorf("Ctrl+Enter on the next form opened %v, want a second mailto:", mw.opened)
	}
}

func TestTakeAMessageByTeams(t *testing.T) {
	log := &recordedLog{}
	mw := newMessageWindow(t, nil, log)
	shortcut(mw.cv(), shortcutMessage)
	f := openForm(t, mw)
	if f.sendTeams.Importance != widget.HighImportance {
		t.Error("a first message does not default to Teams")
	}
	fillForm(mw, "Ann Lee", "", "555 0199", "")
	press(mw.cv(), fyne.KeyEscape) // from the message field: cancels
	if len(mw.opened) != 0 || openDialogs(mw.w) != 0 {
		t.Fatalf("Esc sent %v or left the form open", mw.opened)
	}
	shortcut(mw.cv(), shortcutMessage)
	fillForm(mw, "Ann Lee", "", "555 0199", "")
	test.Tap(openForm(t, mw).sendTeams)
	msg := mw.only(t).Query().Get("message")
	if want := "Message from Ann Lee\nCaller: Ann Lee\nNumber: 555 0199\n\nTaken at 10:00."; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	if len(log.added) != 1 || log.added[0].SentVia != SentViaTeams {
		t.Errorf("kept %+v", log.added)
	}
}

func TestAnEmptyMessageIsNotSent(t *testing.T) {
	mw := newMessageWindow(t, nil, nil)
	shortcut(mw.cv(), shortcutMessage)
	f := openForm(t, mw)
	mw.cv().Unfocus()
	press(mw.cv(), fyne.KeyReturn) // Enter on the dialog sends
	if len(mw.opened) != 0 || openDialogs(mw.w) != 1 {
		t.Fatalf("an empty form: opened %v, %d dialogs", mw.opened, openDialogs(mw.w))
	}
	if !f.problem.Visible() || !strings.Contains(f.problem.Text, "caller's name") || mw.cv().Focused() != f.caller {
		t.Errorf("problem %q (shown %v), focus on %T", f.problem.Text, f.problem.Visible(), mw.cv().Focused())
	}
}

func TestAMessageTheLogCannotKeepIsSaid(t *testing.T) {
	mw := newMessageWindow(t, nil, &recordedLog{err: errors.New("disk full")})
	shortcut(mw.cv(), shortcutMessage)
	fillForm(mw, "Ann Lee", "", "", "hello")
	shortcut(mw.cv(), shortcutCall)
	mw.only(t)
	if got := mw.m.console.stateLine.Text; !strings.Contains(got, "not kept in the message log") || !strings.Contains(got, "disk full") {
		t.Errorf("status line %q does not say the message was not kept", got)
	}
}

func TestAColleagueWithoutAnAddressCannotBeWritten(t *testing.T) {
	mw := newMessageWindow(t, nil, nil)
	c := mw.m.console
	p := c.snap.People[c.visible[c.rowOf(c.chosen)]].Person
	p.Email, p.ID = "", "no-mail-1"
	c.chosen = p.Key()
	for _, s := range []fyne.Shortcut{shortcutChat, shortcutEmail, shortcutMessage} {
		shortcut(mw.cv(), s)
		if openDialogs(mw.w) != 0 || len(mw.opened) != 0 {
			t.Fatalf("%s opened a dialog or a link", s.ShortcutName())
		}
		if !strings.Contains(c.stateLine.Text, "no email address") {
			t.Errorf("%s: status line %q", s.ShortcutName(), c.stateLine.Text)
		}
	}
}

// openForm is the message form on show.
func openForm(t *testing.T, mw *messageWindow) *messageForm {
	t.Helper()
	f := mw.m.console.form
	if f == nil || openDialogs(mw.w) != 1 {
		t.Fatalf("no message form open (%d dialogs)", openDialogs(mw.w))
	}
	return f
}

func TestMessagePickerAndFormGolden(t *testing.T) {
	mw := newMessageWindow(t, nil, nil)
	mw.w.Resize(fyne.NewSize(960, 640))
	shortcut(mw.cv(), shortcutChat)
	press(mw.cv(), fyne.KeyDown)
	press(mw.cv(), fyne.KeyDown)
	press(mw.cv(), fyne.KeyReturn) // the visitor: the caller's field
	typeKeys(mw.cv(), "Mario Rossi")
	test.AssertRendersToMarkup(t, "message_picker.xml", mw.cv())
	press(mw.cv(), fyne.KeyEscape)
	shortcut(mw.cv(), shortcutMessage)
	fillForm(mw, "Mario Rossi", "Acme", "+39 02 1234", "About the order")
	test.AssertRendersToMarkup(t, "message_form.xml", mw.cv())
}

// F1 lists the message keys, in the operator's language, and the window
// answers each of them (its shortcuts are the ones F1 names).
func TestF1ListsTheMessageKeys(t *testing.T) {
	inLanguage(t, "de_DE.UTF-8")
	rows := map[string]string{}
	for _, r := range consoleShortcutRows() {
		rows[r[0]] = r[1]
	}
	want := map[string]string{
		"Ctrl+T": "Teams-Chat mit der ausgewählten Person, mit einer Nachricht Ihrer Wahl",
		"Ctrl+E": "Ausgewählter Person eine E-Mail schreiben, mit einer Nachricht Ihrer Wahl",
		"Ctrl+M": "Nachricht für die ausgewählte Person aufnehmen",
	}
	for key, words := range want {
		if rows[key] != words {
			t.Errorf("F1 says %q for %s, want %q", rows[key], key, words)
		}
	}
	for _, s := range []fyne.Shortcut{shortcutChat, shortcutEmail, shortcutMessage} {
		if !slices.Contains(consoleShortcuts, s) {
			t.Errorf("%s is not one of the console's shortcuts", s.ShortcutName())
		}
	}
}

// The built-in messages speak the operator's language; a list from the
// configuration is sent as the admin wrote it.
func TestThePickerSpeaksTheOperatorsLanguage(t *testing.T) {
	inLanguage(t, "it_IT.UTF-8")
	mw := newMessageWindow(t, nil, nil)
	shortcut(mw.cv(), shortcutChat)
	press(mw.cv(), fyne.KeyReturn)
	want := firstName(mw.person.Name) + ", c'è una chiamata in attesa per te."
	if got := mw.only(t).Query().Get("message"); got != want {
		t.Errorf("message %q, want %q", got, want)
	}

	mw = newMessageWindow(t, []string{"Ciao {name}, sono le {time}"}, nil)
	shortcut(mw.cv(), shortcutChat)
	press(mw.cv(), fyne.KeyReturn)
	if got, want := mw.only(t).Query().Get("message"), "Ciao "+firstName(mw.person.Name)+", sono le 10:00"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// A meeting room has an address but nobody reads it: no chat, email or
// message is offered for it, and the keys say why.
func TestARoomCannotBeWritten(t *testing.T) {
	mw := newMessageWindow(t, nil, nil)
	c := mw.m.console
	c.Apply(demoSnapshotWithRooms(t))
	c.tabs.rooms.OnTapped()
	c.search.SetText("aurora")
	c.chosen = "room.aurora@demo.example"
	c.filter(false)
	if p, ok := c.Selected(); !ok || !p.Person.IsRoom() {
		t.Fatalf("selected %+v, want the room Aurora", p.Person)
	}
	if c.detail.chat.Visible() || c.detail.mail.Visible() || c.detail.message.Visible() {
		t.Error("the details offer to write to a meeting room")
	}
	for _, s := range []fyne.Shortcut{shortcutChat, shortcutEmail, shortcutMessage} {
		shortcut(mw.cv(), s)
		if openDialogs(mw.w) != 0 || len(mw.opened) != 0 {
			t.Fatalf("%s opened a dialog or a link for a room", s.ShortcutName())
		}
		if !strings.Contains(c.stateLine.Text, "meeting room") {
			t.Errorf("%s: status line %q", s.ShortcutName(), c.stateLine.Text)
		}
	}
}
