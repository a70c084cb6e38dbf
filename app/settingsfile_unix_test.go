//go:build !windows

package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A named pipe, a folder or a device in place of the config or the policy is
// refused at once: opening a pipe for reading would wait for a writer
// forever, and every start with it.
func TestSpecialFilesInPlaceOfSettingsAreRefused(t *testing.T) {
	kinds := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"named pipe", mkfifo, "is a named pipe, not a settings file"},
		{"folder", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "is a folder, not a settings file"},
		{"device", func(t *testing.T, path string) {
			if err := os.Symlink(os.DevNull, path); err != nil {
				t.Fatal(err)
			}
		}, "is a device or other special file"},
	}
	for _, kind := range kinds {
		for _, which := range []string{"config", "policy"} {
			t.Run(kind.name+" as "+which, func(t *testing.T) {
				p := testPaths(t)
				file := p.ConfigFile
				if which == "policy" {
					file = p.PolicyFile
				}
				if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
					t.Fatal(err)
				}
				kind.make(t, file)
				err := loadWithin(t, p)
				var ce *ConfigError
				if !errors.As(err, &ce) || ce.File != file || !strings.Contains(err.Error(), kind.want) {
					t.Errorf("err = %v, want %s refused: %q", err, file, kind.want)
				}
			})
		}
	}
}

// loadWithin is LoadConfig, failing the test instead of hanging it when the
// load blocks (a pipe opened for reading waits for a writer).
func loadWithin(t *testing.T, p Paths) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := LoadConfig(p, nil)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second): // far beyond any real load
		t.Fatal("LoadConfig blocked on the file")
		return nil
	}
}
