package messagelog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var rome = mustZone("Europe/Rome")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// clock is a settable clock for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func at(day, hour, minute int) time.Time { return time.Date(2026, 12, day, hour, minute, 0, 0, rome) }

func newStore(t *testing.T, c *clock, retention time.Duration) *Store {
	t.Helper()
	return Open(filepath.Join(t.TempDir(), "messages"), Options{Retention: retention, Now: c.now, Location: rome})
}

func add(t *testing.T, s *Store, ms ...Message) {
	t.Helper()
	for _, m := range ms {
		if err := s.Add(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
}

func find(t *testing.T, s *Store, query string, since time.Time) Found {
	t.Helper()
	f, err := s.Find(context.Background(), query, since)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func callers(ms []Message) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Caller)
	}
	return strings.Join(out, ",")
}

func TestRoundTripKeepsEveryField(t *testing.T) {
	c := &clock{t: at(5, 12, 0)}
	s := newStore(t, c, 0)
	want := Message{At: at(5, 10, 42), For: "Anna Berg", ForEmail: "anna.berg@contoso.com", Caller: "Giulia Rossi",
		Company: "Acme S.p.A.", Number: "+39 06 1234 5678", Text: "Invoice 42:\nplease call \"today\"", CallBack: true, Urgent: true, SentVia: "teams"}
	add(t, s, want)
	// A second store on the same folder is the next start of Frontdesk.
	again := Open(s.Dir(), Options{Now: c.now, Location: rome})
	got := find(t, again, "", time.Time{})
	if len(got.Messages) != 1 || got.Skipped != 0 {
		t.Fatalf("found %+v", got)
	}
	if m := got.Messages[0]; !m.At.Equal(want.At) || m.For != want.For || m.ForEmail != want.ForEmail || m.Caller != want.Caller ||
		m.Company != want.Company || m.Number != want.Number || m.Text != want.Text || !m.CallBack || !m.Urgent || m.SentVia != want.SentVia {
		t.Errorf("read back %+v, want %+v", m, want)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "2026-12-05.jsonl")); err != nil {
		t.Errorf("the day's file: %v", err)
	}
}

func TestFilesAreTheOperatorsOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits; the state folder is in the user's profile")
	}
	c := &clock{t: at(5, 12, 0)}
	s := newStore(t, c, 0)
	add(t, s, Message{At: at(5, 10, 0), Caller: "x"})
	for _, p := range []string{s.Dir(), filepath.Join(s.Dir(), "2026-12-05.jsonl"), filepath.Join(s.Dir(), lockName)} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v: others can read it", p, info.Mode().Perm())
		}
	}
	// A file copied in with wider rights is narrowed at the next message.
	day := filepath.Join(s.Dir(), "2026-12-05.jsonl")
	if err := os.Chmod(day, 0o644); err != nil {
		t.Fatal(err)
	}
	add(t, s, Message{At: at(5, 11, 0), Caller: "y"})
	if info, _ := os.Stat(day); info.Mode().Perm() != 0o600 {
		t.Errorf("after an append the file is %v, want 0600", info.Mode().Perm())
	}
}

func TestTwoWritersLoseNothing(t *testing.T) {
	c := &clock{t: at(5, 12, 0)}
	dir := filepath.Join(t.TempDir(), "messages")
	// Two stores on one folder: two Frontdesk processes (the lock file is
	// per open file, so two opens in one process exclude each other too).
	stores := []*Store{Open(dir, Options{Now: c.now, Location: rome}), Open(dir, Options{Now: c.now, Location: rome})}
	const each = 200
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for w, s := range stores {
		wg.Go(func() {
			for i := range each {
				// A long text makes a torn or interleaved write show.
				m := Message{At: at(5, 9, 0).Add(time.Duration(w*each+i) * time.Second), Caller: fmt.Sprintf("w%d-%d", w, i), Text: strings.Repeat("x", 5000)}
				if err := s.Add(context.Background(), m); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := find(t, stores[0], "", time.Time{})
	if len(got.Messages) != 2*each || got.Skipped != 0 {
		t.Fatalf("found %d messages and %d broken lines, want %d and 0", len(got.Messages), got.Skipped, 2*each)
	}
	seen := map[string]bool{}
	for _, m := range got.Messages {
		seen[m.Caller] = true
	}
	if len(seen) != 2*each {
		t.Errorf("%d distinct messages, want %d", len(seen), 2*each)
	}
}

func TestBrokenLinesAreSkipped(t *testing.T) {
	c := &clock{t: at(5, 12, 0)}
	s := newStore(t, c, 0)
	add(t, s, Message{At: at(5, 9, 0), Caller: "before"})
	day := filepath.Join(s.Dir(), "2026-12-05.jsonl")
	f, err := os.OpenFile(day, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A line edited by hand, a record with no time, a line longer than any
	// record, and a line torn by a crash: no newline at the end.
	f.WriteString("this is not json\n{\"caller\":\"no time\"}\n" + strings.Repeat("y", 2<<20) + "\n{\"at\":\"2026-12-05T10:00:00+01:00\",\"caller\":\"tor")
	f.Close()
	add(t, s, Message{At: at(5, 11, 0), Caller: "after"})

	got := find(t, s, "", time.Time{})
	if callers(got.Messages) != "after,before" {
		t.Errorf("found %q, want after,before", callers(got.Messages))
	}
	if got.Skipped != 4 {
		t.Errorf("skipped %d lines, want 4", got.Skipped)
	}
}

func TestFind(t *testing.T) {
	c := &clock{t: at(10, 15, 0)}
	s := newStore(t, c, 0)
	add(t, s,
		Message{At: at(10, 9, 0), For: "Anna Berg", Caller: "Giulia Rossi", Company: "Acme", Number: "+1 555 0140", Text: "About the invoice"},
		Message{At: at(10, 11, 0), For: "Bruno Conti", Caller: "Peter Müller", Company: "Initech", Text: "Delivery at the back door", Urgent: true},
		Message{At: at(8, 16, 30), For: "Anna Berg", Caller: "Sam Lee", Company: "Globex", Text: "Call back about the INVOICE"},
		Message{At: at(2, 10, 0), For: "Carla Dini", Caller: "Old Caller", Text: "Last week"},
	)
	today := time.Date(2026, 12, 10, 0, 0, 0, 0, rome)
	for _, tc := range []struct {
		name, query string
		since       time.Time
		want        string
	}{
		{"all kept, newest first", "", time.Time{}, "Peter Müller,Giulia Rossi,Sam Lee,Old Caller"},
		{"today", "", today, "Peter Müller,Giulia Rossi"},
		{"last 7 days", "", today.AddDate(0, 0, -6), "Peter Müller,Giulia Rossi,Sam Lee"},
		{"any case", "invoice", time.Time{}, "Giulia Rossi,Sam Lee"},
		{"every word, any field", "anna INVOICE globex", time.Time{}, "Sam Lee"},
		{"words in different fields", "berg acme", time.Time{}, "Giulia Rossi"},
		{"a word no message has", "anna zebra", time.Time{}, ""},
		{"non-ASCII, any case", "MÜLLER", time.Time{}, "Peter Müller"},
		{"the number as typed", "555 0140", time.Time{}, "Giulia Rossi"},
		{"the number as digits", "5550140", time.Time{}, "Giulia Rossi"},
		{"since and query", "anna", today, "Giulia Rossi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := callers(find(t, s, tc.query, tc.since).Messages); got != tc.want {
				t.Errorf("Find(%q) = %q, want %q", tc.query, got, tc.want)
			}
		})
	}
}

func TestPruneDeletesWhatIsPastTheRetention(t *testing.T) {
	c := &clock{t: at(1, 8, 0).AddDate(0, -1, 0)} // 1 November
	s := newStore(t, c, 30*24*time.Hour)
	add(t, s,
		Message{At: at(1, 8, 0).AddDate(0, -1, 0), Caller: "first of November"},
		Message{At: at(3, 9, 0).AddDate(0, -1, 0), Caller: "third, morning"},
		Message{At: at(3, 17, 0).AddDate(0, -1, 0), Caller: "third, evening"},
		Message{At: at(20, 12, 0).AddDate(0, -1, 0), Caller: "twentieth"},
	)
	// Nothing is past the retention yet.
	if p, err := s.Prune(context.Background()); err != nil || p != (Pruned{}) {
		t.Fatalf("Prune on the first day: %+v, %v", p, err)
	}

	// 3 December at noon: 30 days back is 3 November at noon.
	c.set(at(3, 12, 0))
	// Before any prune, the view already leaves out what is past the retention.
	if got := callers(find(t, s, "", time.Time{}).Messages); got != "twentieth,third, evening" {
		t.Errorf("before pruning Find shows %q", got)
	}
	p, err := s.Prune(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.Removed != 2 || p.Files != 1 {
		t.Errorf("Prune = %+v, want 2 messages removed, 1 file deleted", p)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "2026-11-01.jsonl")); !os.IsNotExist(err) {
		t.Errorf("the file of 1 November is still there: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir(), "2026-11-03.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "third, morning") || !strings.Contains(string(data), "third, evening") {
		t.Errorf("3 November after pruning holds:\n%s", data)
	}
	// Another start of Frontdesk finds only what is kept.
	again := Open(s.Dir(), Options{Retention: 30 * 24 * time.Hour, Now: c.now, Location: rome})
	if got := callers(find(t, again, "", time.Time{}).Messages); got != "twentieth,third, evening" {
		t.Errorf("after pruning: %q", got)
	}
	// A second prune the same day has nothing left to do.
	if p, err := s.Prune(context.Background()); err != nil || p != (Pruned{}) {
		t.Errorf("second Prune: %+v, %v", p, err)
	}
}

func TestPruneLeavesOtherFilesAlone(t *testing.T) {
	c := &clock{t: at(5, 12, 0)}
	s := newStore(t, c, 24*time.Hour)
	add(t, s, Message{At: at(5, 9, 0), Caller: "kept"})
	other := filepath.Join(s.Dir(), "README.txt")
	if err := os.WriteFile(other, []byte("not the log's"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.set(at(20, 12, 0))
	if _, err := s.Prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file not of the log was touched: %v", err)
	}
	if got := find(t, s, "", time.Time{}); len(got.Messages) != 0 {
		t.Errorf("found %q after the retention", callers(got.Messages))
	}
}

func TestAddRefusesAMessageWithoutTime(t *testing.T) {
	s := newStore(t, &clock{t: at(5, 12, 0)}, 0)
	if err := s.Add(context.Background(), Message{Caller: "x"}); err != ErrNoTime {
		t.Errorf("Add = %v, want ErrNoTime", err)
	}
}

// A busy desk's month: 30 days of 100 messages each. Find runs at every
// key typed in the view.
func BenchmarkFindMonth(b *testing.B) {
	c := &clock{t: at(30, 18, 0)}
	s := Open(filepath.Join(b.TempDir(), "messages"), Options{Now: c.now, Location: rome})
	for day := 1; day <= 30; day++ {
		for i := range 100 {
			m := Message{At: at(day, 8, 0).Add(time.Duration(i) * 5 * time.Minute), For: fmt.Sprintf("Colleague %d", i%40),
				Caller: fmt.Sprintf("Caller %d", day*100+i), Company: "Acme", Number: "+1 555 0100", Text: strings.Repeat("please call back about the order ", 4)}
			if err := s.Add(context.Background(), m); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, q := range []struct{ name, query string }{{"all", ""}, {"two words", "colleague 7 caller"}} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Find(context.Background(), q.query, time.Time{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
