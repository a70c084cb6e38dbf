package app

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// log_level in config.toml sets the log's level; FRONTDESK_LOG_LEVEL wins
// over it; a level that is not one is refused naming the key.
func TestLogLevelFromConfig(t *testing.T) {
	tests := []struct {
		name    string
		config  string
		envVar  string
		want    slog.Level
		wantErr string
	}{
		{"default info", "provider = \"demo\"\n", "", slog.LevelInfo, ""},
		{"config debug", "provider = \"demo\"\nlog_level = \"debug\"\n", "", slog.LevelDebug, ""},
		{"environment wins", "provider = \"demo\"\nlog_level = \"debug\"\n", "warn", slog.LevelWarn, ""},
		{"not a level", "provider = \"demo\"\nlog_level = \"chatty\"\n", "", slog.LevelInfo, "log_level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, tt.config)
			env := &Env{Stdout: io.Discard, Stderr: io.Discard, Paths: p, Now: time.Now,
				Getenv: func(k string) string {
					if k == "FRONTDESK_LOG_LEVEL" {
						return tt.envVar
					}
					return ""
				}}
			_, err := env.loadConfig(commonFlags{})
			var ce *ConfigError
			if tt.wantErr != "" {
				if !errors.As(err, &ce) || ce.Key != tt.wantErr || !strings.Contains(err.Error(), "chatty") {
					t.Fatalf("err %v, want a ConfigError on %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := env.logLevel.Level(); got != tt.want {
				t.Errorf("level %s, want %s", got, tt.want)
			}
			if tt.want == slog.LevelDebug && !env.Logger.Enabled(t.Context(), slog.LevelDebug) {
				t.Error("the open log does not write debug lines")
			}
		})
	}
}
