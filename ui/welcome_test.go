package ui

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

func TestWelcomePageAndEachPath(t *testing.T) {
	var connected []Settings
	var passwords []string
	demo := 0
	actions := Actions{
		TryDemo: func() { demo++ },
		Connect: func(_ context.Context, s Settings, password string, _ func(DeviceCode)) error {
			connected = append(connected, s)
			passwords = append(passwords, password)
			return nil
		},
	}
	m, w := newTestWindow(t, actions, true)
	if m.welcome == nil {
		t.Fatal("first run did not open the welcome page")
	}
	test.AssertRendersToMarkup(t, "welcome.xml", w.Canvas())

	t.Run("exchange", func(t *testing.T) {
		test.Tap(findButton(t, m.welcome.body, "Exchange on-premises"))
		test.AssertRendersToMarkup(t, "welcome_ews.xml", w.Canvas())
		entries := entriesIn(m.welcome.body)
		test.Type(entries[0], "https://mail.contoso.com/EWS/Exchange.asmx")
		test.Type(entries[1], "reception@contoso.com")
		test.Type(entries[2], "Winter2026!")
		test.Tap(findButton(t, m.welcome.body, "Connect"))
		if len(connected) != 1 || connected[0].Provider != "ews" || connected[0].EWSURL != "https://mail.contoso.com/EWS/Exchange.asmx" ||
			connected[0].EWSUser != "reception@contoso.com" || connected[0].Emails != "reception@contoso.com" || passwords[0] != "Winter2026!" {
			t.Fatalf("Connect got %+v / %q", connected, passwords)
		}
		// Nothing more until the engine's first snapshot replaces the page.
		if m.welcome == nil {
			t.Fatal("the welcome page left before the engine answered")
		}
		m.welcome.showChoices()
	})
	t.Run("microsoft365", func(t *testing.T) {
		test.Tap(findButton(t, m.welcome.body, "Microsoft 365"))
		test.AssertRendersToMarkup(t, "welcome_m365.xml", w.Canvas())
		entries := entriesIn(m.welcome.body)
		entries[0].SetText("contoso.onmicrosoft.com")
		entries[1].SetText("11111111-2222-3333-4444-555555555555")
		test.Tap(findButton(t, m.welcome.body, "Sign in with Microsoft"))
		if len(connected) != 2 || connected[1].Provider != "microsoft365" || connected[1].ClientID != "11111111-2222-3333-4444-555555555555" || connected[1].People != PeopleAll {
			t.Fatalf("Connect got %+v", connected[1:])
		}
		m.welcome.showChoices()
	})
	t.Run("demo", func(t *testing.T) {
		test.Tap(findButton(t, m.welcome.body, "Try the demo company"))
		if demo != 1 {
			t.Fatalf("TryDemo called %d times", demo)
		}
		m.Apply(calendar.Snapshot{Source: calendar.DemoSourceName, At: testNow, GeneratedAt: testNow})
		if m.welcome != nil || m.win.Title() != "Frontdesk (DEMO DATA)" {
			t.Errorf("the demo did not replace the welcome page with a labelled console (title %q)", m.win.Title())
		}
	})
}

func TestWelcomeShowsWhyConnectFailed(t *testing.T) {
	m, _ := newTestWindow(t, Actions{
		CheckSettings: func(s Settings) *FieldProblem {
			if s.EWSURL == "" {
				return &FieldProblem{Key: "ews.url", Problem: "is empty: set your Exchange server's EWS address, such as https://mail.contoso.com/EWS/Exchange.asmx"}
			}
			return nil
		},
		Connect: func(context.Context, Settings, string, func(DeviceCode)) error {
			t.Fatal("Connect called with settings the loader refuses")
			return nil
		},
	}, true)
	test.Tap(findButton(t, m.welcome.body, "Exchange on-premises"))
	test.Tap(findButton(t, m.welcome.body, "Connect"))
	if !m.welcome.problem.Visible() || m.welcome.problem.Text != "Exchange address (EWS): is empty: set your Exchange server's EWS address, such as https://mail.contoso.com/EWS/Exchange.asmx" {
		t.Errorf("problem %q", m.welcome.problem.Text)
	}
}

// Keys the admin policy sets are shown greyed with the administrator's note,
// as in Settings: an edit there would not be saved.
func TestWelcomeShowsPolicyKeysAsSetByTheAdministrator(t *testing.T) {
	form := SettingsForm{
		Values: Settings{Provider: "microsoft365", Tenant: "contoso.onmicrosoft.com", EWSURL: "https://mail.contoso.com/EWS/Exchange.asmx", EWSAuth: "ntlm"},
		Locked: map[string]bool{"microsoft365.tenant": true, "ews.url": true, "ews.auth": true},
	}
	m, _ := newTestWindow(t, Actions{Settings: func() SettingsForm { return form }}, true)
	tests := []struct {
		path   string
		locked map[string]bool // label → locked
	}{
		{"Microsoft 365", map[string]bool{"Tenant": true, "Application (client) ID": false}},
		{"Exchange on-premises", map[string]bool{"Exchange address (EWS)": true, "User": false, "Authentication": true, "CA file": false}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			m.welcome.showChoices()
			test.Tap(findButton(t, m.welcome.body, tt.path))
			var items []*widget.FormItem
			for _, o := range m.welcome.body.Objects {
				if f, ok := o.(*widget.Form); ok {
					items = f.Items
				}
			}
			seen := 0
			for _, item := range items {
				want, ok := tt.locked[item.Text]
				if !ok {
					continue
				}
				seen++
				note := item.HintText == "Set by your administrator"
				disabled := false
				if d, ok := item.Widget.(fyne.Disableable); ok {
					disabled = d.Disabled()
				}
				if note != want || disabled != want {
					t.Errorf("%s: note %v, disabled %v, want locked %v", item.Text, note, disabled, want)
				}
			}
			if seen != len(tt.locked) {
				t.Errorf("found %d of the %d fields", seen, len(tt.locked))
			}
		})
	}
}

// Typing on the welcome page outside its fields goes nowhere: the console
// behind it is not on screen (it crashed the app on its unrendered list).
func TestTypingOnTheWelcomePageOutsideAFieldIsIgnored(t *testing.T) {
	m, w := newTestWindow(t, Actions{}, true)
	InstallConsoleKeys(w.Canvas(), m.shownConsole)
	test.Tap(findButton(t, m.welcome.body, "Microsoft 365"))
	w.Canvas().Unfocus()
	test.TypeOnCanvas(w.Canvas(), "0a")
	if m.welcome == nil {
		t.Fatal("the welcome page went away")
	}
	if got := m.console.search.Text; got != "" {
		t.Errorf("the hidden console's search took %q", got)
	}
}

// What Connect could not do is said in the words of the form on screen: the
// field by its label, the password "above", never a config key or Settings,
// which a first run does not have yet (issue 21).
func TestWelcomeProblemsNameTheFieldOnScreen(t *testing.T) {
	rejectedAt := time.Date(2026, 12, 3, 10, 20, 0, 0, time.UTC)
	untrusted := &url.Error{Op: "Post", URL: "https://127.0.0.1:8443/EWS/Exchange.asmx",
		Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}
	tests := []struct {
		name      string
		check     *FieldProblem
		connect   error
		want      string
		forbidden []string
	}{
		{"CA file refused by the loader", &FieldProblem{Key: "ews.ca_file", Problem: "/tmp/x.pem holds no PEM certificate"}, nil,
			"CA file: /tmp/x.pem holds no PEM certificate", []string{"ews.ca_file"}},
		{"user refused by Connect", nil, &FieldProblem{Key: "ews.username", Problem: "use your email address (user@domain) so Frontdesk can check your own calendar"},
			"User: use your email address", []string{"ews.username"}},
		{"password rejected", nil, calendar.NewPasswordRejected("ews", &calendar.PasswordRejectedError{At: rejectedAt, User: "reception@contoso.com"}),
			"Check the password above", []string{"Settings", "frontdesk ews-password"}},
		{"certificate from an unknown authority", nil, &calendar.Error{Kind: calendar.KindTransient, Op: "ews.availability", Err: untrusted,
			Hint: "The Exchange server's certificate comes from an authority this computer does not trust. Set ews.ca_file (CA file in Settings) to your organisation's CA bundle."},
			"as CA file above", []string{"ews.ca_file", "Settings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newTestWindow(t, Actions{
				CheckSettings: func(Settings) *FieldProblem { return tt.check },
				Connect: func(context.Context, Settings, string, func(DeviceCode)) error {
					return tt.connect
				},
			}, true)
			test.Tap(findButton(t, m.welcome.body, "Exchange on-premises"))
			test.Tap(findButton(t, m.welcome.body, "Connect"))
			got := m.welcome.problem.Text
			if !m.welcome.problem.Visible() || !strings.Contains(got, tt.want) {
				t.Errorf("the form reads %q, want it to say %q", got, tt.want)
			}
			for _, f := range tt.forbidden {
				if strings.Contains(got, f) {
					t.Errorf("the form reads %q: %q is not on this form", got, f)
				}
			}
		})
	}
}
