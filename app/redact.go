package app

import (
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/frontdesk-app/frontdesk/calendar"
)

var (
	// urlUserinfo is the "user:password@" of an address such as
	// https://user:pass@host/ (RFC 3986 userinfo).
	urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://)[^\s/?#@"'<>]*@`)
	// schemeCredential is the credential after an HTTP authentication scheme
	// ("Bearer eyJ...", "Basic dXNlcjpwYXNz"), as a header copied into a
	// message carries it.
	schemeCredential = regexp.MustCompile(`(?i)\b(bearer|basic|ntlm|negotiate|digest)(\s+)([A-Za-z0-9+/=._~\-]{8,})`)
	// jwt is anything shaped like a JSON Web Token (access and ID tokens).
	jwt = regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*`)
	// keyValue is a named value in a query string ("access_token=..."), a
	// header line ("Authorization: ..."), TOML ("password = \"...\"") or JSON
	// ("\"password\":\"...\""): the value is hidden when the name is secret.
	keyValue = regexp.MustCompile(`(["']?)([A-Za-z][A-Za-z0-9_\-.]*)(["']?)` +
		`(?:([ \t]*=[ \t]*)("[^"\n]*"|'[^'\n]*'|[^\s&;,"'<>]+)` + // name=value, name = "value"
		`|([ \t]*:[ \t]*)("[^"\n]*"|'[^'\n]*')` + // "name":"value"
		`|([ \t]*:[ \t]+)([^\s&;,"'<>]+))`) // Name: value (never the "://" of a URL)
)

// scrubText hides the secrets that can hide in free text: the userinfo of a
// URL, bearer tokens, JWTs and secret query parameters. It is the last line of
// defence for error messages and log text that quote what they were given.
func scrubText(s string) string {
	// The labelled forms first, so a labelled value goes whole; then every
	// secret the process knows, wherever it stands (calendar.ScrubSecrets).
	return calendar.ScrubSecrets(scrubLabelled(s))
}

// scrubLabelled hides the secrets that are recognisable by their label or shape.
func scrubLabelled(s string) string {
	if !strings.ContainsAny(s, "@=:") && !strings.Contains(s, "eyJ") && !schemeCredential.MatchString(s) {
		return s
	}
	s = urlUserinfo.ReplaceAllString(s, "${1}"+calendar.Redacted+"@")
	s = jwt.ReplaceAllString(s, calendar.Redacted)
	s = schemeCredential.ReplaceAllStringFunc(s, func(m string) string {
		sub := schemeCredential.FindStringSubmatch(m)
		if !looksLikeCredential(sub[3]) {
			return m // "Basic authentication", "bearer of"
		}
		return sub[1] + sub[2] + calendar.Redacted
	})
	return scrubPairs(s)
}

// scrubPairs hides the value of every name=value or name: value pair whose
// name is secret. After a pair whose name is not, the search goes on from its
// value rather than past it, so the pair in "server said: password=x", whose
// "said: password=" matches first, still has its value hidden.
func scrubPairs(s string) string {
	var out strings.Builder
	written := 0 // s[:written] is in out
	for pos := 0; pos < len(s); {
		m := keyValue.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			break
		}
		// The value is whichever of groups 5, 7 and 9 matched.
		start, end := -1, -1
		for g := 5; g <= 9; g += 2 {
			if m[2*g] >= 0 {
				start, end = pos+m[2*g], pos+m[2*g+1]
			}
		}
		name, value := s[pos+m[4]:pos+m[5]], s[start:end]
		if !calendar.IsSecretName(name) || strings.Contains(value, calendar.Redacted) {
			pos = start
			continue
		}
		hidden := calendar.Redacted
		if q := value[:1]; q == `"` || q == "'" {
			hidden = q + hidden + q
		}
		out.WriteString(s[written:start])
		out.WriteString(hidden)
		written, pos = end, end
	}
	if written == 0 {
		return s
	}
	out.WriteString(s[written:])
	return out.String()
}

// looksLikeCredential tells a token or base64 credential from a word: it
// holds a digit or a symbol, or upper case after its first letter.
func looksLikeCredential(s string) bool {
	for i, r := range s {
		if unicode.IsDigit(r) || strings.ContainsRune("+/=._~-", r) || (i > 0 && unicode.IsUpper(r)) {
			return true
		}
	}
	return false
}

// redactAttr is the log handler's ReplaceAttr hook: it hides secrets by key
// (the attribute's own key or any group it sits in), and walks every value for
// secrets by key and in text.
func redactAttr(groups []string, a slog.Attr) slog.Attr {
	if calendar.IsSecretName(a.Key) {
		return slog.String(a.Key, calendar.Redacted)
	}
	for _, g := range groups {
		if calendar.IsSecretName(g) {
			return slog.String(a.Key, calendar.Redacted)
		}
	}
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(scrubText(a.Value.String()))
	case slog.KindDuration:
		// "1m0s", as the config file writes it, not 60000000000.
		a.Value = slog.StringValue(a.Value.Duration().String())
	case slog.KindTime:
		if a.Value.Time().IsZero() {
			return slog.Attr{} // "no time": left out, not 0001-01-01T00:00:00Z
		}
	case slog.KindAny:
		a.Value = slog.AnyValue(redactAny(reflect.ValueOf(a.Value.Any()), 0))
	}
	return a
}

// maxRedactDepth bounds the walk, so a cyclic structure cannot hang the log.
const maxRedactDepth = 12

var (
	errorType         = reflect.TypeFor[error]()
	logValuerType     = reflect.TypeFor[slog.LogValuer]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
)

// redactAny returns a copy of v that is safe to log: map entries and struct
// fields with secret names are redacted, strings are scrubbed, errors become
// their scrubbed text, and LogValuers (calendar.Secret) are resolved. Types
// that encode themselves (time.Time, calendar.Secret) are kept as they are.
func redactAny(v reflect.Value, depth int) any {
	if !v.IsValid() {
		return nil
	}
	if depth > maxRedactDepth {
		return "[TOO DEEP]"
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case *url.URL:
			if x != nil {
				return scrubText(x.Redacted())
			}
		case time.Duration:
			return x.String()
		}
	}
	t := v.Type()
	switch {
	case t.Implements(logValuerType) && v.CanInterface():
		if isNilPointer(v) {
			return nil
		}
		resolved := v.Interface().(slog.LogValuer).LogValue().Resolve()
		if resolved.Kind() == slog.KindAny {
			return redactAny(reflect.ValueOf(resolved.Any()), depth+1)
		}
		if resolved.Kind() == slog.KindString {
			return scrubText(resolved.String())
		}
		return resolved.Any()
	case t.Implements(errorType) && v.CanInterface():
		if isNilPointer(v) {
			return nil
		}
		return scrubText(v.Interface().(error).Error())
	case (t.Implements(textMarshalerType) || t.Implements(jsonMarshalerType)) && v.CanInterface():
		return v.Interface()
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return redactAny(v.Elem(), depth+1)
	case reflect.String:
		return scrubText(v.String())
	case reflect.Map:
		out := make(map[string]any, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			key := mapKeyString(iter.Key())
			if calendar.IsSecretName(key) {
				out[key] = calendar.Redacted
				continue
			}
			out[key] = redactAny(iter.Value(), depth+1)
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			// Raw bytes may be anything, a body with a token in it included.
			return fmt.Sprintf("[%d bytes]", v.Len())
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = redactAny(v.Index(i), depth+1)
		}
		return out
	case reflect.Struct:
		out := make(map[string]any, v.NumField())
		for i := 0; i < v.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Name
			if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == "-" {
				continue
			} else if tag != "" {
				name = tag
			}
			if calendar.IsSecretName(name) || calendar.IsSecretName(f.Name) {
				out[name] = calendar.Redacted
				continue
			}
			if zeroTime(v.Field(i)) {
				continue // "no time", as for a top-level attribute
			}
			out[name] = redactAny(v.Field(i), depth+1)
		}
		return out
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return t.String()
	}
	if v.CanInterface() {
		return v.Interface()
	}
	return nil
}

func isNilPointer(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return v.IsNil()
	}
	return false
}

func mapKeyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if k.CanInterface() {
		return fmt.Sprint(k.Interface())
	}
	return k.Type().String()
}

// zeroTime reports whether v is a time.Time that was never set.
func zeroTime(v reflect.Value) bool {
	t, ok := v.Interface().(time.Time)
	return ok && t.IsZero()
}
