package app

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// ErrAlreadyRunning means another console or watch runs for this user profile.
var ErrAlreadyRunning = errors.New("already running for this user (the console or frontdesk watch): switch to it, or stop it first")

// lockInstance holds an OS file lock for the life of the console or of
// watch: two of them would poll twice and double the risk of throttling. The
// OS drops the lock if the process dies, so a crash never blocks the next start.
func lockInstance(stateDir string) (release func(), err error) {
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, err
	}
	l := flock.New(filepath.Join(stateDir, "instance.lock"))
	ok, err := l.TryLock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrAlreadyRunning
	}
	return func() { _ = l.Unlock() }, nil
}
