package calendar

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// An answer that came but could not be read says nothing new about anyone:
// after a good cycle, the colleagues it was about keep their last good data,
// stale, with the reason, and everyone else's answer stands. An answer that
// did say something (a calendar no longer shared) still turns them unknown.
func TestUnreadableAnswerKeepsLastGoodData(t *testing.T) {
	const bad = "p0001@example.com"
	garbledRecord := &UnreadableAnswer{Status: http.StatusOK, Err: errors.New("schedule 2 does not read as Graph's")}
	tests := []struct {
		name string
		// garble rewrites the answers from the garbled minute on.
		garble func(people []Person, w Window, avail []Availability) []Availability
		// affected is who the garbled answer is about.
		affected func(Person) bool
		// kept: the affected keep their last good data; otherwise they turn unknown.
		kept bool
	}{
		{
			name: "one record does not read",
			garble: func(people []Person, w Window, avail []Availability) []Availability {
				for i := range avail {
					if avail[i].Person.Email == bad {
						avail[i] = Availability{Person: avail[i].Person, Window: w, Err: garbledRecord}
					}
				}
				return avail
			},
			affected: func(p Person) bool { return p.Email == bad },
			kept:     true,
		},
		{
			name: "the whole answer is cut off",
			garble: func(people []Person, w Window, avail []Availability) []Availability {
				unknown, ok := UnknownBatch(people, w, NewUnreadableAnswer("fake", http.StatusOK, errors.New("unexpected EOF")))
				if !ok {
					panic("UnknownBatch refused an unreadable 200")
				}
				return unknown
			},
			affected: func(Person) bool { return true },
			kept:     true,
		},
		{
			name: "a calendar no longer shared is news, not a garbled answer",
			garble: func(people []Person, w Window, avail []Availability) []Availability {
				for i := range avail {
					if avail[i].Person.Email == bad {
						avail[i] = Availability{Person: avail[i].Person, Window: w, Err: &ReasonError{Text: "no access", Reason: ErrCalendarNotShared}}
					}
				}
				return avail
			},
			affected: func(p Person) bool { return p.Email == bad },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				garbledFrom := simStart.Add(5 * time.Minute)
				garbledUntil := garbledFrom.Add(5 * time.Minute)
				src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4},
					people: newPeople(5), latency: distinctLatency}
				src.garble = func(now time.Time, people []Person, w Window, avail []Availability) []Availability {
					if now.Before(garbledFrom) || !now.Before(garbledUntil) {
						return avail
					}
					return tt.garble(people, w, avail)
				}
				e := startEngine(t, src, RefresherOptions{})
				e.clock.runUntil(garbledFrom.Add(-time.Second))
				good := map[string]PersonState{}
				for _, p := range e.latest(t).People {
					good[p.Person.Email] = *p
				}

				e.clock.runUntil(garbledFrom.Add(2 * DefaultInterval))
				s := e.latest(t)
				if s.Engine.State != StatePartial {
					t.Errorf("engine state %s, want partial", s.Engine.State)
				}
				var decoded struct {
					People []struct {
						Email     string `json:"email"`
						Status    Status `json:"status"`
						Error     string `json:"error"`
						Stale     bool   `json:"stale"`
						FetchedAt string `json:"fetched_at"`
					} `json:"people"`
				}
				data, err := json.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(data, &decoded); err != nil {
					t.Fatal(err)
				}
				for i, p := range s.People {
					jp := decoded.People[i]
					last := good[p.Person.Email]
					switch {
					case !tt.affected(*p.Person):
						if !p.FetchedAt.After(garbledFrom) || p.StaleReason != nil || jp.Stale || jp.Error != "" {
							t.Errorf("%s: fetched %s, stale %v (%q); want this refresh's answer", p.Person.Email, p.FetchedAt, jp.Stale, jp.Error)
						}
					case tt.kept:
						if p.Status != last.Status || p.Status == StatusUnknown || !p.FetchedAt.Equal(last.FetchedAt) {
							t.Errorf("%s: %s fetched %s; want the last good %s fetched %s", p.Person.Email, p.Status, p.FetchedAt, last.Status, last.FetchedAt)
						}
						if !errors.Is(p.StaleReason, ErrUnreadableAnswer) || !s.Stale(p, s.At) {
							t.Errorf("%s: stale reason %v, stale %v; want the unreadable answer, stale", p.Person.Email, p.StaleReason, s.Stale(p, s.At))
						}
						if !jp.Stale || jp.Error == "" || jp.Status == StatusUnknown || jp.FetchedAt == "" {
							t.Errorf("%s in JSON: %+v; want the last status, stale, with the reason", p.Person.Email, jp)
						}
					default:
						if p.Status != StatusUnknown || !errors.Is(p.Err, ErrCalendarNotShared) || p.StaleReason != nil {
							t.Errorf("%s: %s (%v, stale reason %v); want unknown, not shared", p.Person.Email, p.Status, p.Err, p.StaleReason)
						}
					}
				}

				e.clock.runUntil(garbledUntil.Add(2 * DefaultInterval))
				s = e.latest(t)
				if s.Engine.State != StateOK {
					t.Errorf("once the answers read again: state %s", s.Engine.State)
				}
				for _, p := range s.People {
					if p.StaleReason != nil || p.Err != nil || s.Stale(p, s.At) || !p.FetchedAt.After(garbledUntil) {
						t.Errorf("%s once the answers read again: %v / %v, fetched %s", p.Person.Email, p.Err, p.StaleReason, p.FetchedAt)
					}
				}
			})
		})
	}
}

// A colleague nobody has read yet has no last good data to keep: an
// unreadable record makes them unknown, with the reason.
func TestUnreadableRecordWithoutLastDataIsUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const bad = "p0002@example.com"
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(4)}
		src.garble = func(now time.Time, people []Person, w Window, avail []Availability) []Availability {
			for i := range avail {
				if avail[i].Person.Email == bad {
					avail[i] = Availability{Person: avail[i].Person, Window: w, Err: &UnreadableAnswer{Status: http.StatusOK, Err: errors.New("mail is an object")}}
				}
			}
			return avail
		}
		e := startEngine(t, src, RefresherOptions{})
		e.clock.runFor(30 * time.Second)
		s := e.latest(t)
		for _, p := range s.People {
			unknown := p.Status == StatusUnknown
			if (p.Person.Email == bad) != unknown {
				t.Errorf("%s: %s (%v)", p.Person.Email, p.Status, p.Err)
			}
			if p.Person.Email == bad && (!errors.Is(p.Err, ErrUnreadableAnswer) || p.StaleReason != nil || s.Stale(p, s.At)) {
				t.Errorf("%s: err %v, stale reason %v; want unknown with the reason, nothing kept", p.Person.Email, p.Err, p.StaleReason)
			}
		}
	})
}
