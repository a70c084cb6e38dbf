package calendar

import (
	"encoding/base64"
	"fmt"
	"html"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// A server that echoes what it was sent puts the secret back in any of the
// forms it travelled in: every one of them is hidden, whatever surrounds it.
func TestScrubSecretsHidesEveryForm(t *testing.T) {
	const user, password, token = `CONTOSO\reception`, `Pw<&>"q' 9/+x`, "opaque-token-4f3a9b"
	RegisterBasicCredentials(user, Secret(password))
	RegisterSecret(Secret(token))
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	tests := []struct{ name, text string }{
		{"the password as is", "logon failed for " + password + " (bad)"},
		{"the password in base64", "you sent " + base64.StdEncoding.EncodeToString([]byte(password))},
		{"the password in URL-safe base64 without padding", "x" + base64.RawURLEncoding.EncodeToString([]byte(password)) + "x"},
		{"base64(user:password), the Basic header's value", "Authorization header was: " + basic},
		{"base64(user:password) without padding", "<p>" + base64.RawStdEncoding.EncodeToString([]byte(user+":"+password)) + "</p>"},
		{"the password percent-encoded", "GET /?p=" + url.QueryEscape(password)},
		{"the password HTML-escaped", "<p>" + html.EscapeString(password) + "</p>"},
		{"the password JSON-escaped", `{"message":"` + strings.NewReplacer(`"`, `\"`, "<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(password) + `"}`},
		{"the token alone", "token " + token + " expired"},
		{"the token in base64", base64.StdEncoding.EncodeToString([]byte(token))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScrubSecrets(tt.text)
			for _, leak := range []string{password, token, basic, base64.StdEncoding.EncodeToString([]byte(password))} {
				if strings.Contains(got, leak) {
					t.Errorf("ScrubSecrets(%q) = %q: still carries %q", tt.text, got, leak)
				}
			}
			if !strings.Contains(got, Redacted) {
				t.Errorf("ScrubSecrets(%q) = %q: nothing hidden", tt.text, got)
			}
		})
	}
}

// Text without a registered secret comes back as it was, and a value too
// short to be told from ordinary words is not registered at all.
func TestScrubSecretsLeavesOtherTextAlone(t *testing.T) {
	RegisterSecret("abc")
	RegisterSecret("")
	for _, text := range []string{"", "abc def", "Cannot reach the server abcabc"} {
		if got := ScrubSecrets(text); got != text {
			t.Errorf("ScrubSecrets(%q) = %q, want it unchanged", text, got)
		}
	}
}

// Registering from many goroutines while others scrub is safe (run with
// -race), and the registry keeps its bound: the oldest forms go first, a
// form in use stays.
func TestSecretRegistryConcurrentAndBounded(t *testing.T) {
	const inUse = "password-in-use-7c1d"
	RegisterSecret(inUse)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				RegisterSecret(Secret(fmt.Sprintf("token-%d-%d-abcdef", g, i)))
				RegisterSecret(inUse) // sent with every request
				_ = ScrubSecrets("nothing here token-1-1-abcdef")
			}
		}()
	}
	wg.Wait()
	secrets.mu.Lock()
	n := len(secrets.order)
	secrets.mu.Unlock()
	if n > maxSecretForms {
		t.Errorf("%d forms registered, want at most %d", n, maxSecretForms)
	}
	if got := ScrubSecrets("pw " + inUse); strings.Contains(got, inUse) {
		t.Errorf("the password in use was forgotten: %q", got)
	}
	// Which goroutine registered last is up to the scheduler; the token
	// registered after them all is the newest for certain.
	RegisterSecret("token-newest-abcdef")
	if got := ScrubSecrets("newest token-newest-abcdef"); strings.Contains(got, "token-newest-abcdef") {
		t.Errorf("the newest token is not hidden: %q", got)
	}
}

// How much a full registry costs each output line: 512 forms registered (a
// month of hourly tokens), a 300-byte log line with nothing to hide.
func BenchmarkScrubSecretsFullRegistry(b *testing.B) {
	for i := 0; len(secrets.order) < maxSecretForms; i++ {
		RegisterSecret(Secret(fmt.Sprintf("bench-token-%04d-eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", i)))
	}
	line := strings.Repeat(`{"level":"INFO","msg":"http request","host":"graph.microsoft.com"} `, 4)
	b.ReportAllocs()
	for b.Loop() {
		_ = ScrubSecrets(line)
	}
}

// What registering the token costs each Graph request once it is known.
func BenchmarkRegisterKnownSecret(b *testing.B) {
	for i := 0; len(secrets.order) < maxSecretForms; i++ {
		RegisterSecret(Secret(fmt.Sprintf("bench-token-%04d-eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", i)))
	}
	tok := Secret("bench-token-0500-eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9")
	RegisterSecret(tok)
	b.ReportAllocs()
	for b.Loop() {
		RegisterSecret(tok)
	}
}
