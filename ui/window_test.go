package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

var (
	errRejected   = &calendar.Error{Kind: calendar.KindAuth, Code: "HTTP401"}
	errKeyring    = &calendar.Error{Kind: calendar.KindAuth, Code: "keyring_unavailable"}
	errRevoked    = &calendar.Error{Kind: calendar.KindAuth, Code: "AADSTS50173"}
	errPermission = &calendar.Error{Kind: calendar.KindPermission, Code: "HTTP403"}
	errSettings   = &calendar.Error{Kind: calendar.KindConfig, Code: "HTTP404"}
)

// sentences stands in for the composition root's words, one per failure.
func sentence(err error) string {
	switch err {
	case errRejected:
		return "Exchange rejected the user name or password."
	case errKeyring:
		return "The system keyring is locked or unavailable."
	case errRevoked:
		return "Your Microsoft 365 sign-in has expired or was revoked: sign in again."
	case errPermission:
		return "Exchange refused access to this information."
	case errSettings:
		return "No EWS service at this address."
	}
	return err.Error()
}

// remedyOf plays the composition root's choice of action, by error.
func remedyOf(err error) Remedy {
	switch err {
	case errRejected:
		return RemedyPassword
	case errKeyring:
		return RemedyUnlockKeyring
	case errRevoked:
		return RemedySignIn
	case errPermission:
		return RemedyRetry
	case errSettings:
		return RemedySettings
	}
	return RemedyWait
}

var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, paris)

// newTestWindow is the main window on the test driver, with I/O run inline.
func newTestWindow(t *testing.T, actions Actions, firstRun bool) (*mainWindow, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	if actions.Remedy == nil {
		actions.Remedy = remedyOf
	}
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(w, WindowOptions{
		FirstRun: firstRun,
		Console:  Options{Now: func() time.Time { return testNow }, Describe: sentence},
		Actions:  actions,
	})
	m.async = func(f func()) { f() }
	w.SetContent(m.Content())
	w.Resize(fyne.NewSize(900, 600))
	return m, w
}

func pausedSnapshot(source string, err error) calendar.Snapshot {
	state := calendar.StateAuthPaused
	if calendar.KindOf(err) == calendar.KindConfig {
		state = calendar.StateConfigError
	}
	return calendar.Snapshot{Source: source, At: testNow, GeneratedAt: testNow,
		Engine: calendar.EngineState{State: state, Reason: err}}
}

func TestBannerOffersTheOneActionThatFixesThePause(t *testing.T) {
	tests := []struct {
		name   string
		source string
		state  calendar.EngineState
		button string // "" when the banner shows the wait instead
		wait   string
	}{
		{"password", "ews", pausedSnapshot("ews", errRejected).Engine, "Enter the password", ""},
		{"keyring", "ews", pausedSnapshot("ews", errKeyring).Engine, "Unlock the keyring and retry", ""},
		{"signin", sourceMicrosoft365, pausedSnapshot(sourceMicrosoft365, errRevoked).Engine, "Sign in again", ""},
		{"permission", "ews", pausedSnapshot("ews", errPermission).Engine, "Retry now", ""},
		{"settings", "ews", pausedSnapshot("ews", errSettings).Engine, "Open Settings", ""},
		{"throttled", "ews", calendar.EngineState{State: calendar.StateThrottled, Until: testNow.Add(90 * time.Second)}, "", "Next try at 10:01, by itself."},
		{"offline", "ews", calendar.EngineState{State: calendar.StateOffline, Since: testNow.Add(-time.Minute), Until: testNow.Add(30 * time.Second)}, "", "Next try at 10:00, by itself."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, w := newTestWindow(t, Actions{}, false)
			m.Apply(calendar.Snapshot{Source: tt.source, At: testNow, GeneratedAt: testNow, Engine: tt.state})
			if !m.banner.root.Visible() {
				t.Fatal("no banner while the engine is stopped")
			}
			if tt.button == "" {
				if m.banner.action.Visible() {
					t.Errorf("a wait the engine sits out shows a button %q", m.banner.action.Text)
				}
				if m.banner.wait.Text != tt.wait {
					t.Errorf("wait %q, want %q", m.banner.wait.Text, tt.wait)
				}
			} else if !m.banner.action.Visible() || m.banner.action.Text != tt.button {
				t.Errorf("button %q (visible %v), want %q", m.banner.action.Text, m.banner.action.Visible(), tt.button)
			}
			test.AssertRendersToMarkup(t, "banner_"+tt.name+".xml", w.Canvas())

			m.Apply(calendar.Snapshot{Source: tt.source, At: testNow, GeneratedAt: testNow, Engine: calendar.EngineState{State: calendar.StateOK}})
			if m.banner.root.Visible() {
				t.Error("the banner stays after the engine recovered")
			}
		})
	}
}

func TestRetryAndUnlockResumeTheEngineOnce(t *testing.T) {
	for _, err := range []error{errKeyring, errPermission} {
		resumed := 0
		m, _ := newTestWindow(t, Actions{Resume: func() { resumed++ }}, false)
		m.Apply(pausedSnapshot("ews", err))
		test.Tap(m.banner.action)
		if resumed != 1 {
			t.Errorf("%v: Resume called %d times, want 1", err, resumed)
		}
	}
}

// The password prompt: typed password stored once; the server rejects it
// again -> the prompt comes back with the server's answer; accepted -> gone.
func TestPasswordPromptEmptyWrongAccepted(t *testing.T) {
	var stored []string
	m, w := newTestWindow(t, Actions{
		ExchangeUser:  func() string { return "reception@contoso.com" },
		StorePassword: func(_ context.Context, pw string) error { stored = append(stored, pw); return nil },
	}, false)
	m.Apply(pausedSnapshot("ews", errRejected))
	test.Tap(m.banner.action)
	if !m.password.Open() {
		t.Fatal("Enter the password did not open the prompt")
	}
	if !m.password.entry.Password {
		t.Error("the password is not masked")
	}
	test.AssertRendersToMarkup(t, "password_empty.xml", w.Canvas())

	test.Tap(m.password.reveal)
	if m.password.entry.Password {
		t.Error("Show password did not reveal it")
	}
	test.Tap(m.password.reveal)

	test.Type(m.password.entry, "Winter2026!")
	test.Tap(m.password.save)
	if len(stored) != 1 || stored[0] != "Winter2026!" {
		t.Fatalf("stored %q, want the typed password once", stored)
	}
	if m.password.Open() {
		t.Error("the prompt stays open while the request checks the password")
	}

	// The one request is rejected: the prompt comes back with the server's answer.
	m.Apply(pausedSnapshot("ews", errRejected))
	if !m.password.Open() {
		t.Fatal("a rejected password did not bring the prompt back")
	}
	if m.password.problem.Text != sentence(errRejected) {
		t.Errorf("prompt says %q, want the server's answer", m.password.problem.Text)
	}
	test.AssertRendersToMarkup(t, "password_wrong.xml", w.Canvas())

	test.Type(m.password.entry, "Spring2026!")
	test.Tap(m.password.save)
	m.Apply(calendar.Snapshot{Source: "ews", At: testNow, GeneratedAt: testNow, Engine: calendar.EngineState{State: calendar.StateOK}})
	if m.password.Open() || m.banner.root.Visible() {
		t.Error("after an accepted password the prompt or the banner is still shown")
	}
	test.AssertRendersToMarkup(t, "password_accepted.xml", w.Canvas())
	if len(stored) != 2 {
		t.Errorf("stored %d times, want 2 (once per Save)", len(stored))
	}

	// A snapshot that repeats the pause without a new password does not pop the prompt.
	m.password.dlg.Hide()
	m.Apply(pausedSnapshot("ews", errRejected))
	if m.password.Open() {
		t.Error("the prompt opened by itself without the operator asking")
	}
}

// A rejection the guard recorded speaks to the prompt itself, not of the
// banner's button the operator has already pressed.
func TestReopenedPromptNamesTheRecordedRejection(t *testing.T) {
	m, _ := newTestWindow(t, Actions{
		ExchangeUser:  func() string { return "reception@contoso.com" },
		StorePassword: func(context.Context, string) error { return nil },
		Remedy:        func(error) Remedy { return RemedyPassword },
	}, false)
	rejectedAt := time.Date(2026, 11, 23, 10, 2, 0, 0, time.UTC)
	recorded := calendar.NewPasswordRejected("ews", &calendar.PasswordRejectedError{At: rejectedAt, User: "reception@contoso.com"})
	m.Apply(pausedSnapshot("ews", recorded))
	test.Tap(m.banner.action)
	test.Type(m.password.entry, "Winter2026!")
	test.Tap(m.password.save)
	m.Apply(pausedSnapshot("ews", recorded))
	if !m.password.Open() {
		t.Fatal("a rejected password did not bring the prompt back")
	}
	if want := "Exchange rejected this password at 10:02. Check it and type it again."; m.password.problem.Text != want {
		t.Errorf("prompt says %q, want %q", m.password.problem.Text, want)
	}
}

func TestPasswordPromptShowsAKeyringFailure(t *testing.T) {
	m, _ := newTestWindow(t, Actions{
		StorePassword: func(context.Context, string) error { return errors.New("The system keyring is locked.") },
	}, false)
	m.password.Show("")
	test.Tap(m.password.save)
	if m.password.problem.Text != "Type the password first." {
		t.Errorf("empty password: %q", m.password.problem.Text)
	}
	test.Type(m.password.entry, "x")
	test.Tap(m.password.save)
	if !m.password.Open() || m.password.problem.Text != "The system keyring is locked." {
		t.Errorf("keyring failure: open %v, %q", m.password.Open(), m.password.problem.Text)
	}
}

func TestSignInWaitingCodeAndSignedIn(t *testing.T) {
	var pending func()
	account := ""
	actions := Actions{
		Account: func(context.Context) string { return account },
		SignIn: func(context.Context) (SignedIn, error) {
			account = "ada@contoso.com"
			return SignedIn{Account: account}, nil
		},
		SignOut: func(context.Context) error { account = ""; return nil },
	}
	m, w := newTestWindow(t, actions, false)
	m.Apply(pausedSnapshot(sourceMicrosoft365, errRevoked))
	if !m.account.root.Visible() || m.account.button.Text != "Sign in" {
		t.Fatalf("account bar: visible %v, %q", m.account.root.Visible(), m.account.button.Text)
	}
	test.Tap(m.banner.action)
	m.async = func(f func()) { pending = f } // hold the sign-in: the prompt waits
	test.Tap(findButton(t, m.signIn.body, "Sign in with Microsoft"))
	test.AssertRendersToMarkup(t, "signin_waiting.xml", w.Canvas())
	if findButton(t, m.signIn.body, "Cancel") == nil {
		t.Fatal("no Cancel while waiting")
	}
	m.async = func(f func()) { f() }
	pending()
	test.AssertRendersToMarkup(t, "signin_done.xml", w.Canvas())
	if m.account.label.Text != "Signed in as ada@contoso.com" || m.account.button.Text != "Sign out" {
		t.Errorf("account bar after sign-in: %q / %q", m.account.label.Text, m.account.button.Text)
	}
	m.signIn.dlg.Hide()
	test.Tap(m.account.button)
	if account != "" || m.account.button.Text != "Sign in" {
		t.Errorf("Sign out left %q / %q", account, m.account.button.Text)
	}
}

func TestSignInWithADeviceCode(t *testing.T) {
	var shownCode string
	var w fyne.Window
	actions := Actions{
		SignInWithCode: func(_ context.Context, show func(DeviceCode)) (SignedIn, error) {
			show(DeviceCode{Code: "F7K2-QX9P", URL: "https://microsoft.com/devicelogin"})
			test.AssertRendersToMarkup(t, "signin_code.xml", w.Canvas())
			shownCode = "F7K2-QX9P"
			return SignedIn{}, errors.New("Sign-in was cancelled or timed out before it finished: sign in again.")
		},
	}
	m, win := newTestWindow(t, actions, false)
	w = win
	m.signIn.Show()
	test.Tap(findButton(t, m.signIn.body, "Use a code instead"))
	if shownCode == "" {
		t.Fatal("the code was never shown")
	}
	// A failed or expired code goes back to the choice, with the reason.
	if findButton(t, m.signIn.body, "Sign in with Microsoft") == nil || !hasLabel(m.signIn.body, "Sign-in was cancelled or timed out before it finished: sign in again.") {
		t.Error("after a failed code sign-in the prompt does not offer to sign in again with the reason")
	}
}

func TestSignInShowsTheAdminConsentLinkWhenPresenceIsRefused(t *testing.T) {
	m, _ := newTestWindow(t, Actions{SignIn: func(context.Context) (SignedIn, error) {
		return SignedIn{Account: "ada@contoso.com", PresenceNote: "Presence is off: an administrator must approve it.",
			AdminConsentURL: "https://login.microsoftonline.com/contoso/adminconsent?client_id=x"}, nil
	}}, false)
	m.signIn.Show()
	test.Tap(findButton(t, m.signIn.body, "Sign in with Microsoft"))
	found := false
	for _, o := range test.LaidOutObjects(m.signIn.body) {
		if h, ok := o.(*widget.Hyperlink); ok && h.URL != nil && h.URL.String() == "https://login.microsoftonline.com/contoso/adminconsent?client_id=x" {
			found = true
		}
	}
	if !found {
		t.Error("no admin-consent link after presence was refused")
	}
}

func findButton(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(root) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func hasLabel(root fyne.CanvasObject, text string) bool {
	for _, o := range test.LaidOutObjects(root) {
		if l, ok := o.(*widget.Label); ok && l.Text == text && l.Visible() {
			return true
		}
	}
	return false
}

func entriesIn(root fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	for _, o := range test.LaidOutObjects(root) {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
		}
	}
	return out
}

// The banner's next try names a later day in the operator's language, as the
// rest of the window does.
func TestBannerNextTryInTheOperatorsLanguage(t *testing.T) {
	inLanguage(t, "it_IT.UTF-8")
	m, _ := newTestWindow(t, Actions{}, false)
	m.Apply(calendar.Snapshot{Source: "ews", At: testNow, GeneratedAt: testNow,
		Engine: calendar.EngineState{State: calendar.StateThrottled, Until: testNow.Add(24 * time.Hour)}})
	want := lang.X("banner.next_try", "Next try at {{.Time}}, by itself.", map[string]any{"Time": shortTime(testNow.Add(24*time.Hour), testNow)})
	if got := m.banner.wait.Text; got != want || strings.Contains(got, testNow.Add(24*time.Hour).Format("Mon")) {
		t.Errorf("wait %q, want %q", got, want)
	}
}

// The server rejects the typed password when Save checks it: the prompt
// stays open with the server's answer in its own words (nothing was stored).
func TestPasswordPromptStaysOpenWhenTheCheckIsRejected(t *testing.T) {
	rejectedAt := time.Date(2026, 11, 23, 10, 2, 0, 0, time.UTC)
	rejected := calendar.NewPasswordRejected("ews", &calendar.PasswordRejectedError{At: rejectedAt, User: "reception@contoso.com"})
	m, _ := newTestWindow(t, Actions{
		StorePassword: func(context.Context, string) error { return fmt.Errorf("worded by app: %w", rejected) },
	}, false)
	m.password.Show("")
	test.Type(m.password.entry, "Winter2026!")
	test.Tap(m.password.save)
	if want := "Exchange rejected this password at 10:02. Check it and type it again."; !m.password.Open() || m.password.problem.Text != want {
		t.Errorf("open %v, prompt says %q, want %q", m.password.Open(), m.password.problem.Text, want)
	}
}

// A reason that quotes a server's echo of the password or token shows
// neither in the window: every text the window reads out of the process
// (the banner, the console's own notice) hides the secrets registered with
// calendar's scrubber.
func TestWindowShowsNoEchoedSecret(t *testing.T) {
	const password, token = "Window-canary-PW-8e21", "window-canary-token-77c0"
	calendar.RegisterBasicCredentials(`CONTOSO\reception`, password)
	calendar.RegisterSecret(token)
	echo := fmt.Errorf("server said: access denied for %s, token %s", password, token)
	leaks := func(t *testing.T, root fyne.CanvasObject) {
		t.Helper()
		shown := 0
		for _, o := range test.LaidOutObjects(root) {
			var text string
			switch o := o.(type) {
			case *widget.Label:
				text = o.Text
			case *widget.RichText:
				text = o.String()
			default:
				continue
			}
			if strings.Contains(text, "access denied") {
				shown++
			}
			if strings.Contains(text, password) || strings.Contains(text, token) {
				t.Errorf("the window shows %q", text)
			}
		}
		if shown == 0 {
			t.Error("the reason is not on screen: nothing was tested")
		}
	}
	t.Run("window banner", func(t *testing.T) {
		m, w := newTestWindow(t, Actions{}, false)
		m.Apply(pausedSnapshot("ews", echo))
		leaks(t, w.Content())
	})
	t.Run("console notice", func(t *testing.T) {
		test.NewTempApp(t)
		c := NewConsole(Options{Now: func() time.Time { return testNow }, Describe: func(err error) string { return err.Error() }})
		c.Apply(calendar.Snapshot{Source: "ews", At: testNow, GeneratedAt: testNow,
			Engine: calendar.EngineState{State: calendar.StateOffline, Reason: echo}})
		w := test.NewTempWindow(t, c.Content())
		leaks(t, w.Content())
	})
}
