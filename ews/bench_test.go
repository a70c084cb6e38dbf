package ews

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// hundredMailboxes is a DetailedMerged answer for 100 mailboxes, alternating
// the two documented FreeBusyResponse elements.
func hundredMailboxes() ([]byte, []string) {
	docs := ewstest.DocumentedFreeBusyResponses()
	answers := map[string]string{}
	var mailboxes []string
	for i := range MaxMailboxesPerRequest {
		m := "person" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "@example.com"
		m = strings.Replace(m, "@", "-"+itoa(i)+"@", 1)
		mailboxes = append(mailboxes, m)
		answers[m] = docs[i%2]
	}
	return []byte(ewstest.AvailabilityFor(mailboxes, answers)), mailboxes
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// BenchmarkParse100Mailboxes times parsing and converting one 100-mailbox
// answer. With EWS_BENCH_XML set it also writes that answer there, so
// scripts/bench-ews-js.sh can time ews-javascript-api on the same bytes.
func BenchmarkParse100Mailboxes(b *testing.B) {
	data, mailboxes := hundredMailboxes()
	if path := os.Getenv("EWS_BENCH_XML"); path != "" {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2006, 10, 16, 0, 0, 0, 0, loc)
	window := calendar.Window{Start: start, End: start.AddDate(0, 0, 5)}
	people := make([]calendar.Person, len(mailboxes))
	for i, m := range mailboxes {
		people[i] = calendar.Person{Email: m}
	}
	mailboxCount, events := checkHundredMailboxes(b, data, people, window, loc)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		responses, err := parseGetUserAvailability(data)
		if err != nil || len(responses) != mailboxCount {
			b.Fatalf("%d responses, %v", len(responses), err)
		}
		for i, r := range responses {
			_ = r.availability(people[i], window, loc)
		}
	}
	// Reported so scripts/bench-ews-js.sh can hold the JavaScript side to
	// the same counts: both must have read the same answer.
	b.ReportMetric(float64(mailboxCount), "mailboxes")
	b.ReportMetric(float64(events), "events")
}

// checkHundredMailboxes fails the benchmark unless the answer reads as 100
// mailboxes, none in error, with calendar events to convert; a parser that
// skipped the work would otherwise time as fast. It returns the mailbox and
// event counts.
func checkHundredMailboxes(b *testing.B, data []byte, people []calendar.Person, window calendar.Window, loc *time.Location) (mailboxCount, events int) {
	b.Helper()
	responses, err := parseGetUserAvailability(data)
	if err != nil {
		b.Fatal(err)
	}
	if len(responses) != 100 {
		b.Fatalf("read %d mailboxes, want 100", len(responses))
	}
	for i, r := range responses {
		a := r.availability(people[i], window, loc)
		if a.Err != nil {
			b.Fatalf("mailbox %d: %v", i, a.Err)
		}
		if len(a.Slots) == 0 {
			b.Fatalf("mailbox %d: no busy slots", i)
		}
		events += len(r.View.Events)
	}
	if events == 0 {
		b.Fatal("no calendar events read")
	}
	return len(responses), events
}
