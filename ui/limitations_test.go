package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// TestWindowSaysWhatTheSourceSwitchedOff: the snapshot's limitations are
// said in words above the console, the presence one with the admin-consent
// link, and go away when the source asks again.
func TestWindowSaysWhatTheSourceSwitchedOff(t *testing.T) {
	const consent = "https://login.microsoftonline.com/contoso.com/adminconsent?client_id=app"
	tests := []struct {
		name     string
		source   string
		limit    calendar.Limitation
		sentence string
		link     bool
	}{
		{"presence not approved", sourceMicrosoft365, calendar.Limitation{Kind: calendar.LimitPresenceNotApproved, URL: consent},
			"Teams presence is off: your organisation has not approved it.", true},
		{"no MailTips on this server", "ews", calendar.Limitation{Kind: calendar.LimitMailTipsUnsupported},
			"Automatic replies are not shown: this Exchange server does not offer them.", false},
		{"MailTips refused", "ews", calendar.Limitation{Kind: calendar.LimitMailTipsRefused},
			"Automatic replies are not shown: Exchange refused them to this account. Ask your Exchange administrator.", false},
		{"directory records left out", sourceMicrosoft365, calendar.Limitation{Kind: calendar.LimitDirectoryIncomplete, Count: 2},
			"Some colleagues may be missing: the directory sent entries Frontdesk could not read (2). Details are in the log.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newTestWindow(t, Actions{}, false)
			snap := calendar.Snapshot{Source: tt.source, At: testNow, GeneratedAt: testNow,
				Engine: calendar.EngineState{State: calendar.StateOK, Limitations: []calendar.Limitation{tt.limit}}}
			m.Apply(snap)
			if !m.limits.root.Visible() {
				t.Fatal("nothing says the part is off")
			}
			var texts []string
			var link *widget.Hyperlink
			var walk func(o fyne.CanvasObject)
			walk = func(o fyne.CanvasObject) {
				switch o := o.(type) {
				case *widget.Label:
					texts = append(texts, o.Text)
				case *widget.Hyperlink:
					link = o
				case *fyne.Container:
					for _, c := range o.Objects {
						walk(c)
					}
				}
			}
			walk(m.limits.root)
			if len(texts) != 1 || texts[0] != tt.sentence {
				t.Errorf("says %q, want %q", texts, tt.sentence)
			}
			if (link != nil) != tt.link || (link != nil && link.URL.String() != consent) {
				t.Errorf("link %v, want one: %v", link, tt.link)
			}

			snap.Engine.Limitations = nil
			m.Apply(snap)
			if m.limits.root.Visible() {
				t.Error("still shown after the source asks again")
			}
		})
	}
}

// TestOutOfOfficeLineSaysHowOld: a reply read this refresh is shown as it
// is; one kept from an earlier refresh says when it was read.
func TestOutOfOfficeLineSaysHowOld(t *testing.T) {
	read := time.Date(2026, 11, 23, 10, 42, 0, 0, paris)
	tests := []struct {
		name string
		oof  calendar.OutOfOffice
		want string
	}{
		{"not away", calendar.OutOfOffice{AsOf: read}, ""},
		{"away, read now", calendar.OutOfOffice{Active: true, Message: "Back Monday", AsOf: read}, "Automatic reply: Back Monday"},
		{"away, kept", calendar.OutOfOffice{Active: true, Message: "Back Monday", AsOf: read, Kept: true}, "Out of office (as of 10:42)\nAutomatic reply: Back Monday"},
		{"away, kept, no reply text", calendar.OutOfOffice{Active: true, AsOf: read, Kept: true}, "Out of office (as of 10:42)"},
		{"away, too old", calendar.OutOfOffice{Active: true, AsOf: read, Kept: true, Unknown: true}, "Out of office at 10:42; not known since."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outOfOfficeLine(tt.oof); got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
}
