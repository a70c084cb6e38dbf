package calendar

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// BenchmarkDemoSnapshotMemory holds what the console's calendar data costs
// with 5,000 demo colleagues: the live heap of the directory, the roster's
// answers and one evaluated snapshot, per colleague (live-B/person).
func BenchmarkDemoSnapshotMemory(b *testing.B) {
	const people = 5000
	loc := time.UTC
	now := time.Date(2026, 11, 23, 10, 20, 0, 0, loc)
	day := DayOf(now, loc)
	window := FetchWindow(now, loc)
	var live float64
	for b.Loop() {
		before := liveHeap()
		demo := NewDemoOfSize(loc, people)
		dir, err := demo.Directory(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		var ro roster
		ro.replace(dir, nil)
		answers, err := demo.Availability(context.Background(), dir, window)
		if err != nil {
			b.Fatal(err)
		}
		for i, a := range answers {
			ro.record(i, *ro.people[i], a, now)
		}
		answers = nil
		snap, _ := ro.evaluate(now, day, 0, 0)
		live = float64(liveHeap()-before) / people
		runtime.KeepAlive(demo)
		runtime.KeepAlive(&ro)
		runtime.KeepAlive(snap)
		runtime.KeepAlive(answers)
	}
	b.ReportMetric(live, "live-B/person")
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
