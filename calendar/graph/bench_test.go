package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// BenchmarkRefresh1000 refreshes 1,000 colleagues (getSchedule in batches of
// 20, four in flight, presence in batches of 650) against a loopback Graph
// that answers each request after the given latency. Allocations and the
// process CPU (cpu-ms/refresh) include the in-process server's. The clock
// moves one refresh interval per refresh, so every refresh fetches presence,
// as the running console does.
func BenchmarkRefresh1000(b *testing.B) {
	const n = 1000
	for _, latency := range []time.Duration{0, 100 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%dms", latency.Milliseconds()), func(b *testing.B) {
			f := newFakeGraph(b)
			f.latency = latency
			f.handle(routeSchedule, benchScheduleHandler)
			f.handle(routePresence, benchPresenceHandler)
			day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
			var refreshes atomic.Int64
			now := func() time.Time { return day.Add(time.Duration(refreshes.Load()) * calendar.DefaultInterval) }
			s := newTestSource(b, f, Options{Presence: true, MaxInlineWait: time.Second, Now: now})
			people := make([]calendar.Person, n)
			for i := range people {
				people[i] = calendar.Person{ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), Name: fmt.Sprintf("Colleague %d", i), Email: fmt.Sprintf("c%d@contoso.com", i)}
			}
			s.setDirectory(people)
			window := calendar.Window{Start: day, End: day.Add(24 * time.Hour)}
			ctx := context.Background()

			b.ReportAllocs()
			b.ResetTimer()
			start, startCPU := time.Now(), processCPU()
			for range b.N {
				refreshes.Add(1)
				av, err := calendar.FetchAll(ctx, s, people, window)
				if err != nil {
					b.Fatal(err)
				}
				if len(av) != n || av[n-1].Err != nil || av[n-1].Presence == "" || len(av[n-1].Slots) != 1 {
					b.Fatalf("last availability: %+v", av[n-1])
				}
			}
			elapsed, cpu := time.Since(start), processCPU()-startCPU
			b.StopTimer()
			requests := f.count(routeSchedule) + f.count(routePresence)
			perRefresh := float64(requests) / float64(b.N)
			want := float64((n+DefaultBatchSize-1)/DefaultBatchSize + (n+PresenceBatchSize-1)/PresenceBatchSize)
			if perRefresh != want {
				b.Errorf("%.2f requests per refresh, want %.0f", perRefresh, want)
			}
			b.ReportMetric(perRefresh, "requests/refresh")
			b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(b.N), "ms/refresh")
			if latency > 0 {
				// The floor: the getSchedule batches in rounds of MaxConcurrent,
				// one latency each; presence goes alongside the first round.
				batches := (n + DefaultBatchSize - 1) / DefaultBatchSize
				rounds := (batches + DefaultMaxConcurrent - 1) / DefaultMaxConcurrent
				b.ReportMetric(float64(elapsed)/float64(b.N)/float64(time.Duration(rounds)*latency), "x-floor")
			}
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/refresh")
			}
		})
	}
}

func benchScheduleHandler(w http.ResponseWriter, r *http.Request) {
	var req scheduleRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, benchScheduleBody(req.Schedules))
}

// benchScheduleBody is a getSchedule answer: one meeting, the merged view and
// working hours for each address.
func benchScheduleBody(schedules []string) string {
	var sb strings.Builder
	sb.WriteString(`{"value":[`)
	for i, id := range schedules {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"scheduleId":%q,"availabilityView":"000000000000000000000000000000000000002222","scheduleItems":[{"isPrivate":false,"status":"busy","subject":"Weekly sync","location":"Room 1","start":{"dateTime":"2026-11-23T10:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-23T11:00:00.0000000","timeZone":"UTC"}}],"workingHours":{"daysOfWeek":["monday","tuesday","wednesday","thursday","friday"],"startTime":"08:00:00.0000000","endTime":"17:00:00.0000000","timeZone":{"name":"UTC"}}}`, id)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

// BenchmarkDecodeSchedule20 reads one 20-schedule getSchedule answer into
// availabilities: the decoding and mapping a refresh does 50 times per 1,000
// people, without the network.
func BenchmarkDecodeSchedule20(b *testing.B) {
	schedules := make([]string, DefaultBatchSize)
	for i := range schedules {
		schedules[i] = fmt.Sprintf("c%d@contoso.com", i)
	}
	body := []byte(benchScheduleBody(schedules))
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	window := calendar.Window{Start: day, End: day.Add(24 * time.Hour)}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for range b.N {
		var answer scheduleResponse
		if err := json.Unmarshal(body, &answer); err != nil {
			b.Fatal(err)
		}
		for i := range answer.Value {
			a := calendar.Availability{Window: window}
			applySchedule(&a, &answer.Value[i], time.UTC)
			if len(a.Slots) != 1 {
				b.Fatalf("slots %+v", a.Slots)
			}
		}
	}
}

func benchPresenceHandler(w http.ResponseWriter, r *http.Request) {
	var req struct{ IDs []string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var sb strings.Builder
	sb.WriteString(`{"value":[`)
	for i, id := range req.IDs {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%q,"availability":"Busy","activity":"InAMeeting","outOfOfficeSettings":{"isOutOfOffice":false,"message":null}}`, id)
	}
	sb.WriteString(`]}`)
	writeJSON(w, http.StatusOK, sb.String())
}
