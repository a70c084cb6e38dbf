package app

import (
	"context"
	"slices"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// Colleagues picked in "Add colleagues" are added to the saved list after
// the operator's own address, each once, through Settings' save path.
func TestAddColleaguesSavesThemToTheList(t *testing.T) {
	useAuthTestKeyring(t)
	x := startLockingExchange(t, "Winter2026!right")
	env := ewsPasswordTestEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ws := &windowSettings{env: env, live: newLiveEngine(ctx, env)}
	s := ui.Settings{Provider: ProviderEWS, EWSURL: x.url, EWSVersion: "Exchange2013_SP1", EWSAuth: "basic",
		EWSUser: "reception@contoso.com", EWSCAFile: x.caFile, RefreshInterval: "60s", People: ui.PeopleList, Emails: "reception@contoso.com"}
	if err := ws.Connect(context.Background(), s, "Winter2026!right", nil); err != nil {
		t.Fatal(err)
	}
	if err := ws.AddColleagues(context.Background(), []string{"ben.holm@contoso.com", "Reception@contoso.com", "ada@contoso.com"}); err != nil {
		t.Fatal(err)
	}
	l, err := LoadConfig(env.Paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"reception@contoso.com", "ben.holm@contoso.com", "ada@contoso.com"}; !slices.Equal(l.Config.People.Emails, want) {
		t.Errorf("the list reads %q, want %q", l.Config.People.Emails, want)
	}
}

func TestMatchingPeopleHoldEveryWord(t *testing.T) {
	people := []calendar.Person{{Name: "Ben Holm", Email: "ben.holm@contoso.com", Department: "Sales"},
		{Name: "Ben Berger", Email: "ben.berger@contoso.com", Department: "Finance"}, {Name: "Ada Holm", Email: "ada@contoso.com"}}
	tests := []struct {
		query string
		want  []string
	}{
		{"ben", []string{"Ben Holm", "Ben Berger"}},
		{"holm ben", []string{"Ben Holm"}},
		{"finance", []string{"Ben Berger"}},
		{"nobody", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got []string
			for _, p := range matchingPeople(people, tt.query, 10) {
				got = append(got, p.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q matched %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}
