// Package atomicfile replaces a file so that a crash, a full disk or a
// reader at the same instant (another desk on a shared folder) sees the old
// content or the new, never a torn file: the data goes into a temporary file
// of the same folder, is synced, and is renamed over the old one (on Windows
// os.Rename is MoveFileEx with MOVEFILE_REPLACE_EXISTING), then the folder
// is synced where the system allows it.
//
// It imports nothing of Frontdesk's, so every package may use it: the
// token cache (auth), the photo cache (calendar), the config, notes and
// message log (app).
package atomicfile

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Options say how the new file is made. The zero value writes a file
// readable by its owner only (CreateTemp's 0600) into a folder that exists.
type Options struct {
	// Perm is the file's permission bits, set with Chmod so the umask
	// neither loosens nor tightens them; 0 keeps 0600.
	Perm os.FileMode
	// PermBestEffort ignores a Chmod that fails: on a share the server
	// decides permissions (the desk notes on SMB), and Windows has ACLs.
	PermBestEffort bool
	// DirPerm, when not 0, creates the folder (and its parents) first.
	DirPerm os.FileMode
}

// renameTries is how often a rename is tried on Windows, renameWait apart:
// a rename over a file that another process (a desk reading the shared
// notes, an antivirus scan) holds open this instant is refused with a
// sharing violation that clears in moments.
const (
	renameTries = 5
	renameWait  = 100 * time.Millisecond
)

// Write replaces path with data.
func Write(path string, data []byte, o Options) error {
	return WriteFunc(path, o, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc replaces path with what write writes (buffered). When write
// fails, the old file stays as it was and the temporary file is removed.
func WriteFunc(path string, o Options, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if o.DirPerm != 0 {
		if err := os.MkdirAll(dir, o.DirPerm); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // a no-op after the rename
	if err := fill(tmp, o, write); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := rename(name, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // not possible on every system (Windows, some shares)
		d.Close()
	}
	return nil
}

// fill writes the temporary file, sets its permissions and syncs it.
func fill(tmp *os.File, o Options, write func(io.Writer) error) error {
	w := bufio.NewWriter(tmp)
	if err := write(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if o.Perm != 0 {
		if err := tmp.Chmod(o.Perm); err != nil && !o.PermBestEffort {
			return err
		}
	}
	return tmp.Sync()
}

func rename(from, to string) error {
	tries := 1
	if runtime.GOOS == "windows" {
		tries = renameTries
	}
	var err error
	for try := range tries {
		if try > 0 {
			time.Sleep(renameWait)
		}
		if err = os.Rename(from, to); err == nil {
			return nil
		}
	}
	return err
}
