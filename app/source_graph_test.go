package app

import (
	"context"
	"errors"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/graph"
)

func TestNewGraphSource(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Microsoft365.ClientID = "6731de76-14a6-49ae-97bc-6eba6914391e"
	cfg.Microsoft365.GraphURL = "http://127.0.0.1:4010/v1.0"
	cfg.People.Emails = []string{"adelev@contoso.onmicrosoft.com"}

	tests := []struct {
		name     string
		token    string
		wantKind calendar.Kind
	}{
		{name: "signed out", token: "", wantKind: calendar.KindAuth},
		{name: "headless token", token: "automation-token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := &Env{Getenv: func(k string) string {
				if k == GraphTokenEnv {
					return tc.token
				}
				return ""
			}, Paths: Paths{StateDir: t.TempDir()}}
			useAuthTestKeyring(t)
			src, err := env.newGraphSource(context.Background(), cfg)
			if err == nil && tc.wantKind != calendar.KindOther {
				// Signed out is found when the first token is asked for, silently:
				// no request leaves and no browser opens from a refresh.
				_, err = src.(*graph.Source).Availability(context.Background(), []calendar.Person{{Email: "adelev@contoso.onmicrosoft.com"}}, calendar.Window{})
			}
			if tc.wantKind != calendar.KindOther {
				var ce *calendar.Error
				if !errors.As(err, &ce) || ce.Kind != tc.wantKind {
					t.Fatalf("err = %v", err)
				}
				if exitCodeFor(err) != ExitAuth {
					t.Errorf("exit code %d, want %d", exitCodeFor(err), ExitAuth)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gs, ok := src.(*graph.Source)
			if !ok || gs.Name() != ProviderM365 || gs.Limits() != (calendar.Limits{BatchSize: 20, MaxConcurrent: 4}) || !gs.PresenceEnabled() {
				t.Errorf("source = %#v", src)
			}
		})
	}
}
