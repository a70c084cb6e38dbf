// Package linefile keeps records as whole lines in files of the state folder
// that more than one Frontdesk process may write: a console, a second
// console of the same operator on a shared profile, a command run beside
// them. Every change holds a lock file next to the data, appends are single
// writes of whole lines synced to disk, and a reader skips what it cannot
// use (a line torn by a crash, a line garbled by hand) instead of failing.
// Files are created readable by the operator only: what they hold (messages
// taken, notes on colleagues) is personal data.
//
// It knows nothing of what the lines mean: the message log uses it, and any
// other local record of the desk can.
package linefile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/frontdesk-app/frontdesk/calendar/atomicfile"
)

// MaxLine bounds one line. A longer one is no record this package wrote:
// Scan skips it rather than holding it in memory.
const MaxLine = 1 << 20

// FileMode is the mode of every file and DirMode of every folder created.
const (
	FileMode os.FileMode = 0o600
	DirMode  os.FileMode = 0o700
)

// lockRetry is how often a waiting writer tries the lock again.
const lockRetry = 10 * time.Millisecond

// Lock takes the lock file at path (created if missing, with its folder),
// waiting for another process to release it for as long as ctx allows, and
// returns the function that releases it.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), DirMode); err != nil {
		return nil, err
	}
	l := flock.New(path, flock.SetPermissions(FileMode))
	locked, err := l.TryLockContext(ctx, lockRetry)
	if err == nil && !locked {
		err = errors.New("not locked")
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { _ = l.Unlock() }, nil
}

// Append adds line (without its newline) to the file at path as one
// write, under the lock at lockPath, and syncs it. A file whose last line was
// torn (no newline: a crash in the middle of a write) first gets its
// newline, so the torn line stays alone and the new one is whole.
func Append(ctx context.Context, lockPath, path string, line []byte) error {
	if bytes.IndexByte(line, '\n') >= 0 {
		return errors.New("linefile: a record cannot hold a newline")
	}
	unlock, err := Lock(ctx, lockPath)
	if err != nil {
		return err
	}
	defer unlock()
	return appendLocked(path, line)
}

func appendLocked(path string, line []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), DirMode); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, FileMode)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if info.Mode().Perm()&^FileMode != 0 {
		// Copied in or restored from a backup with wider rights: the
		// operator's records are for the operator.
		_ = f.Chmod(FileMode)
	}
	buf := make([]byte, 0, len(line)+2)
	if info.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, info.Size()-1); err != nil {
			f.Close()
			return err
		}
		if last[0] != '\n' {
			buf = append(buf, '\n')
		}
	}
	buf = append(buf, line...)
	buf = append(buf, '\n')
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Scan calls each with every line of the file at path, without its newline,
// in order, and returns how many lines it skipped as longer than MaxLine.
// The slice is only valid during the call. A missing file has no lines.
func Scan(path string, each func(line []byte)) (tooLong int, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var line []byte
	skipping := false
	for {
		chunk, err := r.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if !skipping {
				line = append(line, chunk...)
				if len(line) > MaxLine {
					line, skipping = line[:0], true
				}
			}
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return tooLong, err
		}
		if skipping {
			tooLong++
			skipping = false
		} else {
			line = append(line, chunk...)
			line = bytes.TrimSuffix(line, []byte("\n"))
			line = bytes.TrimSuffix(line, []byte("\r"))
			if len(line) > MaxLine {
				tooLong++
			} else if len(line) > 0 {
				each(line)
			}
		}
		line = line[:0]
		if err != nil { // io.EOF: the last line had no newline
			return tooLong, nil
		}
	}
}

// Replace writes lines as the new content of the file at path: into a
// temporary file of the same folder, synced, then renamed over it, so a
// reader sees the old file or the new one, never half of it. No lines
// removes the file. The caller holds the lock.
func Replace(path string, lines [][]byte) error {
	if len(lines) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	return atomicfile.WriteFunc(path, atomicfile.Options{Perm: FileMode}, func(w io.Writer) error {
		for _, l := range lines {
			if _, err := w.Write(l); err != nil {
				return err
			}
			if _, err := w.Write([]byte{'\n'}); err != nil {
				return err
			}
		}
		return nil
	})
}
