package ui

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// callConsole is a key console whose calls are recorded instead of handed
// to the system.
func callConsole(t *testing.T, template, prefix string, openErr error) (*keyConsole, *[]string) {
	t.Helper()
	k := newKeyConsole(t)
	var opened []string
	k.c.opts.CallURI, k.c.opts.DialPrefix = template, prefix
	k.c.opts.OpenURL = func(u *url.URL) error {
		opened = append(opened, u.String())
		return openErr
	}
	return k, &opened
}

// selectByName selects the demo colleague called name.
func selectByName(t *testing.T, k *keyConsole, name string) {
	t.Helper()
	for i := range k.c.visible {
		if k.rowName(i) == name {
			k.c.choose(i, false)
			return
		}
	}
	t.Fatalf("no demo colleague %q", name)
}

func TestCtrlEnterCallsTheSelectedColleague(t *testing.T) {
	for _, where := range []string{"search", "list", "details", "nothing"} {
		t.Run(where, func(t *testing.T) {
			k, opened := callConsole(t, "", "", nil)
			k.c.move(1)
			p, _ := k.c.Selected()
			k.focus(where)
			shortcut(k.w.Canvas(), shortcutCall)
			want, _ := url.Parse("tel:" + stripForTel(p.Person.Phone))
			if len(*opened) != 1 || (*opened)[0] != want.String() {
				t.Fatalf("opened %v, want exactly [%s] for %s (%s)", *opened, want, p.Person.Name, p.Person.Phone)
			}
			if !k.c.dealtWith {
				t.Error("a call must count as acting on the colleague: the next key starts a new search")
			}
		})
	}
}

// stripForTel is the demo's "+1 555 0140" as dialled.
func stripForTel(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '+' || (r >= '0' && r <= '9') {
			out = append(out, r)
		}
	}
	return string(out)
}

func TestCallURIsOfADemoColleague(t *testing.T) {
	tests := []struct {
		name, template, prefix string
		call                   func(k *keyConsole)
		want                   string
	}{
		{"Ctrl+Enter dials the work number", "", "", func(k *keyConsole) { shortcut(k.w.Canvas(), shortcutCall) }, "tel:+15550140"},
		{"keypad Enter too", "", "", func(k *keyConsole) { shortcut(k.w.Canvas(), shortcutCallKeypad) }, "tel:+15550140"},
		{"outside line prefix", "callto:{number}", "9", func(k *keyConsole) { shortcut(k.w.Canvas(), shortcutCall) }, "callto:9+15550140"},
		{"Teams by address", "https://teams.microsoft.com/l/call/0/0?users={email}", "", func(k *keyConsole) { shortcut(k.w.Canvas(), shortcutCall) },
			"https://teams.microsoft.com/l/call/0/0?users={email}"},
		{"the work number's Call button", "", "", func(k *keyConsole) { test.Tap(k.c.detail.phone.call) }, "tel:+15550140"},
		{"the mobile's Call button", "", "", func(k *keyConsole) { test.Tap(k.c.detail.mobile.call) }, "tel:+15557000040"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, opened := callConsole(t, tt.template, tt.prefix, nil)
			selectByName(t, k, demoColleague40(t, k))
			p, _ := k.c.Selected()
			// The demo's address, "@" escaped as a query value must be.
			want := strings.ReplaceAll(tt.want, "{email}", strings.ReplaceAll(p.Person.Email, "@", "%40"))
			tt.call(k)
			if len(*opened) != 1 || (*opened)[0] != want {
				t.Errorf("opened %v, want exactly [%s]", *opened, want)
			}
		})
	}
}

// demoColleague40 is the name of the demo colleague whose work number is
// "+1 555 0140".
func demoColleague40(t *testing.T, k *keyConsole) string {
	t.Helper()
	for _, p := range k.c.snap.People {
		if p.Person.Phone == "+1 555 0140" {
			return p.Person.Name
		}
	}
	t.Fatal("no demo colleague with +1 555 0140")
	return ""
}

func TestCallWithoutAProgramSaysSo(t *testing.T) {
	k, opened := callConsole(t, "", "", errors.New("no handler"))
	k.c.move(1)
	shortcut(k.w.Canvas(), shortcutCall)
	if len(*opened) != 1 {
		t.Fatalf("opened %v", *opened)
	}
	if got := k.c.stateLine.Text; got == "" || !strings.Contains(got, "tel:") {
		t.Errorf("status line %q does not say the call did not start", got)
	}
}
