package ews

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// garble replaces the nth occurrence (from 1) of old in the fixture.
func garble(t testing.TB, name, old, new string, nth int) []byte {
	t.Helper()
	body := ewstest.Fixture(name)
	i := -1
	for range nth {
		j := strings.Index(body[i+1:], old)
		if j < 0 {
			t.Fatalf("%s: no occurrence %d of %q", name, nth, old)
		}
		i += 1 + j
	}
	return []byte(body[:i] + new + body[i+len(old):])
}

// One record with bytes XML refuses (a display name that is not UTF-8, a
// control character in a subject) costs that text its letters, never the
// others' answers, as Graph's reading of invalid UTF-8 does.
func TestOneRecordWithBytesXMLRefuses(t *testing.T) {
	t.Run("ResolveNames display name not UTF-8", func(t *testing.T) {
		data := garble(t, "resolvenames-multiple.xml", "Dan Park", "Dan P\xe4rk", 2)
		res, err := parseResolveNames(data)
		if err != nil {
			t.Fatalf("one name that is not UTF-8 lost the answer: %v", err)
		}
		if len(res.People) != 1 || res.People[0].Email != "dpark@exampledomain.com" || !strings.Contains(res.People[0].Name, "\uFFFD") {
			t.Errorf("people = %+v", res.People)
		}
	})
	t.Run("ExpandDL member name with a control character", func(t *testing.T) {
		data := garble(t, "expanddl.xml", "Jeff Price", "Jeff\x01Price", 1)
		exp, err := parseExpandDL(data)
		if err != nil {
			t.Fatalf("one name with a control character lost the list: %v", err)
		}
		if len(exp.People) != 3 {
			t.Errorf("members = %+v, want all three", exp.People)
		}
	})
	t.Run("GetUserAvailability subject not UTF-8", func(t *testing.T) {
		data := garble(t, "getuseravailability.xml", "Pick up my groceries", "Pick up my \xff\xfe", 1)
		responses, err := parseGetUserAvailability(data)
		if err != nil || len(responses) != 2 {
			t.Fatalf("%d responses, %v", len(responses), err)
		}
		for i, r := range responses {
			if a := r.availability(calendar.Person{Email: "x@example.com"}, documentedDay(t), pacific(t)); a.Err != nil {
				t.Errorf("mailbox %d: %v", i, a.Err)
			}
		}
	})
}

// One mailbox's part of a GetUserAvailability answer holding a value of the
// wrong form makes that mailbox unreadable; the other mailbox's answer
// stands. An answer cut off is unreadable as a whole.
func TestGetUserAvailabilityOneMailboxDoesNotRead(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		badOnes []bool // per mailbox; nil: the whole answer does not read
	}{
		{"first mailbox's hours are no number", garble(t, "getuseravailability.xml", "<StartTimeInMinutes>480<", "<StartTimeInMinutes>eight<", 1), []bool{true, false}},
		{"second mailbox's hours are no number", garble(t, "getuseravailability.xml", "<EndTimeInMinutes>1020<", "<EndTimeInMinutes>5pm<", 2), []bool{false, true}},
		{"an item's privacy is no boolean", garble(t, "getuseravailability.xml", "<IsPrivate>false<", "<IsPrivate>perhaps<", 2), []bool{true, false}},
		{"cut off", []byte(ewstest.Fixture("getuseravailability.xml")[:2000]), nil},
		{"cut off inside the second mailbox", garble(t, "getuseravailability.xml", "</FreeBusyResponse>\n      </FreeBusyResponseArray>", "", 1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := startResponder(t, func(*ewstest.Request) ewstest.Answer { return ewstest.Answer{Body: string(tt.data)} })
			avail, err := c.GetUserAvailability(context.Background(), people("user1@example.com", "user2@example.com"), documentedDay(t), pacific(t))
			if tt.badOnes == nil {
				if !errors.Is(err, calendar.ErrUnreadableAnswer) {
					t.Fatalf("a broken answer: %v, %+v; want it unreadable as a whole", err, avail)
				}
				if _, ok := calendar.UnknownBatch(people("a@example.com"), documentedDay(t), err); !ok {
					t.Errorf("%v is not an unreadable 200 the engine keeps the last data for", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("one mailbox's bad value lost the batch: %v", err)
			}
			for i, a := range avail {
				switch {
				case tt.badOnes[i] && !errors.Is(a.Err, calendar.ErrUnreadableAnswer):
					t.Errorf("mailbox %d: %v; want unreadable", i, a.Err)
				case !tt.badOnes[i] && (a.Err != nil || len(a.Slots) == 0):
					t.Errorf("mailbox %d: %v, %d slots; want its answer", i, a.Err, len(a.Slots))
				}
			}
		})
	}
}

// A configured address whose ResolveNames answer does not read is listed by
// its address, with a log line; the other colleagues keep their names.
func TestDirectoryKeepsTheOthersWhenOneLookupDoesNotRead(t *testing.T) {
	for _, tt := range []struct {
		name   string
		answer string
	}{
		{"cut off", ewstest.Fixture("resolvenames.xml")[:600]},
		{"not XML", "<html><body>Proxy error</body>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
				if strings.EqualFold(r.Entry, "smtp:broken@example.com") {
					return ewstest.Answer{Body: tt.answer}
				}
				return fixture("resolvenames.xml")
			})
			var log bytes.Buffer
			src, err := NewSource(SourceOptions{Client: c, People: People{Emails: []string{"User2@example.com", "broken@example.com"}},
				Logger: slog.New(slog.NewTextHandler(&log, nil))})
			if err != nil {
				t.Fatal(err)
			}
			dir, err := src.Directory(context.Background())
			if err != nil {
				t.Fatalf("one unreadable lookup lost the directory: %v", err)
			}
			if len(dir) != 2 || dir[0].Name != "User2" || dir[1].Name != "broken@example.com" {
				t.Errorf("directory = %+v", dir)
			}
			if !strings.Contains(log.String(), "could not resolve a configured address") {
				t.Errorf("nothing in the log:\n%s", log.String())
			}
		})
	}
}

// When no lookup reads at all, the server (or a proxy before it) is what is
// wrong: the directory load fails, so the engine keeps the last one, rather
// than listing everyone by address.
func TestDirectoryFailsWhenNoLookupReads(t *testing.T) {
	c, _ := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
		return ewstest.Answer{Body: "<html><body>Proxy error</body>"}
	})
	src, err := NewSource(SourceOptions{Client: c, People: People{Emails: []string{"a@example.com", "b@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	if dir, err := src.Directory(context.Background()); !errors.Is(err, calendar.ErrUnreadableAnswer) {
		t.Fatalf("directory = %+v, %v; want the unreadable answer", dir, err)
	}
}
