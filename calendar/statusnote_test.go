package calendar

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestStatusMessageText(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct {
		name   string
		in     string
		isHTML bool
		want   string
	}{
		{"plain text as is", "Back at 15:00, call my mobile", false, "Back at 15:00, call my mobile"},
		{"text is not markup", "Use <b> & &amp; as typed", false, "Use <b> & &amp; as typed"},
		{"tags stripped, entities decoded", "<p>Ask for <b>Maria</b> &amp; not &lt;me&gt;</p>", true, "Ask for Maria & not <me>"},
		{"br and blocks separate words", "Back<br>at<br/>15:00<div>call</div><p>me</p>", true, "Back at 15:00 call me"},
		{"script and style are not text", "<style>p{color:red}</style>Hi<script>alert('x')</script> there", true, "Hi there"},
		{"comments dropped", "Hi<!-- secret --> there", true, "Hi there"},
		{"numeric entities", "caf&#233; &#x1F600;", true, "café 😀"},
		{"nbsp and newlines collapse", "a&nbsp;&nbsp;b\n\n\tc  d", true, "a b c d"},
		{"newlines in text collapse", " line one\r\nline two\t ", false, "line one line two"},
		{"bidi override kept for escaping", "<i>\u202e</i>gnp.exe", true, "\u202egnp.exe"},
		{"escape kept for escaping", "\x1b[31mred", false, "\x1b[31mred"},
		{"only markup is no note", "<br> <p></p>", true, ""},
		{"unclosed tag", "Back soon <b", true, "Back soon"},
		{"capped with an ellipsis", long, false, ""}, // checked below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StatusMessageText(tt.in, tt.isHTML)
			if tt.name == "capped with an ellipsis" {
				if n := utf8.RuneCountInString(got); n > MaxStatusMessageRunes || !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, "word word") {
					t.Errorf("capped to %d runes: %q", n, got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("StatusMessageText(%q, %v) = %q, want %q", tt.in, tt.isHTML, got, tt.want)
			}
		})
	}
}

func TestStatusMessageTextBoundsWork(t *testing.T) {
	huge := "<b>" + strings.Repeat("é", 1<<20) + "</b>"
	got := StatusMessageText(huge, true)
	if n := utf8.RuneCountInString(got); n != MaxStatusMessageRunes || !utf8.ValidString(got) {
		t.Errorf("a megabyte of markup became %d runes (valid UTF-8: %v)", n, utf8.ValidString(got))
	}
}

func TestVisibleText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Back at 15:00", "Back at 15:00"},
		{"עברית and العربية", "עברית and العربية"}, // right-to-left text itself is fine
		{"Ask for Maria \u202egnp.exe", `Ask for Maria \u202egnp.exe`},
		{"\u2066isolate\u2069 \u200fmark", `\u2066isolate\u2069 \u200fmark`},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"bad \xff utf8", `bad \xff utf8`},
		{`a \ b`, `a \\ b`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := VisibleText(tt.in); got != tt.want {
				t.Errorf("VisibleText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseWorkLocation(t *testing.T) {
	for in, want := range map[string]WorkLocation{
		"office": WorkLocationOffice, "Remote": WorkLocationRemote, "timeOff": WorkLocationTimeOff,
		"unspecified": WorkLocationUnknown, "unknownFutureValue": WorkLocationUnknown, "": WorkLocationNone,
	} {
		if got := ParseWorkLocation(in); got != want {
			t.Errorf("ParseWorkLocation(%q) = %q, want %q", in, got, want)
		}
	}
}

// An expired note is not shown, judged at the snapshot's instant (the engine
// clock), not when it was fetched; status --json has it as null then.
func TestStatusMessageExpiry(t *testing.T) {
	paris := mustLoad("Europe/Paris")
	expires := time.Date(2026, 11, 23, 15, 0, 0, 0, paris)
	a := Availability{
		Person:        Person{Name: "Dan Park", Email: "dan@contoso.com"},
		Window:        Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, paris), End: time.Date(2026, 11, 24, 0, 0, 0, 0, paris)},
		StatusMessage: StatusMessage{Text: "Back at 15:00, call my mobile", Expires: expires},
		WorkLocation:  WorkLocationRemote,
		FetchedAt:     time.Date(2026, 11, 23, 9, 0, 0, 0, paris),
	}
	never := a
	never.StatusMessage.Expires = time.Time{}
	tests := []struct {
		name  string
		a     Availability
		at    time.Time
		shown bool
	}{
		{"before expiry", a, expires.Add(-time.Minute), true},
		{"at expiry", a, expires, false},
		{"after expiry", a, expires.Add(time.Hour), false},
		{"no expiry", never, expires.AddDate(0, 1, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := BuildSnapshot("microsoft365", []Availability{tt.a}, tt.at, paris, tt.at)
			ps := snap.People[0]
			if shown := ps.StatusMessage.Text != ""; shown != tt.shown {
				t.Fatalf("shown = %v, want %v", shown, tt.shown)
			}
			if ps.WorkLocation != WorkLocationRemote {
				t.Errorf("work location = %q", ps.WorkLocation)
			}
			b, err := json.Marshal(snap)
			if err != nil {
				t.Fatal(err)
			}
			var out struct {
				People []struct {
					StatusMessage *struct {
						Text    string  `json:"text"`
						Expires *string `json:"expires"`
					} `json:"status_message"`
					WorkLocation *string `json:"work_location"`
				} `json:"people"`
			}
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			p := out.People[0]
			if p.WorkLocation == nil || *p.WorkLocation != "remote" {
				t.Errorf("work_location = %v in %s", p.WorkLocation, b)
			}
			switch {
			case !tt.shown && p.StatusMessage != nil:
				t.Errorf("an expired note reached the JSON: %s", b)
			case tt.shown && (p.StatusMessage == nil || p.StatusMessage.Text != a.StatusMessage.Text):
				t.Errorf("status_message missing: %s", b)
			case tt.shown && tt.a.StatusMessage.Expires.IsZero() && p.StatusMessage.Expires != nil:
				t.Errorf("expires = %v for a note without expiry", *p.StatusMessage.Expires)
			case tt.shown && !tt.a.StatusMessage.Expires.IsZero() && (p.StatusMessage.Expires == nil || *p.StatusMessage.Expires != "2026-11-23T15:00:00+01:00"):
				t.Errorf("expires = %v, want the snapshot's zone", p.StatusMessage.Expires)
			}
		})
	}
	// A colleague the source told nothing about: both null.
	snap := BuildSnapshot("ews", []Availability{{Person: a.Person, Window: a.Window}}, expires, paris, expires)
	b, _ := json.Marshal(snap)
	if !strings.Contains(string(b), `"status_message":null`) || !strings.Contains(string(b), `"work_location":null`) {
		t.Errorf("nothing told is not null: %s", b)
	}
}
