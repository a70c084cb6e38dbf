package linefile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func lines(t *testing.T, path string) ([]string, int) {
	t.Helper()
	var out []string
	tooLong, err := Scan(path, func(l []byte) { out = append(out, string(l)) })
	if err != nil {
		t.Fatal(err)
	}
	return out, tooLong
}

func TestAppendScanReplace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "records")
	path, lock := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, ".lock")
	ctx := context.Background()
	if got, _ := lines(t, path); len(got) != 0 {
		t.Fatalf("a missing file has lines: %q", got)
	}
	for _, l := range []string{"one", "two"} {
		if err := Append(ctx, lock, path, []byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := Append(ctx, lock, path, []byte("three\nfour")); err == nil {
		t.Error("a record with a newline was appended")
	}
	// A line longer than MaxLine, a CRLF line and a torn last line.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(strings.Repeat("x", MaxLine+1) + "\nfive\r\nsix-torn")
	f.Close()
	if err := Append(ctx, lock, path, []byte("seven")); err != nil {
		t.Fatal(err)
	}
	got, tooLong := lines(t, path)
	if strings.Join(got, ",") != "one,two,five,six-torn,seven" || tooLong != 1 {
		t.Errorf("read %q and %d too long", got, tooLong)
	}
	if err := Replace(path, [][]byte{[]byte("two")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := lines(t, path); strings.Join(got, ",") != "two" {
		t.Errorf("after Replace: %q", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != FileMode {
		t.Errorf("a replaced file is %v", info.Mode().Perm())
	}
	if err := Replace(path, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("Replace with no lines left the file: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestLockWaitsForTheOtherHolder(t *testing.T) {
	lock := filepath.Join(t.TempDir(), ".lock")
	unlock, err := Lock(context.Background(), lock)
	if err != nil {
		t.Fatal(err)
	}
	// Held, the lock is never had, however long one waits: the wait ends
	// with the caller's deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Lock(ctx, lock); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a second holder while the first holds it: %v, want the deadline", err)
	}
	unlock()
	again, err := Lock(context.Background(), lock)
	if err != nil {
		t.Fatalf("after the release: %v", err)
	}
	again()
}
