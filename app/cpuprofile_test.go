package app

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestCPUProfile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		set   bool
		wants bool
	}{
		{name: "unset writes nothing", set: false, wants: false},
		{name: "set writes a profile at exit", set: true, wants: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cpu.pprof")
			getenv := func(k string) string {
				if tc.set && k == cpuProfileEnv {
					return path
				}
				return ""
			}
			var stderr bytes.Buffer
			startCPUProfile(getenv, &stderr)()
			b, err := os.ReadFile(path)
			if got := err == nil; got != tc.wants {
				t.Fatalf("profile written = %v, want %v (err %v)", got, tc.wants, err)
			}
			// A pprof profile is gzip-compressed protobuf.
			if tc.wants && (len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b) {
				t.Errorf("profile is not gzip data: % x", b[:min(len(b), 4)])
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr = %q, want nothing", stderr.String())
			}
		})
	}
}

// A file that cannot be made is said on stderr, and the program runs on.
func TestCPUProfileUnwritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "cpu.pprof")
	var stderr bytes.Buffer
	startCPUProfile(func(k string) string {
		if k == cpuProfileEnv {
			return path
		}
		return ""
	}, &stderr)()
	if !bytes.Contains(stderr.Bytes(), []byte("frontdesk: CPU profile:")) {
		t.Errorf("stderr = %q, want the CPU profile's failure", stderr.String())
	}
}
