package app

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/frontdesk-app/frontdesk/calendar"
)

func TestTermSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dan Park", "Dan Park"},
		{"Zoë Müller-Łukasiewicz", "Zoë Müller-Łukasiewicz"},
		{"田中 太郎 🎉", "田中 太郎 🎉"},
		{"עברית and العربية", "עברית and العربية"}, // right-to-left text itself is fine
		{"\x1b]0;pwned\x07Budget", `\x1b]0;pwned\x07Budget`},
		{"\x1b[2J\x1b[HCleared", `\x1b[2J\x1b[HCleared`},
		{"evil\u202egnp.exe", `evil\u202egnp.exe`},
		{"\u2066isolate\u2069 \u202aembed\u202c \u200fmark", `\u2066isolate\u2069 \u202aembed\u202c \u200fmark`},
		{"col\tumn\nline\rback", `col\x09umn\x0aline\x0dback`},
		{"c1 \u009b31m csi", `c1 \x9b31m csi`},
		{"del\x7f", `del\x7f`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{`already \x1b escaped`, `already \\x1b escaped`},
		{"line\u2028sep", `line\u2028sep`},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := termSafe(tt.in); got != tt.want {
				t.Errorf("termSafe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// The table that status and watch print carries no control character or bidi
// override from any field the server fills in.
func TestTableEscapesHostileText(t *testing.T) {
	const hostile = "\x1b]0;owned\x07\x1b[31m\u202eevil\u2066"
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	snap := calendar.Snapshot{Source: calendar.DemoSourceName, At: at, People: []*calendar.PersonState{
		{Person: &calendar.Person{Name: "Name" + hostile, Department: "Dept" + hostile}, Status: calendar.StatusBusy,
			Current: &calendar.Slot{Start: at, End: at.Add(time.Hour), Status: calendar.StatusBusy, Subject: "Subject" + hostile, Location: "Room" + hostile}},
		{Person: &calendar.Person{Name: "Out"}, Status: calendar.StatusOOF,
			OutOfOffice: calendar.OutOfOffice{Active: true, Message: "Away\x1b[8m hidden" + hostile}},
		{Person: &calendar.Person{Name: "Err"}, Status: calendar.StatusUnknown, Err: errors.New("server said \x1b[2J" + hostile)},
	}}
	snap.Engine.Reason = errors.New("reason \x1b[2J" + hostile)
	var out bytes.Buffer
	env := &Env{Stdout: &out}
	if err := env.printWatch(snap, false); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, r := range text {
		if r != '\n' && unsafeOnTerminal(r) {
			t.Errorf("the table carries %U:\n%q", r, text)
		}
	}
	for _, want := range []string{`Name\x1b]0;owned\x07`, `\u202eevil`, `Subject\x1b`, `Room\x1b`, `Dept\x1b`} {
		if !strings.Contains(text, want) {
			t.Errorf("the table lost %q:\n%s", want, text)
		}
	}
}

// The colleague's own Teams note is their text, not the server's: it reaches
// the table with its expiry and their work location, escaped like the rest.
func TestTableShowsStatusMessageEscaped(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	snap := calendar.Snapshot{Source: calendar.DemoSourceName, At: at, People: []*calendar.PersonState{
		{Person: &calendar.Person{Name: "Dan"}, Status: calendar.StatusFree, WorkLocation: calendar.WorkLocationRemote,
			StatusMessage: calendar.StatusMessage{Text: "Back at 15:00, call my mobile", Expires: at.Add(5 * time.Hour)}},
		{Person: &calendar.Person{Name: "Eve"}, Status: calendar.StatusBusy, WorkLocation: calendar.WorkLocationOffice,
			Current:       &calendar.Slot{Start: at, End: at.Add(time.Hour), Status: calendar.StatusBusy, Subject: "Budget"},
			StatusMessage: calendar.StatusMessage{Text: calendar.StatusMessageText("<p>Ask for <b>Maria</b></p>\u202egnp.exe\x1b[8m", true)}},
		{Person: &calendar.Person{Name: "Fay"}, Status: calendar.StatusOOF, WorkLocation: calendar.WorkLocationTimeOff},
		{Person: &calendar.Person{Name: "Gus"}, Status: calendar.StatusFree, WorkLocation: calendar.WorkLocationUnknown},
	}}
	var out bytes.Buffer
	if err := (&Env{Stdout: &out}).printTable(snap); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, r := range text {
		if r != '\n' && unsafeOnTerminal(r) {
			t.Errorf("the table carries %U:\n%q", r, text)
		}
	}
	for _, want := range []string{
		"Note: Back at 15:00, call my mobile (until 15:00) · Working remotely",
		`Budget · Note: Ask for Maria \u202egnp.exe\x1b[8m · In the office`,
		"Time off",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the table lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "<b>") || strings.Contains(strings.SplitN(text, "Gus", 2)[1], "·") {
		t.Errorf("markup or an unknown location reached the table:\n%s", text)
	}
}

func FuzzTermSafe(f *testing.F) {
	for _, s := range []string{"Dan Park", "\x1b[31mred", "a\u202eb", "\xff", `\x1b`, "田中\t太郎\n", "\u2066\u2069\u061c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := termSafe(in)
		if !utf8.ValidString(out) {
			t.Fatalf("termSafe(%q) = %q is not valid UTF-8", in, out)
		}
		for _, r := range out {
			if unsafeOnTerminal(r) {
				t.Fatalf("termSafe(%q) = %q keeps %U", in, out, r)
			}
		}
		if isTermSafe(in) && out != in {
			t.Fatalf("termSafe changed safe text %q to %q", in, out)
		}
		if termSafe(out) != strings.ReplaceAll(out, `\`, `\\`) {
			t.Fatalf("escaping %q twice did more than double its backslashes", in)
		}
	})
}
