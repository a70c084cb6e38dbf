package app

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// A headless command whose stdout cannot be written (a full disk, a reader
// that went away) must not exit 0, nor with a code that means something else
// (4 is "throttled or offline"): it exits ExitOutput and says why on stderr.
func TestCommandsWhoseOutputCannotBeWrittenExitWithExitOutput(t *testing.T) {
	stdouts := map[string]func(t *testing.T) *os.File{
		"/dev/full": func(t *testing.T) *os.File {
			f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Skip("no /dev/full on this system")
			}
			t.Cleanup(func() { f.Close() })
			return f
		},
		"closed pipe": func(t *testing.T) *os.File {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close() // the reader went away (`| head -1` that finished)
			t.Cleanup(func() { w.Close() })
			return w
		},
	}
	commands := [][]string{
		{"status", "--demo", "--json"},
		{"status", "--demo"},
		{"watch", "--demo", "--json"},
		{"watch", "--demo"},
		{"doctor", "--json"},
		{"doctor"},
		{"version"},
	}
	for name, open := range stdouts {
		for _, args := range commands {
			t.Run(name+"/"+strings.Join(args, " "), func(t *testing.T) {
				var stderr bytes.Buffer
				paths := testPaths(t)
				write(t, paths.ConfigFile, "provider = \"demo\"\n")
				env := &Env{Stdout: open(t), Stderr: &stderr, Now: time.Now, Paths: paths, Getenv: func(string) string { return "" }}
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a watch that never notices ends here, and fails
				defer cancel()
				code := env.run(ctx, args)
				if code != ExitOutput {
					t.Errorf("exit %d, want %d (ExitOutput); stderr: %s", code, ExitOutput, stderr.String())
				}
				if !strings.Contains(stderr.String(), "cannot write the output") {
					t.Errorf("stderr does not say the output could not be written: %q", stderr.String())
				}
			})
		}
	}
}
