package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// What the window says must be what the data supports: a return nobody gave is
// not "not in the next few days", "updated" is when the answer came, and an
// answer that may have changed says so in words and italics.
func TestDetailsSayOnlyWhatTheDataSupports(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	fetched := now.Add(-5 * time.Minute)
	autoReply := calendar.PersonState{
		Person:      &calendar.Person{Name: "Ana Holm", Email: "ana@example.com"},
		Status:      calendar.StatusOOF,
		OutOfOffice: calendar.OutOfOffice{Active: true, Message: "Away this week"},
		FetchedAt:   now.Add(-20 * time.Second),
	}
	busy := calendar.PersonState{
		Person:    &calendar.Person{Name: "Ben Holm", Email: "ben@example.com"},
		Status:    calendar.StatusBusy,
		Until:     now.Add(time.Hour),
		FetchedAt: fetched,
	}
	unreadable := busy
	unreadable.FetchedAt = now.Add(-20 * time.Second)
	unreadable.StaleReason = &calendar.UnreadableAnswer{Status: 200, Err: errors.New("schedule 2 does not read")}
	tests := []struct {
		name         string
		person       calendar.PersonState
		engine       calendar.EngineState
		wantNextFree string
		wantUpdated  string
		wantStale    string
		wantItalic   bool
		wantLine     string
	}{
		{"automatic replies only: no claim about the return", autoReply, calendar.EngineState{State: calendar.StateOK, Interval: time.Minute},
			"Return not known", "Updated 09:59:40", "", false, "1 colleague · updated 09:59:40"},
		{"five minutes old at a 60 s interval: may have changed", busy, calendar.EngineState{State: calendar.StateOK, Interval: time.Minute},
			"Next free: not in the next few days", "Updated 09:55:00", "Not updated since 09:55: this may have changed.", true, "1 colleague · updated 09:55:00"},
		{"five minutes old at a 10 min interval: fine", busy, calendar.EngineState{State: calendar.StateOK, Interval: 10 * time.Minute},
			"Next free: not in the next few days", "Updated 09:55:00", "", false, "1 colleague · updated 09:55:00"},
		{"paused: may have changed whatever its age", autoReply, calendar.EngineState{State: calendar.StateAuthPaused, Stale: true, Interval: time.Minute},
			"Return not known", "Updated 09:59:40", "Not updated since 09:59: this may have changed.", true, "Paused: sign-in needed"},
		{"latest answer unreadable: the last good one, stale, and why", unreadable, calendar.EngineState{State: calendar.StatePartial, Interval: time.Minute},
			"Next free: not in the next few days", "Updated 09:59:40",
			"Not updated since 09:59: this may have changed. The server's answer could not be read; Frontdesk keeps trying.", true, "1 colleague · updated 09:59:40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestConsole(t, false)
			c.Apply(calendar.Snapshot{Source: "microsoft365", At: now, GeneratedAt: now, Engine: tt.engine, People: ptrs(tt.person)})
			c.chosen = tt.person.Person.Key()
			c.showChosen()
			d := c.detail
			if got := d.nextFree.Text; got != tt.wantNextFree {
				t.Errorf("next free %q, want %q", got, tt.wantNextFree)
			}
			if got := d.updated.Text; got != tt.wantUpdated {
				t.Errorf("updated %q, want %q", got, tt.wantUpdated)
			}
			if got := d.stale.Text; got != tt.wantStale || d.stale.Hidden != (tt.wantStale == "") {
				t.Errorf("stale line %q (hidden %v), want %q", got, d.stale.Hidden, tt.wantStale)
			}
			if d.status.TextStyle.Italic != tt.wantItalic {
				t.Errorf("status italic = %v, want %v", d.status.TextStyle.Italic, tt.wantItalic)
			}
			if got := c.stateLine.Text; got != tt.wantLine {
				t.Errorf("state line %q, want %q", got, tt.wantLine)
			}
			r := newRow(c)
			r.update(c, 0)
			if r.status.TextStyle.Italic != tt.wantItalic {
				t.Errorf("row status italic = %v, want %v", r.status.TextStyle.Italic, tt.wantItalic)
			}
			if tt.wantItalic && !strings.HasPrefix(r.what.Text, "as of ") {
				t.Errorf("row's second line %q does not say how old the answer is", r.what.Text)
			}
		})
	}
}
