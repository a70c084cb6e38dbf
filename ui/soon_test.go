package ui

import (
	"context"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A free colleague whose meeting starts in ten minutes is not "Free until
// 10:30" in plain green: the row and the details say how long and what
// follows, in amber, and the words carry it without the colour.
func TestStatusFreeButNotForLong(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, paris) }
	meeting := func(h, m int, subject string, private bool) calendar.Slot {
		return calendar.Slot{Start: at(h, m), End: at(h, m).Add(time.Hour), Status: calendar.StatusBusy, Subject: subject, Private: private}
	}
	free := func(until time.Time, slots ...calendar.Slot) calendar.PersonState {
		return calendar.PersonState{Person: &calendar.Person{Name: "Ben Holm"}, Status: calendar.StatusFree, Until: until, Slots: slots}
	}
	endsAt1030 := workHours(monToFri, 9*time.Hour, 10*time.Hour+30*time.Minute, paris)
	offSoon := calendar.PersonState{Status: calendar.StatusFree, Until: at(10, 30), WorkingHours: endsAt1030, WorkingHoursShared: true}
	tests := []struct {
		name       string
		locale     string
		p          calendar.PersonState
		want       string
		wantColour color.Color
	}{
		{"meeting at 10:30", "", free(at(10, 30), meeting(10, 30, "Sprint review", false)), "Free for 10 min · then Sprint review", soonColor},
		{"private meeting: its status", "", free(at(10, 30), meeting(10, 30, "Doctor", true)), "Free for 10 min · then Busy", soonColor},
		{"meeting at 11:00: plain free", "", free(at(11, 0), meeting(11, 0, "Sprint review", false)), "Free until 11:00", StatusColor(calendar.StatusFree)},
		{"working hours end at 10:30", "", offSoon, "Off in 10 min", soonColor},
		{"Italian", "it_IT.UTF-8", free(at(10, 30), meeting(10, 30, "Sprint review", false)), "Libero per 10 min · poi Sprint review", soonColor},
		{"Italian, private", "it_IT.UTF-8", free(at(10, 30), meeting(10, 30, "Doctor", true)), "Libero per 10 min · poi Occupato", soonColor},
		{"Italian, hours end", "it_IT.UTF-8", offSoon, "Esce tra 10 min", soonColor},
		{"German", "de_DE.UTF-8", free(at(10, 30), meeting(10, 30, "Sprint review", false)), "Frei für 10 Min. · danach Sprint review", soonColor},
		{"German, hours end", "de_DE.UTF-8", offSoon, "Feierabend in 10 Min.", soonColor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.locale != "" {
				inLanguage(t, tt.locale)
			}
			if got := rowStatus(tt.p, at(10, 20)); got != tt.want {
				t.Errorf("row %q, want %q", got, tt.want)
			}
			if got := detailStatus(tt.p, at(10, 20)); got != tt.want {
				t.Errorf("details %q, want %q", got, tt.want)
			}
			if got := statusSwatch(tt.p, at(10, 20)); got != tt.wantColour {
				t.Errorf("colour %v, want %v", got, tt.wantColour)
			}
		})
	}
	if soonColor == StatusColor(calendar.StatusFree) || soonColor == StatusColor(calendar.StatusTentative) {
		t.Error("the amber of a short free time must differ from free's green and tentative's amber")
	}
}

// The console on the demo company at 10:20 on 3 December (Paris): Rosa
// Berger's 1:1 starts at 10:30. Her row and her details say so in amber,
// whole at the window's smallest size.
func TestConsoleShowsFreeButNotForLong(t *testing.T) {
	const rosa = "rosa.berger@demo.example"
	now := time.Date(2026, 12, 3, 10, 20, 0, 0, paris)
	demo := calendar.NewDemo(paris)
	demo.Now = func() time.Time { return now }
	people, _ := demo.Directory(context.Background())
	day := calendar.DayOf(now, paris)
	avail, err := calendar.FetchAll(context.Background(), demo, people, calendar.Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)})
	if err != nil {
		t.Fatal(err)
	}
	snap := calendar.BuildSnapshot(demo.Name(), avail, now, paris, now)

	test.NewTempApp(t)
	c := NewConsole(Options{Demo: true, Now: func() time.Time { return now }})
	t.Cleanup(c.search.stopIdle)
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(600, 400))
	c.Apply(snap)
	test.Type(c.search, "rosa berger")
	const want = "Free for 10 min · then 1:1"
	r := rowOf(t, w.Canvas(), rosa)
	if r.status.Text != want {
		t.Errorf("row says %q, want %q", r.status.Text, want)
	}
	if r.swatch.FillColor != soonColor {
		t.Errorf("row colour %v, want amber %v", r.swatch.FillColor, soonColor)
	}
	if r.status.truncated() {
		t.Errorf("row status %q cut to %.0f px", r.status.Text, r.status.Size().Width)
	}
	if got := c.detail.status.Text; got != want {
		t.Errorf("details say %q, want %q", got, want)
	}
	if c.detail.swatch.FillColor != soonColor {
		t.Errorf("details colour %v, want amber %v", c.detail.swatch.FillColor, soonColor)
	}
}
