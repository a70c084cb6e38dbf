package ui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// steppedClock is a clock, and a thread's CPU time, that move only when a
// callback says it took time.
type steppedClock struct {
	t   time.Time
	cpu time.Duration
}

func (c *steppedClock) now() time.Time { return c.t }

// taking is a callback that "takes" d on the clock: no real work is timed.
func (c *steppedClock) taking(d time.Duration) func() { return c.takingCPU(d, d) }

// takingCPU is a callback that takes wall on the clock, cpu of it on the
// thread's CPU (the rest it waited for a core).
func (c *steppedClock) takingCPU(wall, cpu time.Duration) func() {
	return func() { c.t, c.cpu = c.t.Add(wall), c.cpu+cpu }
}

// meteredForTest is a meter on a stepped clock that logs JSON into a buffer.
func meteredForTest() (*uiThreadMeter, *steppedClock, *bytes.Buffer) {
	clock := &steppedClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	m := newUIThreadMeter(clock.now)
	m.cpu = func() (time.Duration, bool) { return clock.cpu, true }
	var logged bytes.Buffer
	m.setLogger(slog.New(slog.NewJSONHandler(&logged, nil)))
	return m, clock, &logged
}

func logLines(t *testing.T, logged *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(logged.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		lines = append(lines, line)
	}
	return lines
}

func TestUIThreadMeterLogsSlowCallbacks(t *testing.T) {
	for _, tc := range []struct {
		name      string
		took      time.Duration
		wantLevel string // "" when no line is wanted
		wantSlow  int
	}{
		{"a fast apply is not news", 12 * time.Millisecond, "", 0},
		{"exactly the limit is not news", SlowUICallback, "", 0},
		{"past the limit is logged", 80 * time.Millisecond, "INFO", 1},
		{"a visible freeze is a warning", 400 * time.Millisecond, "WARN", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, clock, logged := meteredForTest()
			m.run("apply snapshot", 50000, clock.taking(tc.took))
			r := m.snapshot()
			if r.Callbacks != 1 || r.Slow != tc.wantSlow {
				t.Errorf("report %+v: want 1 callback, %d slow", r, tc.wantSlow)
			}
			if r.Longest.Took != tc.took || r.Longest.What != "apply snapshot" || r.Longest.People != 50000 || !r.Longest.At.Equal(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)) {
				t.Errorf("longest %+v", r.Longest)
			}
			lines := logLines(t, logged)
			if tc.wantLevel == "" {
				if len(lines) != 0 {
					t.Errorf("logged %v, want nothing", lines)
				}
				return
			}
			if len(lines) != 1 {
				t.Fatalf("logged %d lines, want 1: %v", len(lines), lines)
			}
			l := lines[0]
			if l["level"] != tc.wantLevel || l["what"] != "apply snapshot" || l["people"] != float64(50000) || l["ms"] != float64(tc.took.Milliseconds()) || l["cpu_ms"] != float64(tc.took.Milliseconds()) {
				t.Errorf("line %v", l)
			}
			if _, ok := l["slow_not_logged"]; ok {
				t.Errorf("line %v counts lines not logged, but none were held back", l)
			}
		})
	}
}

func TestUIThreadMeterKeepsTheLongest(t *testing.T) {
	m, clock, _ := meteredForTest()
	m.run("apply snapshot", 1000, clock.taking(60*time.Millisecond))
	clock.t = clock.t.Add(time.Minute)
	m.run("apply snapshot with its new search index", 50000, clock.taking(300*time.Millisecond))
	m.run("apply snapshot", 50000, clock.taking(2*time.Millisecond))
	r := m.snapshot()
	if r.Callbacks != 3 || r.Slow != 2 {
		t.Errorf("report %+v: want 3 callbacks, 2 slow", r)
	}
	if r.Longest.What != "apply snapshot with its new search index" || r.Longest.Took != 300*time.Millisecond || r.Longest.People != 50000 {
		t.Errorf("longest %+v", r.Longest)
	}
}

// A machine too slow for every snapshot writes a burst of lines, then one
// every slowLogEvery, and the next line says how many it left out.
func TestUIThreadMeterRateLimitsTheLog(t *testing.T) {
	m, clock, logged := meteredForTest()
	const slow = 70 * time.Millisecond
	for range slowLogBurst + 5 {
		m.run("apply snapshot", 50000, clock.taking(slow))
	}
	if got := len(logLines(t, logged)); got != slowLogBurst {
		t.Fatalf("%d slow callbacks at once logged %d lines, want %d", slowLogBurst+5, got, slowLogBurst)
	}
	clock.t = clock.t.Add(slowLogEvery / 2)
	m.run("apply snapshot", 50000, clock.taking(slow))
	if got := len(logLines(t, logged)); got != slowLogBurst {
		t.Fatalf("half an interval later the log took another line (%d lines)", got)
	}
	clock.t = clock.t.Add(slowLogEvery / 2)
	m.run("apply snapshot", 50000, clock.taking(slow))
	lines := logLines(t, logged)
	if len(lines) != slowLogBurst+1 {
		t.Fatalf("an interval later %d lines, want %d", len(lines), slowLogBurst+1)
	}
	if got := lines[len(lines)-1]["slow_not_logged"]; got != float64(6) {
		t.Errorf("the line after the pause says %v not logged, want 6", got)
	}
	if r := m.snapshot(); r.Slow != slowLogBurst+7 {
		t.Errorf("report counts %d slow, want %d: the ones not logged count too", r.Slow, slowLogBurst+7)
	}
	// A quiet hour fills the burst again, and no more than the burst.
	clock.t = clock.t.Add(time.Hour)
	for range slowLogBurst + 1 {
		m.run("apply snapshot", 50000, clock.taking(slow))
	}
	if got := len(logLines(t, logged)) - len(lines); got != slowLogBurst {
		t.Errorf("after a quiet hour %d lines, want the burst of %d", got, slowLogBurst)
	}
}

// slowApplier takes d on the clock for every snapshot it is given.
type slowApplier struct {
	clock *steppedClock
	d     time.Duration
	got   int
}

func (a *slowApplier) Apply(calendar.Snapshot) {
	a.clock.taking(a.d)()
	a.got++
}

// The bridge times what it runs on the Fyne goroutine: the applies of
// snapshots, with how many colleagues each had.
func TestBridgeTimesEachApply(t *testing.T) {
	m, clock, logged := meteredForTest()
	old := uiThread
	uiThread = m
	t.Cleanup(func() { uiThread = old })
	applier := &slowApplier{clock: clock, d: 90 * time.Millisecond}
	snaps := make(chan calendar.Snapshot, 2)
	snaps <- calendar.Snapshot{People: make([]*calendar.PersonState, 1234)}
	snaps <- calendar.Snapshot{People: make([]*calendar.PersonState, 10)}
	close(snaps)
	Bridge(context.Background(), snaps, applier)
	if applier.got != 2 {
		t.Fatalf("applied %d snapshots, want 2", applier.got)
	}
	r := ReportUIThread()
	if r.Callbacks != 2 || r.Slow != 2 || r.Longest.What != "apply snapshot" || r.Longest.People != 1234 || r.Longest.Took != 90*time.Millisecond {
		t.Errorf("report %+v", r)
	}
	lines := logLines(t, logged)
	if len(lines) != 2 || lines[0]["people"] != float64(1234) || lines[1]["people"] != float64(10) {
		t.Errorf("log %v: want one line per slow apply", lines)
	}
}

// Choosing a colleague (Enter, a click) runs on the Fyne goroutine and
// draws their details: timed too, as one callback with the company's size.
func TestChoosingAColleagueIsTimed(t *testing.T) {
	c, _ := newTestConsole(t, true)
	c.Apply(demoSnapshot(t))
	m, _, _ := meteredForTest()
	old := uiThread
	uiThread = m
	t.Cleanup(func() { uiThread = old })
	c.choose(2, true)
	r := m.snapshot()
	if r.Callbacks != 1 || r.Longest.What != "show a colleague" || r.Longest.People != 60 {
		t.Errorf("report %+v: want the choice as one callback over 60 colleagues", r)
	}
	if c.chosen == "" {
		t.Errorf("nobody chosen")
	}
}

// A callback that waited for a core says so: its CPU time beside its wall
// time, in the log and the report; where the system cannot tell, wall only.
func TestUIThreadMeterTellsWaitingFromWorking(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cpuKnown  bool
		wantCPUms any // nil: no cpu_ms in the line
	}{
		{"linux", true, float64(20)},
		{"no thread times", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, clock, logged := meteredForTest()
			m.cpu = func() (time.Duration, bool) { return clock.cpu, tc.cpuKnown }
			m.run("apply snapshot with its new search index", 50000, clock.takingCPU(150*time.Millisecond, 20*time.Millisecond))
			lines := logLines(t, logged)
			if len(lines) != 1 || lines[0]["ms"] != float64(150) || lines[0]["cpu_ms"] != tc.wantCPUms {
				t.Errorf("log %v: want 150 ms, cpu_ms %v", lines, tc.wantCPUms)
			}
			l := m.snapshot().Longest
			if l.CPUKnown != tc.cpuKnown || tc.cpuKnown && l.CPU != 20*time.Millisecond {
				t.Errorf("longest %+v", l)
			}
		})
	}
}
