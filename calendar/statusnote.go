package calendar

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// StatusMessage is the note a colleague set on their own Teams presence
// ("Back at 15:00, call my mobile"). Text is plain and capped, but it is the
// colleague's own words: it may still hold control or bidirectional
// characters, so it is shown through VisibleText.
type StatusMessage struct {
	Text string
	// Expires is when the colleague's note stops applying; zero: it does not.
	Expires time.Time
}

// ActiveAt reports whether there is a note and it has not expired at t.
func (m StatusMessage) ActiveAt(t time.Time) bool {
	return m.Text != "" && (m.Expires.IsZero() || t.Before(m.Expires))
}

// WorkLocation is where a colleague works today as Teams aggregates it (their
// manual choice, their schedule, or detected), in the contract's words.
type WorkLocation string

const (
	// WorkLocationNone: the source told nothing (no presence, EWS, demo
	// colleague without one). null in status --json.
	WorkLocationNone    WorkLocation = ""
	WorkLocationOffice  WorkLocation = "office"
	WorkLocationRemote  WorkLocation = "remote"
	WorkLocationTimeOff WorkLocation = "timeOff"
	// WorkLocationUnknown: a location was given but is none of the above
	// (Graph's "unspecified", or a value added after this build).
	WorkLocationUnknown WorkLocation = "unknown"
)

// ParseWorkLocation reads Graph's workLocationType. Case is ignored: the
// service documents camelCase but enum casing has varied between versions.
func ParseWorkLocation(s string) WorkLocation {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return WorkLocationNone
	case "office":
		return WorkLocationOffice
	case "remote":
		return WorkLocationRemote
	case "timeoff":
		return WorkLocationTimeOff
	}
	return WorkLocationUnknown
}

// MaxStatusMessageRunes caps a status message: Teams itself allows 280
// characters, and a longer text from a server is not one to read out.
const MaxStatusMessageRunes = 280

// maxStatusMessageInput bounds the work of reducing a message: a server
// could send megabytes of markup for one colleague.
const maxStatusMessageInput = 64 << 10

// StatusMessageText is a status message's content as one line of plain text:
// markup (contentType html) reduced to its text, with entities decoded and
// <br> and block ends as spaces; every run of white space one space; cut at
// MaxStatusMessageRunes with an ellipsis. Control and bidirectional
// characters are kept for VisibleText to show escaped, not dropped: the
// operator sees that the note held them.
func StatusMessageText(content string, isHTML bool) string {
	if len(content) > maxStatusMessageInput {
		content = content[:maxStatusMessageInput]
	}
	if isHTML {
		content = htmlToText(content)
	}
	return capRunes(collapseSpace(content), MaxStatusMessageRunes)
}

// htmlToText keeps the text of markup. Script and style content is not text;
// a line break or the end of a block separates words.
func htmlToText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0 // inside <script> or <style>
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text()) // entities decoded
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote", "ul", "ol", "table":
				b.WriteByte(' ')
			}
		}
	}
}

// collapseSpace makes every run of white space (newlines and tabs included)
// one space and trims the ends.
func collapseSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") &&
		strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// capRunes cuts s to at most n runes, the last of them an ellipsis when cut.
func capRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n-1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
}
