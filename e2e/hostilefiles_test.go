package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Hostile config files on the real binary: nested 50,000 deep (the parser
// took minutes and gigabytes, ignoring SIGTERM) or a named pipe (every start
// hung on it) are refused as configuration errors, naming the file. A run
// that has not ended by the deadline is killed and fails the test.
func TestHostileConfigFilesAreRefused(t *testing.T) {
	requireE2E(t)
	const n = 50000
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"nested inline tables", func(t *testing.T, path string) {
			writeFile(t, path, "a = "+strings.Repeat("{b = ", n)+"1"+strings.Repeat("}", n)+"\n")
		}, "nested more than 32 levels deep"},
		{"nested arrays", func(t *testing.T, path string) {
			writeFile(t, path, "a = "+strings.Repeat("[", n)+"1"+strings.Repeat("]", n)+"\n")
		}, "nested more than 32 levels deep"},
		{"named pipe", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "is a named pipe, not a settings file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config := filepath.Join(t.TempDir(), "config.toml")
			tt.make(t, config)
			env, _ := isolatedEnv(t, "FRONTDESK_CONFIG="+config)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang, not a measure
			defer cancel()
			cmd := exec.CommandContext(ctx, frontdeskBin(t), "status")
			cmd.Env = env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("status did not end: killed at the deadline")
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), config+": ") || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("status: %v, stderr %q; want exit 2 naming %s with %q", err, stderr.String(), config, tt.want)
			}
		})
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
