package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
)

// ThrottleFile is the record, in the state folder, of the waits servers asked
// for, one per server (auth.ServerKey): every Frontdesk process of the
// operator honours a Retry-After another one received.
const ThrottleFile = "throttle.json"

type throttleDoc struct {
	Version int                  `json:"version"`
	Servers map[string]time.Time `json:"servers"`
}

// throttleStore is one server's entry in ThrottleFile (calendar.ThrottleMemory).
type throttleStore struct {
	path   string
	server string
	now    func() time.Time
	log    *slog.Logger

	mu sync.Mutex
	// until is the latest wait this process knows of, read or remembered:
	// the file is read again only while it may hold a later one.
	until time.Time
}

// throttleMemory is the record for the server at url; nil (no interface
// value at all) without a state folder.
func (env *Env) throttleMemory(url string) calendar.ThrottleMemory {
	if env.Paths.StateDir == "" || url == "" {
		return nil
	}
	now := env.Now
	if now == nil {
		now = time.Now
	}
	return &throttleStore{path: filepath.Join(env.Paths.StateDir, ThrottleFile), server: auth.ServerKey(url), now: now, log: env.logger()}
}

func (s *throttleStore) read() throttleDoc {
	doc := throttleDoc{Version: 1, Servers: map[string]time.Time{}}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return doc
	}
	if json.Unmarshal(data, &doc) != nil || doc.Servers == nil {
		// A damaged record is no wait: the server says again if it must.
		doc.Servers = map[string]time.Time{}
	}
	return doc
}

// Until reads the record: another process may have been told to wait since.
func (s *throttleStore) Until() time.Time {
	doc := s.read()
	s.mu.Lock()
	defer s.mu.Unlock()
	if until := doc.Servers[s.server]; until.After(s.until) {
		s.until = until
	}
	return s.until
}

// Remember records the wait; a write that fails is logged, and this process
// honours the wait all the same.
func (s *throttleStore) Remember(until time.Time) {
	until = until.UTC()
	s.mu.Lock()
	if until.After(s.until) {
		s.until = until
	}
	s.mu.Unlock()
	if err := s.update(until); err != nil {
		s.log.Warn("cannot record the server's requested wait for other Frontdesk processes", "file", s.path, "until", until, "err", err)
	}
}

func (s *throttleStore) update(until time.Time) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	lock := flock.New(s.path + ".lock")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if ok, err := lock.TryLockContext(ctx, 20*time.Millisecond); err != nil || !ok {
		return fmt.Errorf("lock %s: %v", lock.Path(), err)
	}
	defer lock.Unlock()
	doc := s.read()
	now := s.now()
	for server, u := range doc.Servers {
		if !u.After(now) {
			delete(doc.Servers, server) // over: nothing to keep
		}
	}
	if until.After(doc.Servers[s.server]) {
		doc.Servers[s.server] = until
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return auth.WriteFileAtomic(s.path, append(data, '\n'))
}

var _ calendar.ThrottleMemory = (*throttleStore)(nil)
