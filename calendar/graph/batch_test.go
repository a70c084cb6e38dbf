package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/inflight"
)

const routeBatch = "POST /$batch"

// listedAddresses are n addresses a0@contoso.com, a1@contoso.com...
func listedAddresses(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("a%d@contoso.com", i)
	}
	return out
}

type innerRequest struct{ ID, Method, URL string }

// decodeBatch reads a $batch body as Graph does.
func decodeBatch(t *testing.T, r *http.Request) []innerRequest {
	t.Helper()
	var body struct{ Requests []innerRequest }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Errorf("batch body: %v", err)
	}
	return body.Requests
}

// lookupAnswer answers one user lookup ($filter=mail in (...)) with a user
// for every address of the filter, named after it.
func lookupAnswer(t *testing.T, inner innerRequest) string {
	t.Helper()
	u, err := url.Parse(inner.URL)
	if err != nil || u.Path != "/users" {
		t.Errorf("inner request %+v", inner)
		return `{"value":[]}`
	}
	list, _ := strings.CutPrefix(u.Query().Get("$filter"), "mail in (")
	var users []string
	for _, q := range strings.Split(strings.TrimSuffix(list, ")"), ",") {
		mail := strings.Trim(q, "'")
		users = append(users, fmt.Sprintf(`{"id":%q,"displayName":"Name of %s","mail":%q,"businessPhones":[]}`, mail, mail, mail))
	}
	return `{"value":[` + strings.Join(users, ",") + `]}`
}

func writeBatch(w http.ResponseWriter, answers []string) {
	writeJSON(w, http.StatusOK, `{"responses":[`+strings.Join(answers, ",")+`]}`)
}

func innerOK(t *testing.T, inner innerRequest) string {
	return fmt.Sprintf(`{"id":%q,"status":200,"headers":{"Content-Type":"application/json"},"body":%s}`, inner.ID, lookupAnswer(t, inner))
}

// TestUsersByMailBatchBody holds the exact $batch body: 31 addresses are
// three lookups of at most 15 (Graph's limit of values in one filter), sent
// together as one batch, each a GET relative to the version root.
func TestUsersByMailBatchBody(t *testing.T) {
	f := newFakeGraph(t)
	f.handle(routeBatch, func(w http.ResponseWriter, r *http.Request) {
		var answers []string
		for _, inner := range decodeBatch(t, r) {
			answers = append(answers, innerOK(t, inner))
		}
		writeBatch(w, answers)
	})
	s := newTestSource(t, f, Options{People: People{Emails: listedAddresses(31)}})
	people, err := s.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if f.count(routeBatch) != 1 || f.count(routeUsers) != 0 {
		t.Errorf("%d batches, %d single lookups, want 1 and 0", f.count(routeBatch), f.count(routeUsers))
	}
	if len(people) != 31 || people[30].Name != "Name of a30@contoso.com" {
		t.Errorf("people = %+v", people)
	}
	// encoding/json writes "&" as \u0026, which JSON reads as "&".
	sel := `\u0026%24select=id%2CdisplayName%2Cmail%2Cdepartment%2CjobTitle%2CbusinessPhones%2CmobilePhone%2CaccountEnabled%2CuserType`
	filter := func(from, to int) string {
		var q []string
		for i := from; i < to; i++ {
			q = append(q, fmt.Sprintf("%%27a%d%%40contoso.com%%27", i))
		}
		return "/users?%24filter=mail%20in%20%28" + strings.Join(q, "%2C") + "%29" + sel
	}
	want := `{"requests":[` +
		`{"id":"1","method":"GET","url":"` + filter(0, 15) + `"},` +
		`{"id":"2","method":"GET","url":"` + filter(15, 30) + `"},` +
		`{"id":"3","method":"GET","url":"` + filter(30, 31) + `"}]}`
	if got := string(f.body(routeBatch)); got != want {
		t.Errorf("batch body\n got %s\nwant %s", got, want)
	}
}

// TestUsersByMailBatchesOfTwenty: 301 addresses are 21 lookups, so two
// batches (20 and 1), in flight together; the meter counts every lookup, as
// the server does, not only the two HTTP requests.
func TestUsersByMailBatchesOfTwenty(t *testing.T) {
	f := newFakeGraph(t)
	var mu sync.Mutex
	var sizes []int
	f.handle(routeBatch, func(w http.ResponseWriter, r *http.Request) {
		inner := decodeBatch(t, r)
		mu.Lock()
		sizes = append(sizes, len(inner))
		mu.Unlock()
		var answers []string
		for i := len(inner) - 1; i >= 0; i-- { // answers come in any order
			answers = append(answers, innerOK(t, inner[i]))
		}
		writeBatch(w, answers)
	})
	meter := calendar.NewRequestMeter(nil)
	s := newTestSource(t, f, Options{People: People{Emails: listedAddresses(301)}, Requests: meter})
	people, err := s.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 301 || people[300].Name != "Name of a300@contoso.com" || people[0].Name != "Name of a0@contoso.com" {
		t.Errorf("%d people, first %+v, last %+v", len(people), people[0], people[len(people)-1])
	}
	total := 0
	for _, n := range sizes {
		total += n
		if n > maxBatchRequests {
			t.Errorf("a batch of %d requests", n)
		}
	}
	if len(sizes) != 2 || total != 21 {
		t.Errorf("batch sizes %v, want 20 and 1", sizes)
	}
	if meter.Sent() != 21 {
		t.Errorf("meter counted %d requests, want 21 (every lookup)", meter.Sent())
	}
}

// TestUsersByMailBatchPartlyFails: each inner answer is read on its own. A
// lookup answered 404 leaves its addresses listed by address, the others
// named; a refusal (403) fails the listing as it would alone, so the cached
// directory or the operator's words take over.
func TestUsersByMailBatchPartlyFails(t *testing.T) {
	for _, tc := range []struct {
		name       string
		second     string // the answer to the second lookup
		wantKind   calendar.Kind
		wantNamed  int
		wantListed string
	}{
		{"not found", `{"id":"2","status":404,"headers":{"Content-Type":"application/json"},"body":{"error":{"code":"Request_ResourceNotFound","message":"not found"}}}`, 0, 16, "a15@contoso.com"},
		{"refused", `{"id":"2","status":403,"headers":{"Content-Type":"application/json"},"body":{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}}`, calendar.KindPermission, 0, ""},
		// An answer the batch left out is an answer that did not read.
		{"left out", "", calendar.KindTransient, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeBatch, func(w http.ResponseWriter, r *http.Request) {
				inner := decodeBatch(t, r)
				answers := []string{innerOK(t, inner[0]), tc.second, innerOK(t, inner[2])}
				if tc.second == "" {
					answers = slices.Delete(answers, 1, 2)
				}
				writeBatch(w, answers)
			})
			s := newTestSource(t, f, Options{People: People{Emails: listedAddresses(31)}})
			people, err := s.Directory(context.Background())
			if tc.wantKind != 0 {
				if calendar.KindOf(err) != tc.wantKind || people != nil {
					t.Fatalf("err = %v (kind %v), people %d; want kind %v", err, calendar.KindOf(err), len(people), tc.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			named := 0
			for _, p := range people {
				if strings.HasPrefix(p.Name, "Name of ") {
					named++
				}
			}
			if len(people) != 31 || named != tc.wantNamed || people[15].Name != tc.wantListed || people[15].Email != tc.wantListed {
				t.Errorf("%d people, %d named, 16th %+v", len(people), named, people[15])
			}
		})
	}
}

// TestUsersByMailThrottledInsideBatch: a 429 inside a 200 batch is that
// lookup's, with its own Retry-After. A short wait is waited out and only the
// throttled lookup asked again; a long one is handed on as Throttled with the
// server's Retry-After, so the engine waits (and the cached names show).
func TestUsersByMailThrottledInsideBatch(t *testing.T) {
	for _, tc := range []struct {
		name        string
		retryAfter  string // "" sends none: exponential back-off from RetryBaseDelay
		wantBatches int64
		wantErr     time.Duration // the Throttled error's RetryAfter; 0: success
	}{
		{"short wait", "0.05", 2, 0},
		{"no Retry-After", "", 2, 0},
		{"long wait", "120", 1, 120 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			var mu sync.Mutex
			var second []innerRequest
			f.handle(routeBatch, func(w http.ResponseWriter, r *http.Request) {
				inner := decodeBatch(t, r)
				if len(inner) == 1 {
					mu.Lock()
					second = inner
					mu.Unlock()
					writeBatch(w, []string{innerOK(t, inner[0])})
					return
				}
				headers := `{"Content-Type":"application/json"}`
				if tc.retryAfter != "" {
					headers = fmt.Sprintf(`{"Content-Type":"application/json","Retry-After":%q}`, tc.retryAfter)
				}
				throttled := fmt.Sprintf(`{"id":"2","status":429,"headers":%s,"body":{"error":{"code":"TooManyRequests","message":"Too many requests"}}}`, headers)
				writeBatch(w, []string{innerOK(t, inner[0]), throttled, innerOK(t, inner[2])})
			})
			s := newTestSource(t, f, Options{People: People{Emails: listedAddresses(31)}, RetryBaseDelay: 10 * time.Millisecond, MaxInlineWait: 5 * time.Second})
			people, err := s.Directory(context.Background())
			if f.count(routeBatch) != tc.wantBatches {
				t.Errorf("%d batches, want %d", f.count(routeBatch), tc.wantBatches)
			}
			if tc.wantErr != 0 {
				var ce *calendar.Error
				if calendar.KindOf(err) != calendar.KindThrottled || !errors.As(err, &ce) || ce.RetryAfter != tc.wantErr {
					t.Fatalf("err = %#v, want Throttled with RetryAfter %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(second) != 1 || second[0].ID != "2" || !strings.Contains(second[0].URL, "a15%40contoso.com") {
				t.Errorf("asked again: %+v, want the throttled lookup alone", second)
			}
			if len(people) != 31 || people[15].Name != "Name of a15@contoso.com" {
				t.Errorf("%d people, 16th %+v", len(people), people[15])
			}
		})
	}
}

// TestSavedDirectoryShownBeforeTheListingEnds: with the directory of the
// last run saved, the engine's first snapshot lists those colleagues, marked
// as the saved copy, while Graph has not answered the listing yet; the
// listing's answer then replaces them, unmarked.
func TestSavedDirectoryShownBeforeTheListingEnds(t *testing.T) {
	f := newFakeGraph(t)
	release := make(chan struct{})
	f.handle(routeBatch, func(w http.ResponseWriter, r *http.Request) {
		<-release
		var answers []string
		for _, inner := range decodeBatch(t, r) {
			answers = append(answers, innerOK(t, inner))
		}
		writeBatch(w, answers)
	})
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
		var vals []string
		for _, id := range decodeScheduleRequest(t, r).Schedules {
			vals = append(vals, fmt.Sprintf(`{"scheduleId":%q,"availabilityView":"0"}`, id))
		}
		writeJSON(w, 200, `{"value":[`+strings.Join(vals, ",")+`]}`)
	})
	sel := People{Emails: listedAddresses(31)}
	cache := t.TempDir()
	saved := make([]calendar.Person, 31)
	for i, e := range sel.Emails {
		saved[i] = calendar.Person{Name: "Saved " + e, Email: e}
	}
	savedAt := time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)
	if err := SaveCachedDirectory(cache, sel, saved, savedAt); err != nil {
		t.Fatal(err)
	}
	s := newTestSource(t, f, Options{People: sel, CacheDir: cache})
	r, err := calendar.NewRefresher(calendar.RefresherOptions{Source: s, Location: time.UTC, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	snaps, unsubscribe := r.Subscribe()
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	defer func() { cancel(); <-done }()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()

	next := func(ok func(calendar.Snapshot) bool) calendar.Snapshot {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case snap := <-snaps:
				if ok(snap) {
					return snap
				}
			case <-deadline:
				t.Fatal("no such snapshot published")
			}
		}
	}
	first := next(func(calendar.Snapshot) bool { return true })
	if len(first.People) != 31 || first.People[0].Person.Name != "Saved a0@contoso.com" || !first.Engine.DirectorySaved.Equal(savedAt) {
		t.Fatalf("while the listing runs: %d people, first %+v, saved %v; want the 31 saved, marked", len(first.People), first.People[0].Person, first.Engine.DirectorySaved)
	}
	if f.count(routeBatch) > 1 || f.count(routeSchedule) != 0 {
		t.Errorf("%d batches, %d getSchedule before the listing ended", f.count(routeBatch), f.count(routeSchedule))
	}
	close(release)
	live := next(func(s calendar.Snapshot) bool {
		return !s.Engine.Refreshing && len(s.People) > 0 && s.People[0].Person.Name != "Saved a0@contoso.com"
	})
	if live.People[0].Person.Name != "Name of a0@contoso.com" || !live.Engine.DirectorySaved.IsZero() {
		t.Errorf("after the listing: first %+v, saved %v; want the live name, unmarked", live.People[0].Person, live.Engine.DirectorySaved)
	}
}

// TestUsersByMailBatchFollowsALookupsNextPage: a lookup answered inside a
// batch with an @odata.nextLink has its next page fetched on its own, checked
// like any listing's.
func TestUsersByMailBatchFollowsALookupsNextPage(t *testing.T) {
	f := newFakeGraph(t)
	f.handle(routeBatch, func(w http.ResponseWriter, r *http.Request) {
		inner := decodeBatch(t, r)
		first := fmt.Sprintf(`{"id":"1","status":200,"headers":{"Content-Type":"application/json"},"body":{"@odata.nextLink":%q,"value":[{"id":"a0","displayName":"Name of a0@contoso.com","mail":"a0@contoso.com","businessPhones":[]}]}}`,
			f.graphURL()+"/users?$skiptoken=2")
		writeBatch(w, []string{first, innerOK(t, inner[1]), innerOK(t, inner[2])})
	})
	f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$skiptoken") != "2" {
			t.Errorf("users page %s", r.URL)
		}
		writeJSON(w, 200, `{"value":[{"id":"a1","displayName":"Name of a1@contoso.com","mail":"a1@contoso.com","businessPhones":[]}]}`)
	})
	s := newTestSource(t, f, Options{People: People{Emails: listedAddresses(31)}})
	people, err := s.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if f.count(routeUsers) != 1 || people[1].Name != "Name of a1@contoso.com" || people[2].Name != "a2@contoso.com" || people[20].Name != "Name of a20@contoso.com" {
		t.Errorf("%d further pages; people %+v", f.count(routeUsers), people[:3])
	}
}

// TestUsersByMailBatchesInFlight: never more $batch requests at once than
// MaxConcurrent, that many side by side (each held by inflight.Counter, so
// one batch over the limit is seen), and every address named, in the listed
// order.
func TestUsersByMailBatchesInFlight(t *testing.T) {
	for _, tc := range []struct {
		name          string
		maxConcurrent int // 0: DefaultMaxConcurrent
		addresses     int
		wantBatches   int64
		wantMost      int
	}{
		// 15 addresses a lookup, 20 lookups a batch: 300 addresses a batch.
		{"default", 0, 1800, 6, DefaultMaxConcurrent},
		{"two", 2, 901, 4, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			held := inflight.New(tc.wantMost)
			f.handle(routeBatch, func(w http.ResponseWriter, r *http.Request) {
				held.Hold()
				var answers []string
				for _, inner := range decodeBatch(t, r) {
					answers = append(answers, innerOK(t, inner))
				}
				writeBatch(w, answers)
			})
			emails := listedAddresses(tc.addresses)
			s := newTestSource(t, f, Options{People: People{Emails: emails}, MaxConcurrent: tc.maxConcurrent})
			people, err := s.Directory(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if _, most := held.Counts(); f.count(routeBatch) != tc.wantBatches || most != tc.wantMost {
				t.Errorf("%d batches, at most %d at once; want %d, at most %d", f.count(routeBatch), most, tc.wantBatches, tc.wantMost)
			}
			if len(people) != len(emails) {
				t.Fatalf("%d people, want %d", len(people), len(emails))
			}
			for i, p := range people {
				if p.Email != emails[i] || p.Name != "Name of "+emails[i] {
					t.Fatalf("colleague %d = %+v, want %s, named", i, p, emails[i])
				}
			}
		})
	}
}
