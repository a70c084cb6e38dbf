package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestPlanBudget(t *testing.T) {
	tests := []struct {
		name          string
		people, batch int
		interval      time.Duration
		wantRequests  int
		wantInterval  time.Duration
		wantStretched bool
	}{
		{"Graph, 1,000 people at 60s", 1000, 20, time.Minute, 500, time.Minute, false},
		{"EWS, 1,000 people at 30s", 1000, 100, 30 * time.Second, 200, 30 * time.Second, false},
		{"exactly half the limit is fine", 500, 1, time.Minute, 5000, time.Minute, false},
		{"one person per request, 1,000 people", 1000, 1, time.Minute, 5000, 2 * time.Minute, true},
		{"tenant of 30,000 at 30s", 30000, 20, 30 * time.Second, 4500, 200 * time.Second, true},
		{"partial cycles count whole", 700, 1, 70 * time.Second, 4900, 86 * time.Second, true},
		{"no people", 0, 20, time.Minute, 0, time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := PlanBudget(tt.people, tt.batch, tt.interval)
			if b.Requests != tt.wantRequests || b.Interval != tt.wantInterval || b.Stretched != tt.wantStretched {
				t.Fatalf("PlanBudget = %+v; want %d requests at %s, stretched %v", b, tt.wantRequests, tt.wantInterval, tt.wantStretched)
			}
			if b.Requests > PlannedRequestShare {
				t.Fatalf("%d requests per 10 minutes is over the planned share", b.Requests)
			}
			notice := b.Notice(tt.people, tt.batch, tt.interval)
			if (notice != "") != tt.wantStretched {
				t.Fatalf("notice %q for stretched=%v", notice, tt.wantStretched)
			}
			if tt.wantStretched && !strings.Contains(notice, b.Interval.String()) {
				t.Fatalf("notice %q does not name the new interval", notice)
			}
		})
	}
}

func TestRequestLogCeiling(t *testing.T) {
	var l requestLog
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	now := start
	for i := range HardRequestCeiling {
		if free := l.freeAt(now); free.After(now) {
			t.Fatalf("held back after %d requests", i)
		}
		l.record(now)
		now = now.Add(time.Millisecond)
	}
	if free := l.freeAt(now); !free.Equal(start.Add(MailboxRequestWindow)) {
		t.Fatalf("free at %s, want when the oldest leaves the window", free)
	}
	now = start.Add(MailboxRequestWindow)
	l.record(now)
	if free := l.freeAt(now); !free.Equal(start.Add(time.Millisecond).Add(MailboxRequestWindow)) {
		t.Fatalf("free at %s after the window slid by one", free)
	}
}
