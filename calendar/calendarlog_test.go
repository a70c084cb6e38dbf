package calendar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// recordingHandler keeps every record it is given, for tests that assert
// exactly what was logged.
type recordingHandler struct {
	level slog.Level
	mu    sync.Mutex
	recs  []slog.Record
}

func (h *recordingHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

// The engine logs through its logger as given; nothing here needs With.
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler { panic("recordingHandler: WithAttrs") }
func (h *recordingHandler) WithGroup(string) slog.Handler      { panic("recordingHandler: WithGroup") }

// logLine is a record reduced to what the tests compare: level, message and
// every attribute as text.
type logLine struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func (l logLine) String() string {
	keys := make([]string, 0, len(l.attrs))
	for k := range l.attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q", l.level, l.msg)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%q", k, l.attrs[k])
	}
	return b.String()
}

// lines returns the records with message msg (every record when msg is empty).
func (h *recordingHandler) lines(msgs ...string) []logLine {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []logLine
	for _, r := range h.recs {
		if len(msgs) > 0 && !slices.Contains(msgs, r.Message) {
			continue
		}
		l := logLine{level: r.Level, msg: r.Message, attrs: map[string]string{}}
		r.Attrs(func(a slog.Attr) bool {
			l.attrs[a.Key] = a.Value.String()
			return true
		})
		out = append(out, l)
	}
	return out
}

// scriptedSource answers like fakeSource, except that each Availability call
// (one per cycle: everyone fits in one batch) fails for the people its
// script names by Person.Key, with the error the script gives for that call.
type scriptedSource struct {
	*fakeSource
	// script is the per-person errors of call n; a call past its end has none.
	script []map[string]error

	mu     sync.Mutex
	calls  int
	people []Person
}

func (s *scriptedSource) Directory(ctx context.Context) ([]Person, error) {
	if _, err := s.fakeSource.Directory(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.people), nil
}

func (s *scriptedSource) setPeople(people []Person) {
	s.mu.Lock()
	s.people = people
	s.mu.Unlock()
}

func (s *scriptedSource) Availability(ctx context.Context, people []Person, w Window) ([]Availability, error) {
	out, err := s.fakeSource.Availability(ctx, people, w)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	n := s.calls
	s.calls++
	s.mu.Unlock()
	if n < len(s.script) {
		for i, p := range people {
			if err := s.script[n][p.Key()]; err != nil {
				out[i].Slots, out[i].WorkingHours, out[i].Err = nil, WorkingHours{}, err
			}
		}
	}
	return out, nil
}

func (s *scriptedSource) answered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// scriptedEngine runs a Refresher over src inside the current synctest bubble,
// logging to h, until the test ends.
func scriptedEngine(t *testing.T, src *scriptedSource, h *recordingHandler) *Refresher {
	t.Helper()
	r, err := NewRefresher(RefresherOptions{Source: src, Clock: src.clock, Location: simStart.Location(), Logger: slog.New(h)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		src.clock.runFor(0)
		<-done
	})
	return r
}

// untilAnswered runs simulated time until the source has answered n
// Availability calls and the engine has dealt with the last one.
func untilAnswered(t *testing.T, src *scriptedSource, n int) {
	t.Helper()
	for deadline := src.clock.Now().Add(10 * time.Minute); src.answered() < n; {
		if src.clock.Now().After(deadline) {
			t.Fatalf("%d answers after 10 minutes, want %d", src.answered(), n)
		}
		src.clock.runFor(time.Second)
	}
}

func TestCalendarFailureIsLoggedWhenItChanges(t *testing.T) {
	people := newPeople(3) // p0000 and p0002 always read
	who := people[1]
	const reasonMsg, clearedMsg = "calendar unreadable", "calendar readable again"
	notShared := &ReasonError{Text: "No free/busy access. (ErrorNoFreeBusyAccess)", Reason: ErrCalendarNotShared}
	notSharedReworded := &ReasonError{Text: "Microsoft.Exchange.InfoWorker.Common.Availability.NoFreeBusyAccessException", Reason: ErrCalendarNotShared}
	noMailbox := &ReasonError{Text: "The SMTP address has no mailbox associated with it. (ErrorNonExistentMailbox)", Reason: ErrMailboxNotFound}
	unreadable := &UnreadableAnswer{Status: 200, Err: errors.New("invalid character '<'")}
	other := errors.New("Graph could not read this calendar (ErrorFreeBusyGenerationFailed)")

	// want builds the line expected for who: reason and err from now (nil: cleared),
	// previous_reason from before (nil: none).
	want := func(before, now error) logLine {
		l := logLine{level: slog.LevelWarn, msg: reasonMsg, attrs: map[string]string{
			"mail": who.Email, "name": who.Name, "source": "fake"}}
		if now == nil {
			l.level, l.msg = slog.LevelInfo, clearedMsg
		} else {
			l.attrs["reason"], l.attrs["err"] = ReasonOf(now), now.Error()
		}
		if before != nil {
			l.attrs["previous_reason"] = ReasonOf(before)
		}
		return l
	}

	tests := []struct {
		name   string
		cycles []error // who's answer, cycle by cycle
		want   []logLine
	}{
		{"appears, repeats, changes, clears", []error{notShared, notShared, noMailbox, nil},
			[]logLine{want(nil, notShared), want(notShared, noMailbox), want(noMailbox, nil)}},
		{"three identical cycles write one line", []error{notShared, notShared, notShared},
			[]logLine{want(nil, notShared)}},
		{"the same reason in other words is logged again", []error{notShared, notSharedReworded, notSharedReworded},
			[]logLine{want(nil, notShared), want(notShared, notSharedReworded)}},
		{"readable, then unreadable, then readable", []error{nil, unreadable, nil},
			[]logLine{want(nil, unreadable), want(unreadable, nil)}},
		{"an error without a reason the console can word", []error{other, other},
			[]logLine{want(nil, other)}},
		{"always readable: nothing", []error{nil, nil, nil}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				script := make([]map[string]error, len(tt.cycles))
				for n, err := range tt.cycles {
					script[n] = map[string]error{who.Email: err}
				}
				src := &scriptedSource{fakeSource: &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}},
					script: script, people: people}
				h := &recordingHandler{level: slog.LevelInfo}
				scriptedEngine(t, src, h)
				untilAnswered(t, src, len(tt.cycles))

				got := h.lines(reasonMsg, clearedMsg)
				if !slices.EqualFunc(got, tt.want, func(a, b logLine) bool { return a.String() == b.String() }) {
					t.Errorf("logged after %d cycles:\n%s\nwant:\n%s", len(tt.cycles), joinLines(got), joinLines(tt.want))
				}

				// Each cycle's summary counts who could not be read in it.
				var counts, wantCounts []string
				for _, l := range h.lines("refresh cycle done") {
					counts = append(counts, l.attrs["unreadable_calendars"])
				}
				for _, err := range tt.cycles {
					wantCounts = append(wantCounts, map[bool]string{false: "0", true: "1"}[err != nil])
				}
				if !slices.Equal(counts, wantCounts) {
					t.Errorf("summary lines say unreadable_calendars=%v, want %v", counts, wantCounts)
				}
			})
		})
	}
}

func joinLines(lines []logLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("  " + l.String() + "\n")
	}
	return b.String()
}

// Thirty unshared calendars in a directory of a thousand cost thirty lines
// once, not thirty every refresh.
func TestUnsharedCalendarsAreLoggedOncePerRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		people := newPeople(1000)
		failing := map[string]error{}
		for _, p := range people[:30] {
			failing[p.Email] = &ReasonError{Text: "No free/busy access. (ErrorNoFreeBusyAccess)", Reason: ErrCalendarNotShared}
		}
		const cycles = 10
		script := slices.Repeat([]map[string]error{failing}, cycles)
		src := &scriptedSource{fakeSource: &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 1000, MaxConcurrent: 4}},
			script: script, people: people}
		h := &recordingHandler{level: slog.LevelInfo}
		scriptedEngine(t, src, h)
		untilAnswered(t, src, cycles)

		got := h.lines("calendar unreadable", "calendar readable again")
		if len(got) != 30 {
			t.Fatalf("%d lines about calendars in %d cycles, want 30:\n%s", len(got), cycles, joinLines(got))
		}
		for _, l := range got {
			if l.level != slog.LevelWarn || l.attrs["reason"] != "not_shared" {
				t.Errorf("line %s", l)
			}
		}
	})
}

// Whoever leaves the directory is forgotten: no "readable again" for them, and
// should they come back still unreadable, they are logged afresh.
func TestCalendarFailuresOfPeopleWhoLeftAreForgotten(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		people := newPeople(3)
		leaver := people[1]
		notShared := &ReasonError{Text: "No free/busy access. (ErrorNoFreeBusyAccess)", Reason: ErrCalendarNotShared}
		failing := map[string]error{leaver.Email: notShared}
		src := &scriptedSource{fakeSource: &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}},
			script: slices.Repeat([]map[string]error{failing}, 10), people: people}
		h := &recordingHandler{level: slog.LevelInfo}
		r := scriptedEngine(t, src, h)
		untilAnswered(t, src, 2)

		src.setPeople([]Person{people[0], people[2]})
		r.ReloadDirectory()
		untilAnswered(t, src, 4)
		r.mu.Lock()
		held := len(r.roster.fetched)
		r.mu.Unlock()
		if held != 2 {
			t.Fatalf("the engine holds answers for %d people, the directory has 2", held)
		}

		src.setPeople(people)
		r.ReloadDirectory()
		untilAnswered(t, src, 6)

		var got []string
		for _, l := range h.lines("calendar unreadable", "calendar readable again") {
			got = append(got, l.msg+" "+l.attrs["mail"])
		}
		want := []string{"calendar unreadable " + leaver.Email, "calendar unreadable " + leaver.Email}
		if !slices.Equal(got, want) {
			t.Errorf("logged %q, want %q", got, want)
		}
	})
}

// A one-shot run (status) cannot tell a new failure from an old one and prints
// every error itself: its lines about calendars are Debug, so a scheduled
// status does not repeat them all at Info on every run.
func TestOneShotLogsCalendarFailuresAtDebug(t *testing.T) {
	people := newPeople(3)
	noMail := &ReasonError{Text: "no mail address: Graph cannot read this calendar", Reason: ErrNoMailAddress}
	src := &scriptedSource{fakeSource: &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}},
		script: []map[string]error{{people[2].Email: noMail}}, people: people}
	h := &recordingHandler{level: slog.LevelDebug}
	r, err := NewRefresher(RefresherOptions{Source: src, Clock: src.clock, Location: simStart.Location(), Logger: slog.New(h)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.RefreshOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := h.lines("calendar unreadable", "calendar readable again")
	if len(got) != 1 || got[0].level != slog.LevelDebug || got[0].attrs["reason"] != "no_mail_address" || got[0].attrs["mail"] != people[2].Email {
		t.Errorf("one-shot logged:\n%s\nwant one Debug line, reason no_mail_address, for %s", joinLines(got), people[2].Email)
	}
	summary := h.lines("refresh cycle done")
	if len(summary) != 1 || summary[0].level != slog.LevelInfo || summary[0].attrs["unreadable_calendars"] != "1" {
		t.Errorf("summary %s, want one Info line with unreadable_calendars=1", joinLines(summary))
	}
}

// A colleague without a mail address is named by directory id.
func TestCalendarFailureWithoutMailNamesTheID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		people := []Person{{ID: "8f2c", Name: "Room 4"}, {Name: "Ada", Email: "ada@example.com"}}
		noMail := &ReasonError{Text: "no mail address: Graph cannot read this calendar", Reason: ErrNoMailAddress}
		src := &scriptedSource{fakeSource: &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}},
			script: []map[string]error{{"8f2c": noMail}}, people: people}
		h := &recordingHandler{level: slog.LevelInfo}
		scriptedEngine(t, src, h)
		untilAnswered(t, src, 1)
		got := h.lines("calendar unreadable")
		if len(got) != 1 || got[0].attrs["id"] != "8f2c" || got[0].attrs["mail"] != "" || got[0].attrs["name"] != "Room 4" ||
			got[0].attrs["reason"] != "no_mail_address" {
			t.Errorf("logged:\n%s\nwant one line for Room 4 by id", joinLines(got))
		}
	})
}
