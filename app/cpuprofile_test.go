package app

import (
	"bytes"
	"path/filepath"
	"testing"
)

func TestCPUProfile(t *testing.T) { testProfileEnv(t, cpuProfileEnv, "cpu.pprof", startCPUProfile) }

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
