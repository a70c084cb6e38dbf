package ui

import (
	"context"
	"log/slog"
	"runtime/pprof"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// SlowUICallback is how long a callback may hold the Fyne goroutine before
// the log hears of it: past it the window stops answering keys and redraws
// for long enough that a typist notices.
const SlowUICallback = 50 * time.Millisecond

// A callback this long is a visible freeze: logged as a warning, not news.
const frozenUICallback = 250 * time.Millisecond

// The log takes slowLogBurst lines about slow callbacks at once and one more
// every slowLogEvery after: a machine too slow for every snapshot writes a
// few lines a minute and counts the rest, never a line a second for hours.
const (
	slowLogBurst = 20
	slowLogEvery = 30 * time.Second
)

// UICallback is one run of background work's callback on the Fyne goroutine.
type UICallback struct {
	What   string // what the callback did, such as "apply snapshot"
	People int    // how many colleagues it handled
	Took   time.Duration
	At     time.Time // when it started
	// CPU is the UI thread's own CPU time in it, when the system says
	// (Linux): far less than Took means the thread waited for a core.
	CPU      time.Duration
	CPUKnown bool
}

// UIThreadReport is what the bridge saw of the Fyne goroutine so far.
type UIThreadReport struct {
	Callbacks int        // callbacks run
	Slow      int        // of them, those that took over SlowUICallback
	Longest   UICallback // the longest; zero before the first
}

// uiThreadMeter times the callbacks background work hands to the Fyne
// goroutine (the bridge's applies, a new search index's) and the choice of a
// colleague (Enter, a click), logs the slow ones and keeps the longest. Its
// methods are safe from any goroutine.
type uiThreadMeter struct {
	now func() time.Time
	cpu func() (time.Duration, bool) // the calling thread's CPU time so far

	mu       sync.Mutex
	logger   *slog.Logger
	report   UIThreadReport
	tokens   int       // lines the log may take now
	refilled time.Time // when tokens last grew
	unlogged int       // slow callbacks not logged since the last line
}

func newUIThreadMeter(now func() time.Time) *uiThreadMeter {
	return &uiThreadMeter{now: now, cpu: threadCPU, tokens: slowLogBurst}
}

// uiThread is the process's one Fyne goroutine's meter.
var uiThread = newUIThreadMeter(time.Now)

// ReportUIThread is what the console's bridge measured of the Fyne goroutine
// in this process: nothing in a command without a window.
func ReportUIThread() UIThreadReport { return uiThread.snapshot() }

func (m *uiThreadMeter) setLogger(l *slog.Logger) {
	m.mu.Lock()
	m.logger = l
	m.mu.Unlock()
}

func (m *uiThreadMeter) snapshot() UIThreadReport {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.report
}

// onUI runs fn on the Fyne goroutine with fyne.Do, timed as what (handling
// people colleagues).
func (m *uiThreadMeter) onUI(what string, people int, fn func()) {
	fyne.Do(func() { m.run(what, people, fn) })
}

// run runs fn here and now, timed, with the profiler's label ui_callback
// set to what (FRONTDESK_CPUPROFILE's profile tells the callbacks apart).
func (m *uiThreadMeter) run(what string, people int, fn func()) {
	cpu0, known0 := m.cpu()
	start := m.now()
	pprof.Do(context.Background(), pprof.Labels("ui_callback", what), func(context.Context) { fn() })
	c := UICallback{What: what, People: people, Took: m.now().Sub(start), At: start}
	if cpu1, known1 := m.cpu(); known0 && known1 {
		c.CPU, c.CPUKnown = cpu1-cpu0, true
	}
	m.record(c)
}

func (m *uiThreadMeter) record(c UICallback) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.report.Callbacks++
	if m.report.Callbacks == 1 || c.Took > m.report.Longest.Took {
		m.report.Longest = c
	}
	if c.Took <= SlowUICallback {
		return
	}
	m.report.Slow++
	if !m.mayLog(c.At) {
		m.unlogged++
		return
	}
	if m.logger == nil {
		return
	}
	level := slog.LevelInfo
	if c.Took >= frozenUICallback {
		level = slog.LevelWarn
	}
	attrs := []any{"what", c.What, "people", c.People, "ms", c.Took.Milliseconds()}
	if c.CPUKnown {
		attrs = append(attrs, "cpu_ms", c.CPU.Milliseconds())
	}
	if m.unlogged > 0 {
		attrs = append(attrs, "slow_not_logged", m.unlogged)
		m.unlogged = 0
	}
	m.logger.Log(context.Background(), level, "window busy: a callback held the UI thread", attrs...)
}

// mayLog takes one of the log's lines if there is one left at now.
func (m *uiThreadMeter) mayLog(now time.Time) bool {
	if m.refilled.IsZero() {
		m.refilled = now
	}
	if grown := int(now.Sub(m.refilled) / slowLogEvery); grown > 0 {
		m.tokens = min(slowLogBurst, m.tokens+grown)
		m.refilled = m.refilled.Add(time.Duration(grown) * slowLogEvery)
	}
	if m.tokens == 0 {
		return false
	}
	m.tokens--
	return true
}
