package calendar

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// replySource is an AutoReplySource in the shape of Exchange: calendars 100
// a request, automatic replies 50 a request. It records every call, in the
// order they leave, and reads every colleague as away unless failing says
// the reading fails for them.
type replySource struct {
	clock      *fakeClock
	people     []Person
	concurrent int

	// repliesFirst, when set, holds every calendar request until an
	// automatic-reply request has been answered (closed then).
	repliesFirst chan struct{}

	mu      sync.Mutex
	calls   []string // "freebusy:N" or "replies:N"
	asked   [][]string
	failing map[string]bool
}

func (s *replySource) Name() string { return "fake" }
func (s *replySource) Limits() Limits {
	return Limits{BatchSize: 100, MaxConcurrent: max(s.concurrent, 1)}
}
func (s *replySource) Directory(context.Context) ([]Person, error) { return s.people, nil }
func (s *replySource) AutoReplyBatchSize() int                     { return 50 }

func (s *replySource) Availability(ctx context.Context, people []Person, w Window) ([]Availability, error) {
	panic("the engine asks an AutoReplySource FreeBusy and AutoReplies, not Availability")
}

func (s *replySource) FreeBusy(_ context.Context, people []Person, w Window) ([]Availability, error) {
	if s.repliesFirst != nil {
		<-s.repliesFirst
	}
	s.mu.Lock()
	s.calls = append(s.calls, fmt.Sprintf("freebusy:%d", len(people)))
	s.mu.Unlock()
	out := make([]Availability, len(people))
	for i, p := range people {
		out[i] = Availability{Person: p, Window: w, WorkingHours: DefaultWorkingHours(w.Start.Location())}
	}
	return out, nil
}

func (s *replySource) AutoReplies(_ context.Context, people []Person) ([]OutOfOffice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(people) > s.AutoReplyBatchSize() {
		return nil, fmt.Errorf("%d people in one request, over the server's 50", len(people))
	}
	s.calls = append(s.calls, fmt.Sprintf("replies:%d", len(people)))
	var emails []string
	out := make([]OutOfOffice, len(people))
	for i, p := range people {
		emails = append(emails, p.Email)
		if !s.failing[p.Email] {
			out[i] = OutOfOffice{Active: true, Message: "Back on Monday", AsOf: s.clock.Now()}
		}
	}
	s.asked = append(s.asked, emails)
	if s.repliesFirst != nil {
		defer close(s.repliesFirst)
	}
	return out, nil
}

// take returns the calls since the last take.
func (s *replySource) take() (calls []string, asked [][]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls, asked = s.calls, s.asked
	s.calls, s.asked = nil, nil
	return calls, asked
}

func colleagues(n int) []Person {
	out := make([]Person, n)
	for i := range out {
		out[i] = Person{Name: fmt.Sprintf("Colleague %04d", i), Email: fmt.Sprintf("p%d@example.com", i)}
	}
	return out
}

func count(calls []string, prefix string) int {
	n := 0
	for _, c := range calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// An Exchange refresh of 1,000 colleagues sent 10 GetUserAvailability and 20
// GetMailTips every time. Automatic replies now follow their own cadence:
// the selected and watched colleagues' at every refresh, everyone's at the
// first and every fifth after it; and what the plan says ten refreshes (10
// minutes at 1 a minute) cost is what they sent.
func TestAutoRepliesOnTheirCadence(t *testing.T) {
	tests := []struct {
		name     string
		selected string
		watched  []string
		// replies each of the ten refreshes asks
		wantReplies []int
		wantTotal   int
	}{
		{"selected and watched, in different batches", "p0@example.com", []string{"p500@example.com", "p999@example.com"},
			[]int{20, 1, 1, 1, 1, 20, 1, 1, 1, 1}, 10*10 + 2*20 + 8*1},
		{"nobody shown (a wallboard)", "", nil,
			[]int{20, 0, 0, 0, 0, 20, 0, 0, 0, 0}, 10*10 + 2*20},
		{"55 watched: two requests at every refresh", "p0@example.com", watchedRange(1, 55),
			[]int{20, 2, 2, 2, 2, 20, 2, 2, 2, 2}, 10*10 + 2*20 + 8*2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
				clock := newFakeClock(start)
				src := &replySource{clock: clock, people: colleagues(1000), concurrent: 2}
				r, err := NewRefresher(RefresherOptions{Source: src, Clock: clock, Interval: time.Minute, Location: time.UTC, Logger: quietLogger()})
				if err != nil {
					t.Fatal(err)
				}
				r.SetSelected(tt.selected)
				r.SetWatched(tt.watched)
				total := 0
				for n := range 10 {
					clock.mu.Lock()
					clock.now = start.Add(time.Duration(n) * time.Minute)
					clock.mu.Unlock()
					if _, err := r.RefreshOnce(context.Background()); err != nil {
						t.Fatalf("refresh %d: %v", n, err)
					}
					calls, asked := src.take()
					if got := count(calls, "freebusy:"); got != 10 {
						t.Errorf("refresh %d: %d calendar requests, want 10", n, got)
					}
					if got := count(calls, "replies:"); got != tt.wantReplies[n] {
						t.Errorf("refresh %d: %d automatic-reply requests, want %d", n, got, tt.wantReplies[n])
					}
					if tt.wantReplies[n] != 20 {
						want := map[string]bool{}
						for _, k := range append([]string{tt.selected}, tt.watched...) {
							if k != "" {
								want[k] = true
							}
						}
						got := map[string]bool{}
						for _, b := range asked {
							for _, e := range b {
								got[e] = true
							}
						}
						if fmt.Sprint(got) != fmt.Sprint(want) {
							t.Errorf("refresh %d asked the replies of %d colleagues, want the %d shown and watched", n, len(got), len(want))
						}
					}
					total += len(calls)
				}
				cost, plan := r.Plan()
				if total != tt.wantTotal || plan.Requests != total {
					t.Errorf("10 refreshes sent %d requests (want %d); the plan (%+v) says %d per 10 minutes", total, tt.wantTotal, cost, plan.Requests)
				}
				t.Logf("10 refreshes of 1,000: %d requests; the plan %d (every refresh %d, every fifth %d)", total, plan.Requests, cost.Each, cost.Heaviest())
			})
		})
	}
}

func watchedRange(from, to int) []string {
	var out []string
	for i := from; i < to+1; i++ {
		out = append(out, fmt.Sprintf("p%d@example.com", i))
	}
	return out
}

// The automatic replies leave beside the calendars, not after all of them:
// each calendar batch is followed by a batch of replies (one request at a
// time here, so the order is the order they leave), the first calendar batch
// alone, and no request carries more than the server's 50 recipients.
func TestAutoRepliesLeaveBesideTheCalendars(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := newFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
		src := &replySource{clock: clock, people: colleagues(250), concurrent: 1}
		r, err := NewRefresher(RefresherOptions{Source: src, Clock: clock, Interval: time.Minute, Location: time.UTC, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.RefreshOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		calls, _ := src.take()
		want := "freebusy:100 replies:50 freebusy:100 replies:50 freebusy:50 replies:50 replies:50 replies:50"
		if got := strings.Join(calls, " "); got != want {
			t.Errorf("requests left as\n%s\nwant\n%s", got, want)
		}
	})
}

// A colleague asked for on demand (Enter) is the one the operator is looking
// at: their automatic replies go with their calendar, whatever the cadence,
// both at once; and the reply, though answered first, is this refresh's
// reading, not one carried over (Kept).
func TestOnDemandAsksTheAutoReplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		clock := newFakeClock(start)
		src := &replySource{clock: clock, people: colleagues(300), concurrent: 2}
		r, err := NewRefresher(RefresherOptions{Source: src, Clock: clock, Interval: time.Minute, Location: time.UTC, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.RefreshOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		src.take()
		src.repliesFirst = make(chan struct{})
		if err := r.RefreshNow("p200@example.com"); err != nil {
			t.Fatal(err)
		}
		clock.mu.Lock()
		clock.now = start.Add(30 * time.Second)
		clock.mu.Unlock()
		r.runOnDemand(context.Background())
		calls, asked := src.take()
		if count(calls, "freebusy:1") != 1 || count(calls, "replies:1") != 1 || len(calls) != 2 || asked[0][0] != "p200@example.com" {
			t.Errorf("on demand sent %v asking %v; want the colleague's calendar and replies", calls, asked)
		}
		snap, _ := r.Latest()
		for _, p := range snap.People {
			if o := p.OutOfOffice; p.Person.Email == "p200@example.com" && (o.Kept || !o.AsOf.Equal(clock.Now())) {
				t.Errorf("the colleague's reply %+v; want read now, not kept", o)
			}
		}
	})
}

// A reading carried between two readings of everyone keeps its AsOf, and
// stands for as long as the cadence needs: the selected colleague's replies
// are read at every refresh, everyone else's every fifth, so theirs is up to
// five intervals old in the ordinary way and is Unknown only after two
// readings in a row failed (ten intervals), as every-refresh readings are
// after two (two intervals). With the every-refresh rule the colleague not
// shown read Unknown from the third minute on.
func TestCarriedAutoReplyKeepsItsAsOf(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // a Monday, in working hours
		clock := newFakeClock(start)
		src := &replySource{clock: clock, people: colleagues(2), concurrent: 1, failing: map[string]bool{}}
		r, err := NewRefresher(RefresherOptions{Source: src, Clock: clock, Interval: time.Minute, Location: time.UTC, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		r.SetSelected("p0@example.com")
		for n := range 12 {
			clock.mu.Lock()
			clock.now = start.Add(time.Duration(n) * time.Minute)
			clock.mu.Unlock()
			if n == 1 {
				// From now on the server says nothing about p1's replies.
				src.mu.Lock()
				src.failing["p1@example.com"] = true
				src.mu.Unlock()
			}
			snap, err := r.RefreshOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			src.take()
			byEmail := map[string]PersonState{}
			for _, p := range snap.People {
				byEmail[p.Person.Email] = *p
			}
			shown, other := byEmail["p0@example.com"], byEmail["p1@example.com"]
			if o := shown.OutOfOffice; shown.Status != StatusOOF || o.Kept || o.Unknown || !o.AsOf.Equal(clock.Now()) {
				t.Fatalf("minute %d: the selected colleague is %s %+v; want out of office, read this refresh", n, shown.Status, o)
			}
			o := other.OutOfOffice
			wantUnknown := n > 10 // readings at 0 (the last), 5 and 10 failed: over ten intervals old
			if !o.AsOf.Equal(start) || o.Kept != (n > 0) || o.Unknown != wantUnknown {
				t.Fatalf("minute %d: the other colleague's reading %+v; want as of %s, kept %v, unknown %v", n, o, start.Format("15:04"), n > 0, wantUnknown)
			}
			if wantStatus := map[bool]Status{false: StatusOOF, true: StatusUnknown}[wantUnknown]; other.Status != wantStatus {
				t.Fatalf("minute %d: the other colleague is %s, want %s", n, other.Status, wantStatus)
			}
		}
	})
}

// Cost over a window: any run of cycles holds at most one periodic refresh
// in every AutoReplyEvery, counted up.
func TestCostPerWindow(t *testing.T) {
	c := Cost{Each: 11, Periodic: 19}
	for _, tt := range []struct {
		interval   time.Duration
		wantWindow int
		wantHour   int
	}{
		{time.Minute, 10*11 + 2*19, 60*11 + 12*19},
		{90 * time.Second, 7*11 + 2*19, 40*11 + 8*19},
		{30 * time.Second, 20*11 + 4*19, 120*11 + 24*19},
		{10 * time.Minute, 11 + 19, 6*11 + 23}, // 1.2 periodic refreshes an hour, rounded
	} {
		t.Run(tt.interval.String(), func(t *testing.T) {
			if got := c.PerWindow(tt.interval); got != tt.wantWindow {
				t.Errorf("PerWindow = %d, want %d", got, tt.wantWindow)
			}
			if got := c.PerHour(tt.interval); got != tt.wantHour {
				t.Errorf("PerHour = %d, want %d", got, tt.wantHour)
			}
		})
	}
	heavy := Cost{Each: 400, Periodic: 600}
	b := PlanBudgetFor(heavy, time.Minute)
	if !b.Stretched || b.Requests > PlannedRequestShare || heavy.PerWindow(b.Interval-time.Second) <= PlannedRequestShare {
		t.Errorf("plan %+v: not the shortest interval within the share", b)
	}
}
