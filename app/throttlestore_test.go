package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The wait one process was told of is read by another, under every spelling
// of the server, and not by another server; a damaged record is no wait.
func TestThrottleRecordIsSharedAcrossProcesses(t *testing.T) {
	p := testPaths(t)
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	env := &Env{Paths: p, Now: func() time.Time { return now }}
	until := now.Add(120 * time.Second)
	env.throttleMemory("https://mail.contoso.com/EWS/Exchange.asmx").Remember(until)

	tests := []struct {
		url  string
		want time.Time
	}{
		{"https://MAIL.contoso.com:443//EWS/Exchange.asmx?", until},
		{"https://mail.contoso.com/EWS/Exchange.asmx", until},
		{"https://graph.microsoft.com/v1.0", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			other := &Env{Paths: p, Now: env.Now} // another process
			if got := other.throttleMemory(tt.url).Until(); !got.Equal(tt.want) {
				t.Errorf("Until = %v, want %v", got, tt.want)
			}
		})
	}
	if err := os.WriteFile(filepath.Join(p.StateDir, ThrottleFile), []byte("{garbled"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := (&Env{Paths: p, Now: env.Now}).throttleMemory("https://mail.contoso.com/EWS/Exchange.asmx").Until(); !got.IsZero() {
		t.Errorf("a damaged record reads as a wait until %v", got)
	}
}
