package calendar

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// DefaultCallURI is the call template a fresh install uses: whatever the PC
// has registered for tel: (Teams, a softphone, Jabber) answers it.
const DefaultCallURI = "tel:{number}"

// callPlaceholders are the names a call template may use.
var callPlaceholders = []string{"number", "email"}

var placeholderPattern = regexp.MustCompile(`\{[^{}]*\}`)

// UnknownCallPlaceholder is the first {name} in template that is not
// {number} or {email}, "" when there is none.
func UnknownCallPlaceholder(template string) string {
	return unknownPlaceholder(template, callPlaceholders)
}

// validDialPrefix: digits, and the * and # a PBX may want for an outside line.
var validDialPrefix = regexp.MustCompile(`^[0-9*#]*$`)

// ValidDialPrefix reports whether prefix can be dialled before a number.
func ValidDialPrefix(prefix string) bool { return validDialPrefix.MatchString(prefix) }

// ErrNothingToCall: the template needs a number or an address the colleague
// does not have, or their number holds something no phone can dial.
var ErrNothingToCall = errors.New("nothing to call")

// NormaliseNumber is number as a phone dials it: spaces, dots, brackets and
// dashes removed, a leading + kept. Anything else that is not a digit, * or #
// (a letter, "ext") makes it undiallable: ok is false.
func NormaliseNumber(number string) (string, bool) {
	number = strings.TrimSpace(number)
	var b strings.Builder
	for i, r := range number {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9', r == '*', r == '#':
			b.WriteRune(r)
		case strings.ContainsRune(" \t.()[]-/\u00a0", r):
		default:
			return "", false
		}
	}
	out := b.String()
	if strings.TrimPrefix(out, "+") == "" {
		return "", false
	}
	return out, true
}

// CallURI fills template with the colleague's number (normalised, after
// dialPrefix) and email. In an http(s) template (a Teams link) the values are
// query-escaped; in any other (tel:, sip:, callto:) path-escaped, so "#" or a
// stray character cannot change what the URI means.
func CallURI(template, dialPrefix, number, email string) (*url.URL, error) {
	if template == "" {
		template = DefaultCallURI
	}
	if p := UnknownCallPlaceholder(template); p != "" {
		return nil, fmt.Errorf("call template: unknown placeholder %s", p)
	}
	escape := url.PathEscape
	lower := strings.ToLower(template)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		escape = url.QueryEscape
	}
	filled := template
	if strings.Contains(template, "{number}") {
		n, ok := NormaliseNumber(number)
		if !ok {
			return nil, ErrNothingToCall
		}
		filled = strings.ReplaceAll(filled, "{number}", escape(dialPrefix+n))
	}
	if strings.Contains(template, "{email}") {
		if strings.TrimSpace(email) == "" {
			return nil, ErrNothingToCall
		}
		filled = strings.ReplaceAll(filled, "{email}", escape(strings.TrimSpace(email)))
	}
	u, err := url.Parse(filled)
	if err != nil {
		return nil, fmt.Errorf("call template: %w", err)
	}
	if u.Scheme == "" {
		return nil, fmt.Errorf("call template %q has no scheme (tel, sip, https)", template)
	}
	return u, nil
}
