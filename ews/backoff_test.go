package ews

import (
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// BackOffMilliseconds is read like a Retry-After: a long request is capped at
// calendar.MaxRetryAfter, not dropped (which would retry at once).
func TestBackOffMilliseconds(t *testing.T) {
	tests := map[string]time.Duration{
		"250":             250 * time.Millisecond,
		" 30000 ":         30 * time.Second,
		"0":               0,
		"-5":              0,
		"soon":            0,
		"86400001":        calendar.MaxRetryAfter,
		"999999999999999": calendar.MaxRetryAfter,
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			m := messageXML{}
			m.Values = append(m.Values, struct {
				Name  string `xml:"Name,attr"`
				Value string `xml:",chardata"`
			}{Name: "BackOffMilliseconds", Value: in})
			if got := m.backOff(); got != want {
				t.Errorf("backOff(%q) = %v, want %v", in, got, want)
			}
		})
	}
}
