package graph

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// BenchmarkRefresh1000 refreshes 1,000 colleagues (getSchedule in batches of
// 20, four in flight, presence in batches of 650) against a loopback Graph
// that answers each request after the given latency. The Graph runs in a
// child process (this test binary again, see TestMain), so the process CPU
// (cpu-ms/refresh) and the allocations are the refresh's own, not the
// server's. The clock moves one refresh interval per refresh, so every refresh
// fetches presence, as the running console does.
func BenchmarkRefresh1000(b *testing.B) {
	const n = 1000
	for _, latency := range []time.Duration{0, 100 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%dms", latency.Milliseconds()), func(b *testing.B) {
			graph := startBenchGraph(b, latency)
			day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
			var refreshes atomic.Int64
			now := func() time.Time { return day.Add(time.Duration(refreshes.Load()) * calendar.DefaultInterval) }
			// The meter runs on the benchmark's clock, one interval a refresh,
			// as in the console: on the wall clock a fast run would reach the
			// 10-minute request ceiling (its own test holds it) and fail.
			s, err := New(Options{GraphURL: graph.url + "/v1.0", Token: StaticToken("test-token"), Location: time.UTC,
				Presence: true, MaxInlineWait: time.Second, Now: now, Requests: calendar.NewRequestMeter(now)})
			if err != nil {
				b.Fatal(err)
			}
			people := make([]calendar.Person, n)
			for i := range people {
				people[i] = calendar.Person{ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), Name: fmt.Sprintf("Colleague %d", i), Email: fmt.Sprintf("c%d@contoso.com", i)}
			}
			s.setDirectory(people)
			window := calendar.Window{Start: day, End: day.Add(24 * time.Hour)}
			ctx := context.Background()
			before := graph.requests(b)

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
			perRefresh := float64(graph.requests(b)-before) / float64(b.N)
			want := float64((n+DefaultBatchSize-1)/DefaultBatchSize + (n+PresenceBatchSize-1)/PresenceBatchSize)
			if perRefresh != want {
				b.Errorf("%.2f requests per refresh, want %.0f", perRefresh, want)
			}
			b.ReportMetric(perRefresh, "requests/refresh")
			b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(b.N), "ms/refresh")
			if latency > 0 {
				// The floor: the getSchedule batches in rounds of MaxConcurrent,
				// one latency each; presence goes alongside the first round.
				// The engine sends the first batch of a cycle alone (a
				// rejected sign-in or a throttled tenant costs one request,
				// not four), which adds one round: x-engine-floor counts it.
				batches := (n + DefaultBatchSize - 1) / DefaultBatchSize
				rounds := (batches + DefaultMaxConcurrent - 1) / DefaultMaxConcurrent
				engineRounds := 1 + (batches-1+DefaultMaxConcurrent-1)/DefaultMaxConcurrent
				perRefresh := float64(elapsed) / float64(b.N)
				b.ReportMetric(perRefresh/float64(time.Duration(rounds)*latency), "x-floor")
				b.ReportMetric(perRefresh/float64(time.Duration(engineRounds)*latency), "x-engine-floor")
			}
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/refresh")
			}
		})
	}
}

// benchGraphEnv, set to a latency in milliseconds, makes the test binary the
// loopback Graph of BenchmarkRefresh1000 instead of running tests.
const benchGraphEnv = "FRONTDESK_BENCH_GRAPH_LATENCY_MS"

func TestMain(m *testing.M) {
	if latency, ok := os.LookupEnv(benchGraphEnv); ok {
		os.Exit(serveBenchGraph(latency))
	}
	os.Exit(m.Run())
}

// serveBenchGraph answers getSchedule, presence and the directory (user
// lookups, batches of them, a group's members) on 127.0.0.1 after the
// latency, prints its URL on the first line of stdout, counts requests on
// GET /bench/requests, and stops when stdin closes (its parent went away).
func serveBenchGraph(latencyMS string) int {
	ms, err := strconv.Atoi(latencyMS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench graph:", err)
		return 2
	}
	latency := time.Duration(ms) * time.Millisecond
	var requests atomic.Int64
	delayed := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			time.Sleep(latency)
			h(w, r)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1.0/me/calendar/getSchedule", delayed(benchScheduleHandler))
	mux.HandleFunc("POST /v1.0/communications/getPresencesByUserId", delayed(benchPresenceHandler))
	mux.HandleFunc("GET /v1.0/users", delayed(benchUsersHandler))
	mux.HandleFunc("POST /v1.0/$batch", delayed(benchBatchHandler))
	mux.HandleFunc("GET /v1.0/groups/{id}/transitiveMembers", delayed(benchMembersHandler))
	mux.HandleFunc("GET /bench/requests", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, requests.Load())
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench graph:", err)
		return 1
	}
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		ln.Close()
	}()
	fmt.Printf("http://%s\n", ln.Addr())
	if err := http.Serve(ln, mux); err != nil && !errors.Is(err, net.ErrClosed) {
		fmt.Fprintln(os.Stderr, "bench graph:", err)
		return 1
	}
	return 0
}

type benchGraph struct{ url string }

// startBenchGraph runs serveBenchGraph in a child process for the benchmark's lifetime.
func startBenchGraph(b *testing.B, latency time.Duration) benchGraph {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", benchGraphEnv, latency.Milliseconds()))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("bench graph did not start: %v", err)
	}
	return benchGraph{url: strings.TrimSpace(url)}
}

// requests is how many requests the server has seen.
func (g benchGraph) requests(b *testing.B) int64 {
	b.Helper()
	resp, err := http.Get(g.url + "/bench/requests")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	count, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		b.Fatalf("bench graph count %q: %v", data, err)
	}
	return count
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
		if err := decodeAnswer(body, &answer); err != nil {
			b.Fatal(err)
		}
		for i := range answer.Value {
			a := calendar.Availability{Window: window}
			applySchedule(&a, &answer.Value[i], time.UTC, time.UTC)
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
