package app

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestHeapProfile(t *testing.T) { testProfileEnv(t, heapProfileEnv, "heap.pprof", startHeapProfile) }

// testProfileEnv checks a profile switched on by env: unset nothing is
// written; set, a gzip-compressed pprof profile is at exit, and nothing is
// said on stderr.
func testProfileEnv(t *testing.T, env, file string, start func(func(string) string, io.Writer) func()) {
	t.Helper()
	for _, tc := range []struct {
		name  string
		set   bool
		wants bool
	}{
		{name: "unset writes nothing", set: false, wants: false},
		{name: "set writes a profile at exit", set: true, wants: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), file)
			getenv := func(k string) string {
				if tc.set && k == env {
					return path
				}
				return ""
			}
			var stderr bytes.Buffer
			start(getenv, &stderr)()
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
