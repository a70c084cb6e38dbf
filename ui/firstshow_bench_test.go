package ui

import (
	"context"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// benchFirstShow is the UI thread's CPU for the window's first showing of
// the demo company of n people, as at the start: the snapshot's apply, which
// hands the search index to a build, the apply that shows it once built (the
// build itself runs off the UI thread and is not counted), and the next turn,
// which draws the list (Console.show). Each iteration is a new console in a
// new 1280x800 window, so the list makes and fills its rows as it does once
// per start. apply-, show- and draw-cpu-ms/op are the UI thread's own CPU in
// each callback (the benchmark keeps to one OS thread, as Fyne's loop does):
// what the console's log reports as cpu_ms of "apply snapshot", "apply
// snapshot with its new search index" and "draw the list with its new search
// index".
func benchFirstShow(b *testing.B, n int) {
	test.NewTempApp(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	demo := calendar.NewDemoOfSize(paris, n)
	demo.Now = func() time.Time { return now }
	people, _ := demo.Directory(context.Background())
	day := calendar.DayOf(now, paris)
	avail, err := calendar.FetchAll(context.Background(), demo, people, calendar.Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)})
	if err != nil {
		b.Fatal(err)
	}
	snap := calendar.BuildSnapshot(demo.Name(), avail, now, paris, now)

	var build func() *searchIndex
	var show func(*searchIndex)
	var draw func()
	oldBuild, oldDraw := buildIndex, drawShown
	buildIndex = func(b func() *searchIndex, done func(*searchIndex)) { build, show = b, done }
	drawShown = func(_ int, d func()) { draw = d }
	defer func() { buildIndex, drawShown = oldBuild, oldDraw }()

	var applied, shown, drawn time.Duration
	timed := func(sum *time.Duration, fn func()) {
		cpu0, _ := threadCPU()
		fn()
		cpu1, _ := threadCPU()
		*sum += cpu1 - cpu0
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		c := NewConsole(Options{Demo: true, Now: func() time.Time { return now }})
		w := test.NewWindow(c.Content())
		w.Resize(fyne.NewSize(1280, 800))
		b.StartTimer()
		timed(&applied, func() { c.Apply(snap) })
		b.StopTimer()
		if show == nil {
			b.Fatal("the first apply built no search index")
		}
		ix, done := build(), show
		show = nil
		b.StartTimer()
		timed(&shown, func() { done(ix) })
		if draw == nil {
			b.Fatal("the show left nothing to draw")
		}
		timed(&drawn, draw)
		draw = nil
		b.StopTimer()
		if c.colleagueCount() < n || len(c.rows) == 0 {
			b.Fatalf("%d colleagues and %d rows on screen, want %d and some", c.colleagueCount(), len(c.rows), n)
		}
		c.search.stopIdle()
		w.Close()
		b.StartTimer()
	}
	perOp := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(b.N) }
	b.ReportMetric(perOp(applied), "apply-cpu-ms/op")
	b.ReportMetric(perOp(shown), "show-cpu-ms/op")
	b.ReportMetric(perOp(drawn), "draw-cpu-ms/op")
}

// BenchmarkFirstShow1k and BenchmarkFirstShow50k are the start's first
// showing of the list, which should not grow with the company.
func BenchmarkFirstShow1k(b *testing.B)  { benchFirstShow(b, 1_000) }
func BenchmarkFirstShow50k(b *testing.B) { benchFirstShow(b, 50_000) }
