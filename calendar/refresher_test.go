package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestNewRefresherInterval(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		fast     bool
		wantErr  error
		want     time.Duration
		wantWarn bool
	}{
		{name: "default", interval: 0, want: DefaultInterval},
		{name: "two minutes", interval: 2 * time.Minute, want: 2 * time.Minute},
		{name: "45s allowed with a warning", interval: 45 * time.Second, want: 45 * time.Second, wantWarn: true},
		{name: "20s refused without policy", interval: 20 * time.Second, wantErr: ErrIntervalTooShort},
		{name: "20s allowed by policy, with a warning", interval: 20 * time.Second, fast: true, want: 20 * time.Second, wantWarn: true},
		{name: "1s refused even by policy", interval: time.Second, fast: true, wantErr: errors.New("floor")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}}
			r, err := NewRefresher(RefresherOptions{Source: src, Interval: tt.interval, AllowFastPolling: tt.fast,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("accepted")
				}
				if errors.Is(tt.wantErr, ErrIntervalTooShort) && !errors.Is(err, ErrIntervalTooShort) {
					t.Fatalf("err %v, want ErrIntervalTooShort", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.sched.interval != tt.want {
				t.Fatalf("interval %s, want %s", r.sched.interval, tt.want)
			}
			if got := strings.Contains(logs.String(), "level=WARN"); got != tt.wantWarn {
				t.Fatalf("warning logged %v, want %v: %s", got, tt.wantWarn, logs.String())
			}
		})
	}
}

func TestRefresherPublishesEveryone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(45), latency: distinctLatency}
		e := startEngine(t, src, RefresherOptions{})
		snaps, unsubscribe := e.Subscribe()
		defer unsubscribe()
		e.clock.runFor(30 * time.Second)
		s := e.latest(t)
		if s.Engine.State != StateOK || s.Engine.Stale || s.Engine.Refreshing {
			t.Fatalf("engine %+v", s.Engine)
		}
		if len(s.People) != 45 || s.People[0].Status != StatusFree || s.People[0].Until.IsZero() {
			t.Fatalf("people %d, first %+v", len(s.People), s.People[0])
		}
		if got := src.count(); got != 1+3 {
			t.Fatalf("%d requests, want the directory and 3 batches", got)
		}
		select {
		case got := <-snaps:
			if !got.GeneratedAt.Equal(s.GeneratedAt) {
				t.Fatalf("subscriber holds the snapshot of %s, want the latest of %s", got.GeneratedAt, s.GeneratedAt)
			}
		default:
			t.Fatal("subscriber got nothing")
		}
		window := s.People[0].DaySlots()
		if len(window) != 2 {
			t.Fatalf("today's slots %v", window)
		}
	})
}

// checkNoRequestInsideBackoff asserts that no request reached the server after
// an answer that asked for a back-off and before that back-off ended.
func checkNoRequestInsideBackoff(t *testing.T, events []sourceEvent, minWait time.Duration) (windows int) {
	t.Helper()
	for _, answer := range events {
		if !answer.answer || KindOf(answer.err) != KindThrottled {
			continue
		}
		windows++
		until := answer.retryUntil
		if until.IsZero() {
			until = answer.at.Add(minWait)
		}
		for _, req := range events {
			if req.answer || req.seq < answer.seq {
				continue
			}
			if req.at.Before(until) {
				t.Fatalf("request #%d at %s is inside the back-off from %s until %s",
					req.seq, req.at.Format(time.TimeOnly+".000"), answer.at.Format(time.TimeOnly+".000"), until.Format(time.TimeOnly+".000"))
			}
		}
	}
	return windows
}

func TestThrottleStorm(t *testing.T) {
	tests := []struct {
		name string
		// header is the Retry-After the server sends at now.
		header func(now time.Time) string
		// maxRequests bounds what the hour of throttling may cost.
		maxRequests int
	}{
		{"retry-after seconds", func(time.Time) string { return "30" }, 3600/30 + 1},
		{"retry-after fractional seconds", func(time.Time) string { return "7.5" }, 3600*2/15 + 1},
		{"retry-after HTTP date", func(now time.Time) string {
			return now.Add(20 * time.Second).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
		}, 3600/19 + 1},
		{"no retry-after: exponential backoff", func(time.Time) string { return "" }, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				stormStart := simStart.Add(5 * time.Minute)
				stormEnd := stormStart.Add(time.Hour)
				src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4},
					people: newPeople(200), latency: distinctLatency, keepEvents: true}
				src.fail = func(now time.Time, n int, kind string) (time.Time, error) {
					if now.Before(stormStart) || !now.Before(stormEnd) {
						return time.Time{}, nil
					}
					header := tt.header(now)
					wait, ok := ParseRetryAfter(header, now)
					var until time.Time
					if ok {
						until = now.Add(wait)
					}
					return until, &Error{Kind: KindThrottled, Op: "fake", Code: "429", RetryAfter: wait}
				}
				e := startEngine(t, src, RefresherOptions{})
				e.clock.runUntil(stormStart)

				refused := 0
				for e.clock.Now().Before(stormEnd) {
					e.clock.runFor(7 * time.Second)
					if err := e.RefreshNow(fmt.Sprintf("p%04d@example.com", e.clock.Now().Second()%200)); errors.Is(err, ErrBackingOff) {
						refused++
					}
					if e.clock.Now().Sub(stormStart) > 30*time.Minute && e.clock.Now().Sub(stormStart) < 30*time.Minute+7*time.Second {
						s := e.latest(t)
						if s.Engine.State != StateThrottled || !s.Engine.Stale || s.Engine.Reason == nil || s.Engine.Since.Before(stormStart) {
							t.Fatalf("mid-storm engine %+v", s.Engine)
						}
						for _, p := range s.People {
							if p.Status == StatusUnknown || p.FetchedAt.After(stormStart) {
								t.Fatalf("mid-storm %s: %v fetched %s; want the data from before the storm kept", p.Person.Email, p.Status, p.FetchedAt)
							}
						}
					}
				}
				during := len(src.requestsAfter(stormStart)) - len(src.requestsAfter(stormEnd))
				windows := checkNoRequestInsideBackoff(t, src.snapshotEvents(), throttleBackoffBase/2)
				t.Logf("%d requests during the hour of 429s, %d back-off windows, RefreshNow refused %d times", during, windows, refused)
				if during > tt.maxRequests || windows == 0 {
					t.Fatalf("%d requests during the storm (at most %d), %d windows", during, tt.maxRequests, windows)
				}
				if refused == 0 {
					t.Fatal("RefreshNow was never refused during the storm")
				}

				e.clock.runUntil(stormEnd.Add(throttleBackoffCap + DefaultInterval + time.Minute))
				s := e.latest(t)
				if s.Engine.State != StateOK || s.Engine.Stale || s.Engine.LastSuccess.Before(stormEnd) {
					t.Fatalf("after the storm: %+v", s.Engine)
				}
				for _, p := range s.People {
					if p.FetchedAt.Before(stormEnd) {
						t.Fatalf("%s not refreshed after the storm", p.Person.Email)
					}
				}
				// Back to the ordinary pace: ten batches a minute.
				from := e.clock.Now()
				e.clock.runFor(10 * time.Minute)
				if n := len(src.requestsAfter(from)); n < 80 || n > 110 {
					t.Fatalf("%d requests in 10 minutes after recovery, want about 100", n)
				}
			})
		})
	}
}

func TestWrongPassword(t *testing.T) {
	authErr := func(kind Kind) error { return &Error{Kind: kind, Op: "fake", Code: "401"} }
	tests := []struct {
		name string
		kind Kind
		// goodFor is how long the password works before it is changed on the server.
		goodFor time.Duration
	}{
		{"rejected from the start", KindAuth, 0},
		{"account locked from the start", KindLocked, 0},
		{"password changed while running", KindAuth, 10 * time.Minute},
		{"consent revoked while running", KindPermission, 10 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4},
					people: newPeople(100), latency: distinctLatency, keepEvents: true}
				passwordFixed := false
				breaksAt := simStart.Add(tt.goodFor)
				src.fail = func(now time.Time, n int, kind string) (time.Time, error) {
					if passwordFixed || (tt.goodFor > 0 && now.Before(breaksAt)) {
						return time.Time{}, nil
					}
					return time.Time{}, authErr(tt.kind)
				}
				e := startEngine(t, src, RefresherOptions{})
				e.clock.runUntil(breaksAt)
				before := src.count()
				e.clock.runFor(time.Hour)

				failed := src.requestsAfter(breaksAt)
				if tt.goodFor == 0 && len(failed) != 1 {
					t.Fatalf("%d requests in an hour with a wrong password, want exactly 1", len(failed))
				}
				// A change on the server meets up to MaxConcurrent requests already
				// on their way; nothing may leave after the first rejection.
				firstRejection := -1
				for _, ev := range src.snapshotEvents() {
					if ev.answer && ev.err != nil && firstRejection < 0 {
						firstRejection = ev.seq
					}
					if !ev.answer && firstRejection >= 0 && ev.seq > firstRejection {
						t.Fatalf("request #%d left after the rejection #%d", ev.seq, firstRejection)
					}
				}
				t.Logf("%d requests in the hour after the password broke", src.count()-before)
				s := e.latest(t)
				if s.Engine.State != StateAuthPaused || s.Engine.Reason == nil || !s.Engine.Stale {
					t.Fatalf("engine %+v", s.Engine)
				}
				if err := e.RefreshNow("p0001@example.com"); !errors.Is(err, ErrPaused) {
					t.Fatalf("RefreshNow while paused: %v", err)
				}
				if err := e.RefreshNow(""); !errors.Is(err, ErrPaused) {
					t.Fatalf("RefreshNow everyone while paused: %v", err)
				}

				// The operator types the same wrong password again: one more request.
				paused := src.count()
				e.Resume()
				e.clock.runFor(time.Hour)
				if got := src.count() - paused; got != 1 {
					t.Fatalf("%d requests in the hour after Resume with a wrong password, want exactly 1", got)
				}

				// Now the right one: one request alone, then polling as usual.
				passwordFixed = true
				resumedAt := e.clock.Now()
				e.CredentialsChanged()
				e.clock.runFor(10 * time.Minute)
				after := src.requestsAfter(resumedAt)
				if len(after) < 2 {
					t.Fatalf("%d requests after the new password", len(after))
				}
				var firstAnswer int
				for _, ev := range src.snapshotEvents() {
					if ev.answer && ev.seq > after[0].seq {
						firstAnswer = ev.seq
						break
					}
				}
				if after[1].seq < firstAnswer {
					t.Fatalf("second request #%d left before the first one #%d was answered", after[1].seq, after[0].seq)
				}
				s = e.latest(t)
				if s.Engine.State != StateOK || s.Engine.Stale {
					t.Fatalf("after the new password: %+v", s.Engine)
				}
				if len(after) < 9*5 {
					t.Fatalf("%d requests in 10 minutes after the new password: polling did not continue", len(after))
				}
			})
		})
	}
}

func TestOffline(t *testing.T) {
	tests := []struct {
		name string
		err  error
		hang bool
	}{
		{name: "transient calendar error", err: &Error{Kind: KindTransient, Op: "fake", Code: "503"}},
		{name: "network error", err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}},
		{name: "deadline exceeded", err: context.DeadlineExceeded},
		{name: "server hangs until the request times out", hang: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				down := simStart.Add(5 * time.Minute)
				up := down.Add(10 * time.Minute)
				offline := func(now time.Time) bool { return !now.Before(down) && now.Before(up) }
				src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4},
					people: newPeople(100), latency: distinctLatency, keepEvents: true}
				src.fail = func(now time.Time, n int, kind string) (time.Time, error) {
					if offline(now) && !tt.hang {
						return time.Time{}, tt.err
					}
					return time.Time{}, nil
				}
				if tt.hang {
					src.hang = offline
				}
				timeout := 10 * time.Second
				e := startEngine(t, src, RefresherOptions{RequestTimeout: timeout})
				e.clock.runUntil(up.Add(-time.Second))

				s := e.latest(t)
				if s.Engine.State != StateOffline || !s.Engine.Stale || s.Engine.Reason == nil {
					t.Fatalf("during the outage: %+v", s.Engine)
				}
				if s.Engine.Since.Before(down) || s.Engine.Since.After(down.Add(DefaultInterval+timeout+5*time.Second)) {
					t.Fatalf("offline since %s, the network went at %s", s.Engine.Since, down)
				}
				if age := s.Engine.Age(s.At); age < 9*time.Minute {
					t.Fatalf("data age %s, want the age of the last good refresh", age)
				}
				for _, p := range s.People {
					if p.Status == StatusUnknown || p.FetchedAt.After(down) {
						t.Fatalf("%s: %v fetched %s; want the last data kept", p.Person.Email, p.Status, p.FetchedAt)
					}
				}
				retries := src.requestsAfter(down)
				if len(retries) < 5 {
					t.Fatalf("%d retries in ten minutes offline", len(retries))
				}
				for i := 1; i < len(retries); i++ {
					if gap := retries[i].at.Sub(retries[i-1].at); gap > DefaultInterval+timeout+2*time.Second {
						t.Fatalf("retry gap %s over one interval", gap)
					}
				}

				e.clock.runUntil(up.Add(DefaultInterval + timeout + 5*time.Second))
				s = e.latest(t)
				if s.Engine.State != StateOK || s.Engine.Stale || s.Engine.LastSuccess.Before(up) {
					t.Fatalf("a minute after the network came back: %+v", s.Engine)
				}
			})
		})
	}
}

func TestRefreshNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4},
			people: newPeople(100), latency: distinctLatency, keepEvents: true}
		e := startEngine(t, src, RefresherOptions{})
		e.clock.runFor(20 * time.Second)

		if err := e.RefreshNow("nobody@example.com"); !errors.Is(err, ErrUnknownPerson) {
			t.Fatalf("unknown person: %v", err)
		}
		asked := e.clock.Now()
		for i := range 30 { // a held-down key and a fast scroll
			if err := e.RefreshNow(fmt.Sprintf("P%04d@example.COM", 40+i%3)); err != nil {
				t.Fatal(err)
			}
			e.clock.runFor(100 * time.Millisecond)
		}
		e.clock.runFor(5 * time.Second)
		got := src.requestsAfter(asked)
		if len(got) == 0 || len(got) > 3 {
			t.Fatalf("%d requests for 30 on-demand refreshes of 3 people, want them coalesced", len(got))
		}
		if !strings.Contains(strings.Join(got[0].people, ","), "p0040@example.com") {
			t.Fatalf("first on-demand request %v", got[0].people)
		}
		s := e.latest(t)
		p := s.People[40]
		if p.FetchedAt.Before(asked) {
			t.Fatalf("p0040 fetched %s, asked at %s", p.FetchedAt, asked)
		}

		full := e.clock.Now()
		if err := e.RefreshNow(""); err != nil {
			t.Fatal(err)
		}
		e.clock.runFor(5 * time.Second)
		if got := len(src.requestsAfter(full)); got != 5 {
			t.Fatalf("%d requests for a full refresh of 100 people in batches of 20", got)
		}
	})
}

func TestPriorityOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 5, MaxConcurrent: 1},
			people: newPeople(50), latency: distinctLatency, keepEvents: true}
		e := startEngine(t, src, RefresherOptions{Favourites: []string{"P0030@Example.com", "p0010@example.com"}})
		e.SetSelected(" p0045@EXAMPLE.com")
		e.clock.runFor(30 * time.Second)
		reqs := src.requestsAfter(simStart)
		if reqs[0].kind != "directory" {
			t.Fatalf("first request %+v", reqs[0])
		}
		want := []string{"p0045@example.com", "p0030@example.com", "p0010@example.com", "p0000@example.com", "p0001@example.com"}
		if got := strings.Join(reqs[1].people, " "); got != strings.Join(want, " ") {
			t.Fatalf("first batch %s, want %s", got, strings.Join(want, " "))
		}
		e.SetFavourites([]string{"p0020@example.com"})
		e.SetSelected("")
		from := e.clock.Now()
		e.clock.runFor(DefaultInterval + 10*time.Second)
		next := src.requestsAfter(from)
		if next[0].people[0] != "p0020@example.com" {
			t.Fatalf("after changing favourites the cycle starts with %v", next[0].people)
		}
	})
}

func TestLimitsNeverExceeded(t *testing.T) {
	tests := []Limits{{BatchSize: 7, MaxConcurrent: 3}, {BatchSize: 20, MaxConcurrent: 4}, {BatchSize: 100, MaxConcurrent: 1}}
	for _, lim := range tests {
		t.Run(fmt.Sprintf("batch %d, %d at once", lim.BatchSize, lim.MaxConcurrent), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := &fakeSource{clock: newFakeClock(simStart), limits: lim, people: newPeople(350), latency: distinctLatency}
				e := startEngine(t, src, RefresherOptions{})
				e.clock.runFor(10 * time.Minute)
				for i := range 20 {
					_ = e.RefreshNow(fmt.Sprintf("p%04d@example.com", i*7))
				}
				e.clock.runFor(10 * time.Minute)
				src.mu.Lock()
				defer src.mu.Unlock()
				t.Logf("largest batch %d, most in flight %d, %d requests", src.maxBatch, src.maxInFlight, src.requests)
				if src.maxBatch > lim.BatchSize || src.maxInFlight > lim.MaxConcurrent {
					t.Fatalf("largest batch %d (limit %d), most in flight %d (limit %d)", src.maxBatch, lim.BatchSize, src.maxInFlight, lim.MaxConcurrent)
				}
				if src.maxBatch != lim.BatchSize || src.maxInFlight != lim.MaxConcurrent {
					t.Fatal("the limits were never reached: the test proves nothing")
				}
			})
		})
	}
}

func TestBudgetStretch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		// One person per request, as a source without batching would poll.
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 1, MaxConcurrent: 4},
			people: newPeople(1000), keepEvents: true}
		e := startEngine(t, src, RefresherOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		e.clock.runFor(40 * time.Minute)
		s := e.latest(t)
		if s.Engine.Interval != 2*time.Minute || !strings.Contains(s.Engine.Notice, "every 2m instead of 1m") {
			t.Fatalf("interval %s, notice %q", s.Engine.Interval, s.Engine.Notice)
		}
		if !strings.Contains(logs.String(), "stretched") {
			t.Fatalf("no log line about the stretch: %s", logs.String())
		}
		var sent []time.Time
		for _, ev := range src.snapshotEvents() {
			if !ev.answer {
				sent = append(sent, ev.at)
			}
		}
		most := 0
		for i, j := 0, 0; j < len(sent); j++ {
			for sent[j].Sub(sent[i]) >= MailboxRequestWindow {
				i++
			}
			most = max(most, j-i+1)
		}
		t.Logf("%d requests in 40 minutes, at most %d in any 10 minutes", len(sent), most)
		if most > PlannedRequestShare+1 { // +1: the directory
			t.Fatalf("%d requests in one 10-minute window", most)
		}
	})
}

func TestHardCeilingHoldsRequestsBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A whole tenant with no batching: one cycle alone is over the ceiling,
		// which the stretched interval cannot fix; the ceiling holds the rest back.
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 1, MaxConcurrent: 4},
			people: newPeople(10000), keepEvents: true}
		e := startEngine(t, src, RefresherOptions{})
		e.clock.runFor(time.Minute)
		s := e.latest(t)
		if s.Engine.State != StateThrottled || !errors.Is(s.Engine.Reason, errOwnCeiling) || KindOf(s.Engine.Reason) != KindThrottled || !s.Engine.Until.Equal(simStart.Add(MailboxRequestWindow)) {
			t.Fatalf("after the ceiling was reached: %+v", s.Engine)
		}
		if err := e.RefreshNow(""); !errors.Is(err, ErrBackingOff) {
			t.Fatalf("RefreshNow at the ceiling: %v", err)
		}
		for range 10 {
			e.clock.runFor(3 * time.Minute)
			_ = e.RefreshNow("")
		}
		var sent []time.Time
		for _, ev := range src.snapshotEvents() {
			if !ev.answer {
				sent = append(sent, ev.at)
			}
		}
		most := 0
		for i, j := 0, 0; j < len(sent); j++ {
			for sent[j].Sub(sent[i]) >= MailboxRequestWindow {
				i++
			}
			most = max(most, j-i+1)
		}
		t.Logf("%d requests in %s, at most %d in any 10 minutes", len(sent), e.clock.Now().Sub(simStart), most)
		if most != HardRequestCeiling {
			t.Fatalf("%d requests in one 10-minute window, want the ceiling %d reached and never passed", most, HardRequestCeiling)
		}
		if s := e.latest(t); s.People[9999].FetchedAt.IsZero() {
			t.Fatal("the people after the ceiling were never refreshed")
		}
	})
}

func TestResumeKinds(t *testing.T) {
	tests := []struct {
		name      string
		kind      Kind
		wantState State
	}{
		{"bad password", KindAuth, StateAuthPaused},
		{"locked", KindLocked, StateAuthPaused},
		{"no permission", KindPermission, StateAuthPaused},
		{"configuration", KindConfig, StateConfigError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(60)}
				broken := true
				src.fail = func(time.Time, int, string) (time.Time, error) {
					if broken {
						return time.Time{}, &Error{Kind: tt.kind, Op: "fake"}
					}
					return time.Time{}, nil
				}
				e := startEngine(t, src, RefresherOptions{})
				e.clock.runFor(10 * time.Minute)
				s := e.latest(t)
				if s.Engine.State != tt.wantState || KindOf(s.Engine.Reason) != tt.kind || !s.Engine.Since.Equal(simStart) || len(s.People) != 0 {
					t.Fatalf("engine %+v with %d people", s.Engine, len(s.People))
				}
				if src.count() != 1 {
					t.Fatalf("%d requests", src.count())
				}
				broken = false
				e.Resume()
				e.clock.runFor(time.Minute)
				if s := e.latest(t); s.Engine.State != StateOK || len(s.People) != 60 {
					t.Fatalf("after Resume: %s with %d people", s.Engine.State, len(s.People))
				}
			})
		})
	}
}

func TestCredentialsChangedWhileRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 10, MaxConcurrent: 4},
			people: newPeople(100), latency: distinctLatency, keepEvents: true}
		e := startEngine(t, src, RefresherOptions{})
		e.clock.runFor(5 * time.Minute)
		src.mu.Lock()
		before := src.maxInFlight
		src.maxInFlight = 0
		src.mu.Unlock()
		src.fail = func(time.Time, int, string) (time.Time, error) {
			return time.Time{}, &Error{Kind: KindAuth, Op: "fake"}
		}
		changed := e.clock.Now()
		e.CredentialsChanged() // the new password is wrong
		e.clock.runFor(time.Hour)
		if got := len(src.requestsAfter(changed)); got != 1 || before != 4 {
			t.Fatalf("%d requests after the credentials changed (had %d in flight before)", got, before)
		}
	})
}

func TestSlowSubscriberNeverBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(40)}
		e := startEngine(t, src, RefresherOptions{})
		never, _ := e.Subscribe() // never read
		snaps, unsubscribe := e.Subscribe()
		e.clock.runFor(time.Hour)
		got := <-snaps
		latest := e.latest(t)
		if !got.GeneratedAt.Equal(latest.GeneratedAt) {
			t.Fatalf("subscriber got %s, latest is %s", got.GeneratedAt, latest.GeneratedAt)
		}
		if len(never) != 1 {
			t.Fatalf("unread subscriber holds %d snapshots", len(never))
		}
		unsubscribe()
		if _, open := <-snaps; open {
			t.Fatal("channel still open after unsubscribe")
		}
		unsubscribe()
		if src.count() < 60 {
			t.Fatalf("only %d requests in an hour: the engine stalled", src.count())
		}
	})
}

func TestDirectoryReloadKeepsLastGood(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(30), keepEvents: true}
		fail := false
		src.fail = func(now time.Time, n int, kind string) (time.Time, error) {
			if fail && kind == "directory" {
				return time.Time{}, &Error{Kind: KindTransient, Op: "fake"}
			}
			return time.Time{}, nil
		}
		e := startEngine(t, src, RefresherOptions{DirectoryInterval: time.Hour})
		e.clock.runFor(59 * time.Minute)
		fail = true
		e.clock.runFor(10 * time.Minute)
		if s := e.latest(t); len(s.People) != 30 || s.Engine.State != StateOK || s.Engine.LastSuccess.Before(e.clock.Now().Add(-2*time.Minute)) {
			t.Fatalf("%d people, %+v after a failed directory reload; want the last directory polled as usual", len(s.People), s.Engine)
		}
		fail = false
		src.mu.Lock()
		src.people = newPeople(35)
		src.mu.Unlock()
		e.ReloadDirectory()
		e.clock.runFor(2 * time.Minute)
		s := e.latest(t)
		if len(s.People) != 35 || s.Engine.State != StateOK {
			t.Fatalf("%d people, %s after the directory came back", len(s.People), s.Engine.State)
		}
		dirs := 0
		for _, ev := range src.requestsAfter(simStart) {
			if ev.kind == "directory" {
				dirs++
			}
		}
		if dirs > 5 {
			t.Fatalf("%d directory requests in 71 minutes", dirs)
		}
	})
}

func TestTwentyFourHours(t *testing.T) {
	if testing.Short() {
		t.Skip("24 simulated hours")
	}
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(1000)}
		e := startEngine(t, src, RefresherOptions{Interval: time.Minute})
		snaps, unsubscribe := e.Subscribe()
		defer unsubscribe()
		measure := func() (goroutines int, heap uint64) {
			synctest.Wait()
			for len(snaps) > 0 {
				<-snaps
			}
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return runtime.NumGoroutine(), m.HeapAlloc
		}
		e.clock.runUntil(simStart.Add(time.Hour))
		g1, h1 := measure()
		r1 := src.count()
		e.clock.runUntil(simStart.Add(24 * time.Hour))
		g24, h24 := measure()
		r24 := src.count()
		t.Logf("hour 1: %d goroutines, heap %d B, %d requests; hour 24: %d goroutines, heap %d B, %d requests; %d timers pending",
			g1, h1, r1, g24, h24, r24, e.clock.pendingTimers())
		if g24 != g1 {
			t.Fatalf("goroutines %d at hour 1, %d at hour 24", g1, g24)
		}
		if h24 > h1+8<<20 {
			t.Fatalf("heap grew from %d to %d bytes", h1, h24)
		}
		cycles := (r24 - r1) / 50
		if cycles < 23*60*10/11-5 || cycles > 23*60 {
			t.Fatalf("%d cycles in 23 hours at 60s with jitter", cycles)
		}
		s := e.latest(t)
		if s.Engine.State != StateOK || len(s.People) != 1000 {
			t.Fatalf("after 24 hours: %s, %d people", s.Engine.State, len(s.People))
		}
	})
}

// cannedSource answers instantly with answers built once per batch, so the
// benchmark measures the engine and the evaluation, not a server.
type cannedSource struct {
	fakeSource
	mu      sync.Mutex
	answers map[string][]Availability
}

func (s *cannedSource) Availability(ctx context.Context, people []Person, w Window) ([]Availability, error) {
	key := people[0].Key() + "/" + w.Start.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.answers[key]; ok && len(a) == len(people) {
		return a, nil
	}
	a, err := s.fakeSource.Availability(ctx, people, w)
	s.answers[key] = a
	return a, err
}

// BenchmarkRefreshCycle is one refresh of 1,000 people (50 requests of 20, 4 at
// a time) with the server's answers ready: ordering, batching, the gates, the
// bookkeeping and evaluating everyone for the snapshot.
func BenchmarkRefreshCycle(b *testing.B) {
	clock := newFakeClock(simStart)
	src := &cannedSource{fakeSource: fakeSource{clock: clock, limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(1000)},
		answers: map[string][]Availability{}}
	r, err := NewRefresher(RefresherOptions{Source: src, Clock: clock, Location: simStart.Location(), Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	r.loadDirectory(ctx)
	r.runCycle(ctx)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// A minute between cycles, as in real use: the same instant over and
		// over would look like a request storm to the engine's own ceiling.
		clock.mu.Lock()
		clock.now = clock.now.Add(time.Minute)
		clock.mu.Unlock()
		r.runCycle(ctx)
	}
	b.StopTimer()
	if s, _ := r.Latest(); s.Engine.State != StateOK || len(s.People) != 1000 {
		b.Fatalf("%s, %d people", s.Engine.State, len(s.People))
	}
}

// A password changed on the server mid-day meets the next cycle: its first
// request goes alone, so the rejection costs one failed logon, not one per
// concurrent request.
func TestPasswordChangedMidDayCostsOneRejection(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
	}{
		{"4 at once", Limits{BatchSize: 20, MaxConcurrent: 4}},
		{"10 at once, small batches", Limits{BatchSize: 5, MaxConcurrent: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := &fakeSource{clock: newFakeClock(simStart), limits: tt.limits, people: newPeople(100), latency: distinctLatency}
				var changed bool
				src.fail = func(time.Time, int, string) (time.Time, error) {
					if changed {
						return time.Time{}, &Error{Kind: KindAuth, Op: "fake", Code: "401"}
					}
					return time.Time{}, nil
				}
				e := startEngine(t, src, RefresherOptions{})
				e.clock.runFor(10 * time.Minute)
				for {
					src.mu.Lock()
					idle := src.inFlight == 0
					src.mu.Unlock()
					if idle {
						break
					}
					e.clock.runFor(100 * time.Millisecond)
				}
				src.mu.Lock()
				polledAtOnce := src.maxInFlight
				before := src.requests
				src.maxInFlight = 0
				changed = true
				src.mu.Unlock()

				e.clock.runFor(time.Hour)
				src.mu.Lock()
				after, atOnce := src.requests-before, src.maxInFlight
				src.mu.Unlock()
				if polledAtOnce != tt.limits.MaxConcurrent {
					t.Fatalf("before the change at most %d requests at once, want %d: the test proves nothing", polledAtOnce, tt.limits.MaxConcurrent)
				}
				if after != 1 || atOnce != 1 {
					t.Fatalf("%d requests (%d at once) in the hour after the password changed, want exactly 1", after, atOnce)
				}
				if s := e.latest(t); s.Engine.State != StateAuthPaused {
					t.Fatalf("engine %s, want auth_paused", s.Engine.State)
				}
			})
		})
	}
}

// Every snapshot lists people in one order, whoever shows it: favourites in
// their own order, then everyone else by name.
func TestSnapshotOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		people := []Person{
			{Name: "zoe Quinn", Email: "zoe@example.com"},
			{Name: "Ada Lovelace", Email: "ada@example.com"},
			{Name: "bob Marley", Email: "bob@example.com"},
			{Name: "Carl Sagan", Email: "carl@example.com"},
			{Name: "Ada Lovelace", Email: "ada2@example.com"},
		}
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 2, MaxConcurrent: 2}, people: people}
		e := startEngine(t, src, RefresherOptions{Favourites: []string{"CARL@example.com ", "zoe@example.com"}})
		e.clock.runFor(10 * time.Second)
		names := func() string {
			var out []string
			for _, p := range e.latest(t).People {
				out = append(out, p.Person.Email)
			}
			return strings.Join(out, " ")
		}
		if got, want := names(), "carl@example.com zoe@example.com ada2@example.com ada@example.com bob@example.com"; got != want {
			t.Fatalf("order %s, want %s", got, want)
		}
		e.SetFavourites([]string{"bob@example.com"})
		e.clock.runFor(DefaultInterval + 10*time.Second)
		if got, want := names(), "bob@example.com ada2@example.com ada@example.com carl@example.com zoe@example.com"; got != want {
			t.Fatalf("after new favourites %s, want %s", got, want)
		}
	})
}

// RefreshOnce is exactly one cycle of the engine: same gates, same window,
// same order, same duplicate handling.
func TestRefreshOnce(t *testing.T) {
	dst := time.Date(2026, 10, 25, 10, 0, 0, 0, mustLoad("Europe/Berlin")) // the 25-hour day
	tests := []struct {
		name      string
		start     time.Time
		fail      error
		wantReqs  int
		wantState State
	}{
		{"ordinary day", simStart, nil, 1 + 3, StateOK},
		{"clock-change day", dst, nil, 1 + 3, StateOK},
		{"rejected password: one request", simStart, &Error{Kind: KindAuth, Op: "fake"}, 1, StateAuthPaused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				people := newPeople(45)
				// The same colleague twice more, in another case and with spaces.
				people = append(people, Person{Name: "Person 0003", Email: " P0003@EXAMPLE.com"}, Person{Name: "Person 0003", Email: "p0003@example.com"})
				src := &fakeSource{clock: newFakeClock(tt.start), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: people, keepEvents: true}
				var windows []Window
				src.fail = func(time.Time, int, string) (time.Time, error) { return time.Time{}, tt.fail }
				r, err := NewRefresher(RefresherOptions{Source: &windowRecorder{src, &windows}, Clock: src.clock, Location: tt.start.Location(), Logger: quietLogger()})
				if err != nil {
					t.Fatal(err)
				}
				snap, err := r.RefreshOnce(context.Background())
				if got := src.count(); got != tt.wantReqs {
					t.Fatalf("%d requests, want %d", got, tt.wantReqs)
				}
				if snap.Engine.State != tt.wantState || (tt.fail == nil) != (err == nil) {
					t.Fatalf("state %s, err %v", snap.Engine.State, err)
				}
				if tt.fail != nil {
					if KindOf(err) != KindAuth {
						t.Fatalf("err %v, want the rejection", err)
					}
					return
				}
				asked := map[string]int{}
				for _, ev := range src.requestsAfter(tt.start) {
					for _, k := range ev.people {
						asked[normKey(k)]++
					}
				}
				if len(asked) != 45 || asked["p0003@example.com"] != 1 || len(snap.People) != 45 {
					t.Fatalf("asked about %d people (p0003 %d times), %d in the snapshot", len(asked), asked["p0003@example.com"], len(snap.People))
				}
				want := FetchWindow(tt.start, tt.start.Location())
				for _, w := range windows {
					if !w.Start.Equal(want.Start) || !w.End.Equal(want.End) {
						t.Fatalf("asked about %v..%v, want %v..%v", w.Start, w.End, want.Start, want.End)
					}
				}
				if end := want.End.In(tt.start.Location()); end.Hour() != 0 || end.Minute() != 0 || end.Sub(want.Start) < 4*24*time.Hour-time.Hour {
					t.Fatalf("window ends %v, want local midnight %d days on", end, FetchWindowDays)
				}
				if _, err := r.RefreshOnce(context.Background()); err != nil {
					t.Fatalf("second RefreshOnce: %v", err)
				}
			})
		})
	}
}

// windowRecorder notes the window of every availability request.
type windowRecorder struct {
	*fakeSource
	windows *[]Window
}

func (w *windowRecorder) Availability(ctx context.Context, people []Person, win Window) ([]Availability, error) {
	w.fakeSource.mu.Lock()
	*w.windows = append(*w.windows, win)
	w.fakeSource.mu.Unlock()
	return w.fakeSource.Availability(ctx, people, win)
}

// Colleagues the directory just brought show while their first answers are
// on the way ("Loading 7 colleagues…"), not only once the cycle has ended:
// on a slow Exchange that was 37 s of an unchanged list after Save.
func TestNewColleaguesShowBeforeTheirAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(3),
			latency: func(int) time.Duration { return 30 * time.Second }}
		e := startEngine(t, src, RefresherOptions{DirectoryInterval: time.Hour})
		e.clock.runFor(2 * time.Minute)
		src.mu.Lock()
		src.people = newPeople(10)
		src.mu.Unlock()
		e.ReloadDirectory()
		// The directory answers after 30 s; the cycle's answers 30 s later.
		e.clock.runFor(45 * time.Second)
		s := e.latest(t)
		if len(s.People) != 10 || !s.Engine.Refreshing {
			t.Fatalf("%d people (refreshing %v) while the new ones' first answers are on the way; want all 10", len(s.People), s.Engine.Refreshing)
		}
		fresh := 0
		for _, p := range s.People {
			if p.Status != StatusUnknown {
				fresh++
			}
		}
		if fresh != 3 {
			t.Errorf("%d colleagues with an answer; want the 3 known before", fresh)
		}
	})
}
