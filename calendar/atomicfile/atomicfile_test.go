package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWriteReplacesWholeOrNotAtAll(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     Options
		nested   bool
		wantPerm os.FileMode
	}{
		{"owner only by default", Options{}, false, 0o600},
		{"readable by others", Options{Perm: 0o644}, false, 0o644},
		{"folder created", Options{Perm: 0o600, DirPerm: 0o700}, true, 0o600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.toml")
			if tc.nested {
				path = filepath.Join(dir, "a", "b", "config.toml")
			}
			for _, content := range []string{"first", "second"} {
				if err := Write(path, []byte(content), tc.opts); err != nil {
					t.Fatal(err)
				}
				if got, _ := os.ReadFile(path); string(got) != content {
					t.Fatalf("file holds %q, want %q", got, content)
				}
			}
			if info, _ := os.Stat(path); runtime.GOOS != "windows" && info.Mode().Perm() != tc.wantPerm {
				t.Errorf("mode %v, want %v", info.Mode().Perm(), tc.wantPerm)
			}
			// A write that fails half-way leaves the old file and no temporary one.
			failed := errors.New("disk full")
			err := WriteFunc(path, tc.opts, func(w io.Writer) error {
				_, _ = w.Write([]byte("half"))
				return failed
			})
			if !errors.Is(err, failed) {
				t.Fatalf("WriteFunc = %v, want the writer's error", err)
			}
			if got, _ := os.ReadFile(path); string(got) != "second" {
				t.Errorf("a failed write left %q", got)
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
				t.Errorf("folder holds %d files, want the one (no temporary file left)", len(entries))
			}
		})
	}
}

func TestWriteIntoAMissingFolderFails(t *testing.T) {
	if err := Write(filepath.Join(t.TempDir(), "gone", "notes.json"), []byte("x"), Options{}); err == nil {
		t.Fatal("a missing folder without DirPerm was created or written")
	}
}
