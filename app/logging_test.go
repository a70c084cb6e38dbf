package app

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Secrets must never reach the log file, whether passed by type or by key, at
// any level, nested in groups or not. The test greps the real file.
func TestLogNeverContainsSecrets(t *testing.T) {
	dir := t.TempDir()
	lg, err := OpenLog(dir, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	const (
		token    = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl"
		password = "Winter2026!correct-horse"
		refresh  = "0.AAAA-refresh-token-value-1234567890"
	)
	log := lg.Logger
	tests := []struct {
		name string
		log  func()
	}{
		{"secret type", func() { log.Info("sign-in", "credential", Secret(password)) }},
		{"password key", func() { log.Warn("ews", "password", password) }},
		{"authorization header", func() { log.Debug("request", "Authorization", "Bearer "+token) }},
		{"token key", func() { log.Info("token", "access_token", token, "refresh_token", refresh) }},
		{"client secret", func() { log.Error("app", "client_secret", password) }},
		{"nested group", func() { log.Info("http", slog.Group("req", slog.String("authorization", "Basic "+password))) }},
		{"secret in With", func() { log.With("token", token).Info("later") }},
		{"secret formatted with fmt", func() { log.Info("value " + Secret(password).String()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.log() })
	}
	log.Info("after secrets", "user", "operator@example.com")
	if err := lg.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, LogFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{token, password, refresh, "c2VjcmV0LXBheWxvYWQ", "correct-horse"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("log contains %q:\n%s", secret, data)
		}
	}
	if !strings.Contains(string(data), "operator@example.com") || strings.Count(string(data), redacted) < 7 {
		t.Errorf("the log lost the ordinary lines or the redaction markers:\n%s", data)
	}
}

func TestSecretKeyMatching(t *testing.T) {
	tests := map[string]bool{
		"password": true, "Authorization": true, "refresh_token": true, "ews.password": true,
		"client_secret": true, "user": false, "tokens_left": false, "subject": false,
	}
	for key, want := range tests {
		if got := isSecretKey(key); got != want {
			t.Errorf("isSecretKey(%q) = %v, want %v", key, got, want)
		}
	}
}
