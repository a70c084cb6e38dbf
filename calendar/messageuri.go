package calendar

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultChatURI opens a Teams chat with the colleague, the message typed in
// and not yet sent: the operator reads it over and presses Enter in Teams.
const DefaultChatURI = "https://teams.microsoft.com/l/chat/0/0?users={email}&message={text}"

// chatPlaceholders are the names a chat template may use.
var chatPlaceholders = []string{"email", "text"}

// MessagePlaceholders are the names a message template may use: the
// colleague's first name, the caller's (or visitor's) name and number, and
// the time the message is sent.
var MessagePlaceholders = []string{"name", "caller", "number", "time"}

// UnknownChatPlaceholder is the first {name} in template that is not
// {email} or {text}, "" when there is none.
func UnknownChatPlaceholder(template string) string {
	return unknownPlaceholder(template, chatPlaceholders)
}

// UnknownMessagePlaceholder is the first {name} in a message template that
// is not one of MessagePlaceholders, "" when there is none.
func UnknownMessagePlaceholder(template string) string {
	return unknownPlaceholder(template, MessagePlaceholders)
}

func unknownPlaceholder(template string, known []string) string {
	for _, p := range placeholderPattern.FindAllString(template, -1) {
		name := strings.Trim(p, "{}")
		ok := false
		for _, k := range known {
			ok = ok || name == k
		}
		if !ok {
			return p
		}
	}
	return ""
}

// MessageUses reports whether template asks for placeholder name ("caller").
func MessageUses(template, name string) bool {
	return strings.Contains(template, "{"+name+"}")
}

// FillMessage puts values into a message template's placeholders; one
// without a value is left empty.
func FillMessage(template string, values map[string]string) string {
	return placeholderPattern.ReplaceAllStringFunc(template, func(p string) string {
		return values[strings.Trim(p, "{}")]
	})
}

// ErrNoAddress: the colleague has no email address to write to.
var ErrNoAddress = errors.New("no email address")

// ChatURI fills a chat template with the colleague's address and the message.
// Both are percent-encoded as RFC 3986 asks (a space is %20, never +), so an
// "&", a "#" or any letter of any language in the message stays in it.
func ChatURI(template, email, text string) (*url.URL, error) {
	if template == "" {
		template = DefaultChatURI
	}
	if p := UnknownChatPlaceholder(template); p != "" {
		return nil, fmt.Errorf("chat template: unknown placeholder %s", p)
	}
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, ErrNoAddress
	}
	filled := strings.NewReplacer("{email}", percentEncode(email, ""), "{text}", percentEncode(text, "")).Replace(template)
	u, err := url.Parse(filled)
	if err != nil {
		return nil, fmt.Errorf("chat template: %w", err)
	}
	if u.Scheme == "" {
		return nil, fmt.Errorf("chat template %q has no scheme (https, msteams)", template)
	}
	return u, nil
}

// MailtoURI is a mailto: link (RFC 6068) to email with subject and body.
// Everything but the address's "@" and the unreserved characters is
// percent-encoded as UTF-8; line breaks go as %0D%0A, as the RFC asks.
func MailtoURI(email, subject, body string) (*url.URL, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, ErrNoAddress
	}
	var b strings.Builder
	b.WriteString("mailto:" + percentEncode(email, "@"))
	sep := "?"
	if subject != "" {
		b.WriteString(sep + "subject=" + percentEncode(strings.Join(strings.Fields(subject), " "), ""))
		sep = "&"
	}
	if body != "" {
		body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
		b.WriteString(sep + "body=" + percentEncode(strings.ReplaceAll(body, "\n", "\r\n"), ""))
	}
	return url.Parse(b.String())
}

// percentEncode keeps RFC 3986's unreserved characters (and those in keep)
// and percent-encodes every other byte of s's UTF-8.
func percentEncode(s, keep string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
