package calendar

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// The secret registry is the one scrubber of the process. Every password and
// token the process holds is registered where it enters (the environment, the
// keyring, the password prompt, MSAL's token cache, the transports that send
// it), and every output passes ScrubSecrets: stdout, stderr, the log, the
// window's messages, the diagnostics bundle, and server-supplied text before
// it is stored in an error. A server that echoes the Authorization header
// back in its error text then echoes nothing anyone can read, whatever the
// words around the value: the labelled forms ("Authorization:",
// "password=") are the log's own scrubber's job, the value itself is this one's.

// minSecretLen is the shortest value registered: hiding every "abc" of the
// output would garble it, and such a password protects nothing anyway.
const minSecretLen = 4

// maxSecretForms bounds the registry: a console that runs for a month
// registers a new access token every hour. The oldest forms go first; a form
// registered again (the password on every request) counts as new.
const maxSecretForms = 512

var secrets secretRegistry

type secretRegistry struct {
	mu sync.Mutex
	// order lists the registered forms, least recently registered first.
	order []string
	known map[string]bool
	// replacer hides every registered form; nil until one is registered.
	replacer atomic.Pointer[strings.Replacer]
}

// RegisterSecret adds a password or token, and the encodings a server might
// echo it in, to the forms ScrubSecrets hides. Safe for concurrent use;
// registering a known secret again is cheap.
func RegisterSecret(s Secret) { secrets.add(secretForms(s.Reveal())...) }

// RegisterBasicCredentials registers password and the value of the Basic
// Authorization header that carries it with user: base64("user:password").
func RegisterBasicCredentials(user string, password Secret) {
	pw := password.Reveal()
	if len(pw) < minSecretLen {
		return
	}
	pair := []byte(user + ":" + pw)
	secrets.add(append(secretForms(pw),
		base64.StdEncoding.EncodeToString(pair), base64.RawStdEncoding.EncodeToString(pair),
		base64.URLEncoding.EncodeToString(pair), base64.RawURLEncoding.EncodeToString(pair))...)
}

// ScrubSecrets returns text with every registered secret, in each of its
// registered forms, replaced by Redacted.
func ScrubSecrets(text string) string {
	r := secrets.replacer.Load()
	if r == nil || text == "" {
		return text
	}
	return r.Replace(text)
}

// secretForms are the spellings of v that can reach an output: as is, in
// base64 (a token or password a server decoded or re-encoded), percent-encoded
// (a query or form body), HTML/XML-escaped (an error page) and JSON-escaped
// (an error message quoted in a JSON answer).
func secretForms(v string) []string {
	if len(v) < minSecretLen {
		return nil
	}
	forms := []string{v,
		base64.StdEncoding.EncodeToString([]byte(v)), base64.RawStdEncoding.EncodeToString([]byte(v)),
		base64.URLEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)),
		url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v)}
	if quoted, err := json.Marshal(v); err == nil {
		forms = append(forms, string(quoted[1:len(quoted)-1]))
	}
	return forms
}

func (r *secretRegistry) add(forms ...string) {
	if len(forms) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known == nil {
		r.known = map[string]bool{}
	}
	changed := false
	for _, f := range forms {
		if len(f) < minSecretLen {
			continue
		}
		if r.known[f] {
			if i := slices.Index(r.order, f); i >= 0 && i < len(r.order)-1 {
				// Seen again: it is in use, so it is the last to be forgotten.
				r.order = append(slices.Delete(r.order, i, i+1), f)
			}
			continue
		}
		r.known[f] = true
		r.order = append(r.order, f)
		changed = true
	}
	for len(r.order) > maxSecretForms {
		delete(r.known, r.order[0])
		r.order = r.order[1:]
		changed = true
	}
	if !changed {
		return
	}
	// Longest first: where two forms start at one place (a password and the
	// base64 of user:password that may begin like it), the whole longer one goes.
	byLength := slices.Clone(r.order)
	slices.SortStableFunc(byLength, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(byLength))
	for _, f := range byLength {
		pairs = append(pairs, f, Redacted)
	}
	r.replacer.Store(strings.NewReplacer(pairs...))
}
