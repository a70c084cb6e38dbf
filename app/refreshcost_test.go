package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// Settings' "About N requests an hour" and the doctor's "N requests per
// refresh" count every request a refresh sends (ews and calendar/graph test
// that count against their servers): for 7 Exchange colleagues every minute,
// GetUserAvailability and GetMailTips, 2 a refresh and 120 an hour, where
// they said 1 and 60.
func TestQuotedCostsCountEveryRequestARefreshSends(t *testing.T) {
	seven := "a@contoso.com\nb@contoso.com\nc@contoso.com\nd@contoso.com\ne@contoso.com\nf@contoso.com\ng@contoso.com"
	tests := []struct {
		name       string
		form       ui.Settings
		perRefresh int
	}{
		{"Exchange with MailTips", ui.Settings{Provider: ProviderEWS, EWSVersion: "Exchange2013_SP1"}, 2},
		{"Exchange 2007: no MailTips", ui.Settings{Provider: ProviderEWS, EWSVersion: "Exchange2007_SP1"}, 1},
		{"Microsoft 365 with presence", ui.Settings{Provider: ProviderM365, Presence: true}, 2},
		{"Microsoft 365 without presence", ui.Settings{Provider: ProviderM365}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, _ := testWindowSettings(t)
			form := tt.form
			form.People, form.Emails, form.RefreshInterval = ui.PeopleList, seven, "60s"
			perHour, people := ws.Budget(form)
			if people != 7 || perHour != tt.perRefresh*60 {
				t.Errorf("Settings: %d requests an hour for %d colleagues, want %d for 7", perHour, people, tt.perRefresh*60)
			}

			cfg := DefaultConfig()
			cfg.Provider = tt.form.Provider
			cfg.Microsoft365.Presence = tt.form.Presence
			cfg.EWS.Version = tt.form.EWSVersion
			cfg.People.Emails = strings.Split(seven, "\n")
			cfg.RefreshInterval = Duration{time.Minute}
			d := &doctor{env: ws.env, deadline: time.Now().Add(time.Hour), report: &DoctorReport{}, loaded: &Loaded{Config: cfg}}
			d.checkRefreshPlan(context.Background())
			var detail string
			for _, c := range d.report.Checks {
				if c.Name == "refresh plan" {
					detail = c.Detail
				}
			}
			want := "1 request per refresh"
			if tt.perRefresh != 1 {
				want = strings.Replace(want, "1 request", string(rune('0'+tt.perRefresh))+" requests", 1)
			}
			if !strings.Contains(detail, want) || !strings.Contains(detail, "every 1m") {
				t.Errorf("doctor: %q, want %q", detail, want)
			}
			if got := refreshCost(cfg, 7).PerHour(time.Minute); got != perHour {
				t.Errorf("the budget's %d an hour differs from Settings' %d", got, perHour)
			}
		})
	}
}

// The meeting rooms are polled with the colleagues: Settings' budget counts
// one availability request per batch of rooms on top of the colleagues'
// (getSchedule 20, GetUserAvailability 100), and the rooms are named.
func TestBudgetCountsTheMeetingRooms(t *testing.T) {
	for _, tc := range []struct {
		name       string
		form       ui.Settings
		rooms      int
		perRefresh int // colleagues' 1 (M365 without presence) or 2 (EWS with MailTips) plus the rooms'
	}{
		{"Microsoft 365, 45 rooms", ui.Settings{Provider: ProviderM365, Rooms: true}, 45, 1 + 3},
		{"Exchange, 150 rooms", ui.Settings{Provider: ProviderEWS, EWSVersion: "Exchange2013_SP1", Rooms: true}, 150, 2 + 2},
		{"no rooms", ui.Settings{Provider: ProviderM365, Rooms: true}, 0, 1},
		// Turned off in the form: the rooms last seen cost nothing from the next refresh on.
		{"rooms turned off", ui.Settings{Provider: ProviderM365}, 45, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, _ := testWindowSettings(t)
			people := []*calendar.PersonState{{Person: &calendar.Person{Email: "a@contoso.com"}}}
			for i := range tc.rooms {
				people = append(people, &calendar.PersonState{Person: &calendar.Person{Email: fmt.Sprintf("room%d@contoso.com", i), Room: &calendar.Room{}}})
			}
			ws.live.mu.Lock()
			ws.live.publishLocked(ws.live.gen, calendar.Snapshot{People: people})
			ws.live.mu.Unlock()
			form := tc.form
			form.People, form.Emails, form.RefreshInterval = ui.PeopleList, "a@contoso.com", "60s"
			perHour, colleagues := ws.Budget(form)
			if colleagues != 1 || ws.BudgetRooms() != tc.rooms || perHour != tc.perRefresh*60 {
				t.Fatalf("%d requests an hour for %d colleagues and %d rooms, want %d for 1 and %d", perHour, colleagues, ws.BudgetRooms(), tc.perRefresh*60, tc.rooms)
			}
		})
	}
}

// On Exchange the automatic replies follow their own cadence (the colleague
// on screen every refresh, everyone every fifth): for 1,000 colleagues every
// minute Settings and the doctor quote what the engine's plan counts, 11
// requests a refresh and 30 every fifth, 148 per 10 minutes and 888 an hour,
// where they quoted 30 a refresh, 300 and 1,800.
func TestQuotedCostsFollowTheAutoReplyCadence(t *testing.T) {
	var emails []string
	for i := range 1000 {
		emails = append(emails, fmt.Sprintf("p%d@contoso.com", i))
	}
	ws, _ := testWindowSettings(t)
	form := ui.Settings{Provider: ProviderEWS, EWSVersion: "Exchange2013_SP1", People: ui.PeopleList, Emails: strings.Join(emails, "\n"), RefreshInterval: "60s"}
	if perHour, people := ws.Budget(form); people != 1000 || perHour != 888 {
		t.Errorf("Settings: %d requests an hour for %d colleagues, want 888 for 1000", perHour, people)
	}
	cfg := DefaultConfig()
	cfg.Provider, cfg.EWS.Version = ProviderEWS, "Exchange2013_SP1"
	cfg.People.Emails = emails
	cfg.RefreshInterval = Duration{time.Minute}
	d := &doctor{env: ws.env, deadline: time.Now().Add(time.Hour), report: &DoctorReport{}, loaded: &Loaded{Config: cfg}}
	d.checkRefreshPlan(context.Background())
	var detail string
	for _, c := range d.report.Checks {
		if c.Name == "refresh plan" {
			detail = c.Detail
		}
	}
	want := "11 requests per refresh (30 every 5th, with everyone's automatic replies), 148 per 10 minutes"
	if !strings.Contains(detail, want) {
		t.Errorf("doctor: %q, want %q", detail, want)
	}
}
