package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// benchDirectorySize is the colleagues of the directory benchmarks: 1,000
// listed addresses, or a group of 1,000 members.
const benchDirectorySize = 1000

// BenchmarkDirectory1000 loads the directory of 1,000 colleagues from the
// loopback Graph of BenchmarkRefresh1000 (a child process that answers each
// HTTP request after the latency): by listed addresses and by a group's
// members. x-floor divides the time by the least the requests can take: for
// the addresses, lookups of mailFilterChunk addresses, maxBatchRequests of
// them in one $batch, MaxConcurrent batches in flight, one latency per round;
// for the group, one latency per page of 999 (pages follow each other's
// @odata.nextLink, so they cannot overlap).
func BenchmarkDirectory1000(b *testing.B) {
	const latency = 100 * time.Millisecond
	graph := startBenchGraph(b, latency)
	emails := make([]string, benchDirectorySize)
	for i := range emails {
		emails[i] = benchMail(i)
	}
	lookups := (benchDirectorySize + mailFilterChunk - 1) / mailFilterChunk
	batches := (lookups + maxBatchRequests - 1) / maxBatchRequests
	for _, tc := range []struct {
		name   string
		people People
		rounds int
	}{
		{"emails", People{Emails: emails}, (batches + DefaultMaxConcurrent - 1) / DefaultMaxConcurrent},
		{"group", People{Group: "bench-group"}, (benchDirectorySize + 998) / 999},
	} {
		b.Run(fmt.Sprintf("%s/latency=%dms", tc.name, latency.Milliseconds()), func(b *testing.B) {
			// The meter on a clock that moves ten minutes a load, so that the
			// request ceiling (its own test holds it) never binds here.
			var loads atomic.Int64
			now := func() time.Time {
				return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).Add(time.Duration(loads.Load()) * 10 * time.Minute)
			}
			s, err := New(Options{GraphURL: graph.url + "/v1.0", Token: StaticToken("test-token"), Location: time.UTC,
				People: tc.people, Now: now, Requests: calendar.NewRequestMeter(now)})
			if err != nil {
				b.Fatal(err)
			}
			before := graph.requests(b)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				loads.Add(1)
				people, err := s.Directory(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if len(people) != benchDirectorySize || people[benchDirectorySize-1].Name != benchName(benchDirectorySize-1) {
					b.Fatalf("%d people, last %+v", len(people), people[len(people)-1])
				}
			}
			elapsed := time.Since(start)
			b.StopTimer()
			perLoad := float64(elapsed) / float64(b.N)
			b.ReportMetric(perLoad/float64(time.Millisecond), "ms/load")
			b.ReportMetric(float64(graph.requests(b)-before)/float64(b.N), "requests/load")
			b.ReportMetric(perLoad/float64(time.Duration(tc.rounds)*latency), "x-floor")
		})
	}
}

func benchMail(i int) string { return fmt.Sprintf("c%d@contoso.com", i) }

func benchName(i int) string { return fmt.Sprintf("Colleague %d", i) }

// benchUserRecord is the user record of colleague i, as $select=userFields reads it.
func benchUserRecord(sb *strings.Builder, i int) {
	fmt.Fprintf(sb, `{"@odata.type":"#microsoft.graph.user","id":"00000000-0000-0000-0000-%012d","displayName":%q,"mail":%q,"department":"Sales","jobTitle":"Account manager","businessPhones":["+1 555 0100 %d"],"mobilePhone":null,"accountEnabled":true,"userType":"Member"}`,
		i, benchName(i), benchMail(i), i)
}

// benchUsersAnswer answers GET /users?$filter=mail in (...): one record per
// address of the filter.
func benchUsersAnswer(query url.Values) (int, string) {
	filter := query.Get("$filter")
	list, ok := strings.CutPrefix(filter, "mail in (")
	if !ok {
		return http.StatusBadRequest, `{"error":{"code":"BadRequest","message":"unsupported filter"}}`
	}
	var sb strings.Builder
	sb.WriteString(`{"value":[`)
	n := 0
	for _, quoted := range strings.Split(strings.TrimSuffix(list, ")"), ",") {
		var i int
		if _, err := fmt.Sscanf(strings.Trim(quoted, "'"), "c%d@contoso.com", &i); err != nil || i >= benchDirectorySize {
			continue
		}
		if n > 0 {
			sb.WriteByte(',')
		}
		benchUserRecord(&sb, i)
		n++
	}
	sb.WriteString(`]}`)
	return http.StatusOK, sb.String()
}

func benchUsersHandler(w http.ResponseWriter, r *http.Request) {
	status, body := benchUsersAnswer(r.URL.Query())
	writeJSON(w, status, body)
}

// benchBatchHandler answers POST /$batch whose requests are user lookups.
func benchBatchHandler(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Requests []struct{ ID, Method, URL string }
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Requests) > maxBatchRequests {
		http.Error(w, "bad batch", http.StatusBadRequest)
		return
	}
	var sb strings.Builder
	sb.WriteString(`{"responses":[`)
	for i, inner := range req.Requests {
		u, err := url.Parse(inner.URL)
		status, body := http.StatusBadRequest, `{"error":{"code":"BadRequest","message":"bad url"}}`
		if err == nil && u.Path == "/users" {
			status, body = benchUsersAnswer(u.Query())
		}
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%q,"status":%d,"headers":{"Content-Type":"application/json"},"body":%s}`, inner.ID, status, body)
	}
	sb.WriteString(`]}`)
	writeJSON(w, http.StatusOK, sb.String())
}

// benchMembersHandler pages a group of benchDirectorySize members, $top a
// page (Graph's default of 100 without it, 999 at most).
func benchMembersHandler(w http.ResponseWriter, r *http.Request) {
	top, skip := 100, 0
	if t, err := strconv.Atoi(r.URL.Query().Get("$top")); err == nil {
		top = min(t, 999)
	}
	if s, err := strconv.Atoi(r.URL.Query().Get("$skiptoken")); err == nil {
		skip = s
	}
	var sb strings.Builder
	sb.WriteString(`{"value":[`)
	end := min(skip+top, benchDirectorySize)
	for i := skip; i < end; i++ {
		if i > skip {
			sb.WriteByte(',')
		}
		benchUserRecord(&sb, i)
	}
	sb.WriteString(`]`)
	if end < benchDirectorySize {
		next := *r.URL
		q := next.Query()
		q.Set("$skiptoken", strconv.Itoa(end))
		next.RawQuery = q.Encode()
		fmt.Fprintf(&sb, `,"@odata.nextLink":%q`, "http://"+r.Host+next.String())
	}
	sb.WriteString(`}`)
	writeJSON(w, http.StatusOK, sb.String())
}
