// Package messagelog keeps the messages the desk takes for colleagues, in
// the state folder: one file of JSON lines per day, so that deleting what
// is past its retention is deleting files, and showing today reads one
// small file. The messages are personal data: the files are the operator's
// only (0600), nothing of them is logged but counts, and the diagnostics
// bundle never takes them.
package messagelog

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/frontdesk-app/frontdesk/app/linefile"
)

// DefaultRetention is how long a message is kept when nothing else is set.
const DefaultRetention = 30 * 24 * time.Hour

// Message is one message taken. Its JSON is one line of a day's file.
type Message struct {
	At       time.Time `json:"at"`
	For      string    `json:"for,omitempty"`
	ForEmail string    `json:"for_email,omitempty"`
	Caller   string    `json:"caller,omitempty"`
	Company  string    `json:"company,omitempty"`
	Number   string    `json:"number,omitempty"`
	Text     string    `json:"text,omitempty"`
	CallBack bool      `json:"call_back,omitempty"`
	Urgent   bool      `json:"urgent,omitempty"`
	SentVia  string    `json:"sent_via,omitempty"`
}

// Store is the message log in one folder. It is safe for concurrent use, and
// for use by several processes on the same folder.
type Store struct {
	dir       string
	retention time.Duration
	now       func() time.Time
	loc       *time.Location
	mu        sync.Mutex // one writer of this process at a time; the lock file does the rest
}

// Options tune a Store; the zero value is the defaults.
type Options struct {
	// Retention is how long a message is kept; 0 is DefaultRetention.
	Retention time.Duration
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Location decides which day's file a message goes into; nil is time.Local.
	Location *time.Location
}

// Open returns the message log kept in dir. Nothing is read or created
// until it is used.
func Open(dir string, o Options) *Store {
	s := &Store{dir: dir, retention: o.Retention, now: o.Now, loc: o.Location}
	if s.retention <= 0 {
		s.retention = DefaultRetention
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	return s
}

// Dir is the folder of the log.
func (s *Store) Dir() string { return s.dir }

// Retention is how long a message is kept.
func (s *Store) Retention() time.Duration { return s.retention }

const (
	fileSuffix = ".jsonl"
	dayLayout  = "2006-01-02"
	lockName   = ".lock"
)

func (s *Store) lockPath() string { return filepath.Join(s.dir, lockName) }

func (s *Store) dayPath(day time.Time) string {
	return filepath.Join(s.dir, day.In(s.loc).Format(dayLayout)+fileSuffix)
}

// ErrNoTime is returned by Add for a message without its time.
var ErrNoTime = errors.New("messagelog: a message needs its time")

// Add keeps m in the file of its day.
func (s *Store) Add(ctx context.Context, m Message) error {
	if m.At.IsZero() {
		return ErrNoTime
	}
	line, err := json.Marshal(m)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return linefile.Append(ctx, s.lockPath(), s.dayPath(m.At), line)
}

// Found is what Find returns: the messages, newest first, and how many
// lines it skipped because they were no message (torn by a crash, edited by
// hand): the caller may log the count, never the lines.
type Found struct {
	Messages []Message
	Skipped  int
}

// Find returns the messages taken since since (the zero time: all kept) and
// still within the retention, whose fields together contain every word of
// query in any case, newest first.
func (s *Store) Find(ctx context.Context, query string, since time.Time) (Found, error) {
	var found Found
	cutoff := s.now().Add(-s.retention)
	if since.Before(cutoff) {
		since = cutoff
	}
	days, err := s.days()
	if err != nil {
		return found, err
	}
	words := strings.Fields(fold(query))
	// A day's file holds the messages of that calendar day where the store
	// runs; one day of slack covers a time zone changed since.
	first := dayStart(since.In(s.loc)).AddDate(0, 0, -1)
	for _, d := range days {
		if d.date.Before(first) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return found, err
		}
		skipped, err := s.scanDay(d.path, func(m Message) {
			if !m.At.Before(since) && matches(m, words) {
				found.Messages = append(found.Messages, m)
			}
		})
		found.Skipped += skipped
		if err != nil {
			return found, err
		}
	}
	slices.SortStableFunc(found.Messages, func(a, b Message) int { return b.At.Compare(a.At) })
	return found, nil
}

// Pruned says what Prune did.
type Pruned struct {
	Removed int // messages deleted, counted in the files rewritten; whole files count their lines
	Files   int // day files deleted
}

// Prune deletes the messages older than the retention: the files of days
// wholly before it, and the older messages of the day it ends in.
func (s *Store) Prune(ctx context.Context) (Pruned, error) {
	var p Pruned
	cutoff := s.now().Add(-s.retention)
	s.mu.Lock()
	defer s.mu.Unlock()
	days, err := s.days()
	if err != nil || len(days) == 0 {
		return p, err
	}
	unlock, err := linefile.Lock(ctx, s.lockPath())
	if err != nil {
		return p, err
	}
	defer unlock()
	cutoffDay := dayStart(cutoff.In(s.loc))
	var errs []error
	for _, d := range days {
		switch {
		case d.date.Before(cutoffDay.AddDate(0, 0, -1)):
			// Every message of the file is older than the cutoff, even if the
			// time zone moved by a day since it was written.
			n := 0
			_, _ = linefile.Scan(d.path, func([]byte) { n++ })
			if err := os.Remove(d.path); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
				continue
			}
			p.Files++
			p.Removed += n
		case d.date.After(cutoffDay):
			// Every message of the file is within the retention.
		default:
			removed, err := s.pruneDay(d.path, cutoff)
			p.Removed += removed
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return p, errors.Join(errs...)
}

// pruneDay rewrites one day's file without the messages older than cutoff,
// nor the lines that are no message.
func (s *Store) pruneDay(path string, cutoff time.Time) (int, error) {
	var keep [][]byte
	removed := 0
	_, err := linefile.Scan(path, func(line []byte) {
		m, ok := decode(line)
		if ok && !m.At.Before(cutoff) {
			keep = append(keep, slices.Clone(line))
			return
		}
		removed++
	})
	if err != nil || removed == 0 {
		return 0, err
	}
	if err := linefile.Replace(path, keep); err != nil {
		return 0, err
	}
	return removed, nil
}

// scanDay calls each with every message of one day's file and returns how
// many lines were no message.
func (s *Store) scanDay(path string, each func(Message)) (int, error) {
	skipped := 0
	tooLong, err := linefile.Scan(path, func(line []byte) {
		if m, ok := decode(line); ok {
			each(m)
			return
		}
		skipped++
	})
	return skipped + tooLong, err
}

func decode(line []byte) (Message, bool) {
	var m Message
	if err := json.Unmarshal(line, &m); err != nil || m.At.IsZero() {
		return Message{}, false
	}
	return m, true
}

type dayFile struct {
	date time.Time
	path string
}

// days lists the day files of the folder, oldest first; other files are
// not the log's and are left alone.
func (s *Store) days() ([]dayFile, error) {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []dayFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, fileSuffix) {
			continue
		}
		date, err := time.ParseInLocation(dayLayout, strings.TrimSuffix(name, fileSuffix), s.loc)
		if err != nil {
			continue
		}
		out = append(out, dayFile{date: date, path: filepath.Join(s.dir, name)})
	}
	slices.SortFunc(out, func(a, b dayFile) int { return a.date.Compare(b.date) })
	return out, nil
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// matches: every word is in one of the message's fields. The number also
// counts as its digits alone, so "5550140" finds "+1 555 0140".
func matches(m Message, words []string) bool {
	if len(words) == 0 {
		return true
	}
	hay := fold(strings.Join([]string{m.For, m.ForEmail, m.Caller, m.Company, m.Number, digits(m.Number), m.Text}, "\n"))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func fold(s string) string { return strings.ToLower(s) }

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
