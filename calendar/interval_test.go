package calendar

import (
	"testing"
	"time"
)

func TestFormatIntervalReadsBackTheSame(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{60 * time.Second, "1m"},
		{30 * time.Second, "30s"},
		{90 * time.Second, "90s"},
		{5 * time.Minute, "5m"},
		{time.Hour, "1h"},
		{90 * time.Minute, "90m"},
		{24 * time.Hour, "24h"},
		{1500 * time.Millisecond, "1.5s"},
		{0, "0s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := FormatInterval(tt.d)
			if got != tt.want {
				t.Errorf("FormatInterval(%v) = %q, want %q", tt.d, got, tt.want)
			}
			if back, err := time.ParseDuration(got); err != nil || back != tt.d {
				t.Errorf("%q reads back as %v (%v), want %v", got, back, err, tt.d)
			}
		})
	}
}
