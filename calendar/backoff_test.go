package calendar

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		name     string
		random   float64
		attempts int
		want     time.Duration
	}{
		{"first attempt, least jitter", 0, 1, 1 * time.Second},
		{"first attempt, most jitter", 0.999999, 1, 2 * time.Second},
		{"third attempt doubles twice", 0, 3, 4 * time.Second},
		{"capped", 0, 10, 30 * time.Second},
		{"capped with jitter stays under the cap", 0.999999, 10, 60 * time.Second},
		{"no overflow after many attempts", 0.5, 500, 45 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Backoff{Base: 2 * time.Second, Cap: time.Minute, Rand: func() float64 { return tt.random }}
			var got time.Duration
			for range tt.attempts {
				got = b.Next()
			}
			if got.Round(time.Millisecond) != tt.want {
				t.Fatalf("after %d attempts: %s, want %s", tt.attempts, got, tt.want)
			}
			if got > b.Cap {
				t.Fatalf("%s over the cap %s", got, b.Cap)
			}
		})
	}
}

func TestBackoffReset(t *testing.T) {
	b := Backoff{Base: time.Second, Cap: time.Hour, Rand: func() float64 { return 0 }}
	for range 5 {
		b.Next()
	}
	b.Reset()
	if got := b.Next(); got != 500*time.Millisecond {
		t.Fatalf("after reset: %s, want the first step again", got)
	}
	if b.Attempts() != 1 {
		t.Fatalf("attempts %d, want 1", b.Attempts())
	}
}

func TestBackoffJitterSpreads(t *testing.T) {
	b := Backoff{Base: time.Second, Cap: time.Minute}
	seen := map[time.Duration]bool{}
	for range 20 {
		b.Reset()
		d := b.Next()
		if d < 500*time.Millisecond || d > time.Second {
			t.Fatalf("first delay %s outside [0.5s, 1s]", d)
		}
		seen[d] = true
	}
	if len(seen) < 2 {
		t.Fatal("twenty first delays were all equal: no jitter")
	}
}
