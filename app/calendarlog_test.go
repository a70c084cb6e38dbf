package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// echoingSource is a server whose per-person errors quote whatever it was
// sent, credentials included, as a badly written proxy or server might.
type echoingSource struct {
	people []calendar.Person
	errs   map[string]error
}

func (s *echoingSource) Name() string { return "microsoft365" }
func (s *echoingSource) Limits() calendar.Limits {
	return calendar.Limits{BatchSize: 20, MaxConcurrent: 1}
}
func (s *echoingSource) Directory(context.Context) ([]calendar.Person, error) {
	return s.people, nil
}

func (s *echoingSource) Availability(_ context.Context, people []calendar.Person, w calendar.Window) ([]calendar.Availability, error) {
	out := make([]calendar.Availability, len(people))
	for i, p := range people {
		out[i] = calendar.Availability{Person: p, Window: w, Err: s.errs[p.Email]}
	}
	return out, nil
}

// The engine's line about an unreadable calendar carries the back end's own
// text; through the log file's handler no credential in it survives.
func TestCalendarFailureLineCarriesNoSecret(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"bearer token", "proxy refused the request with Authorization: Bearer " + plantedOpaque},
		{"JWT", "token " + plantedToken + " is not valid for this mailbox"},
		{"URL userinfo", "could not reach https://frontdesk:" + plantedPassword + "@mail.contoso.com/EWS/Exchange.asmx"},
		{"secret query parameter", "redirected to https://login.example/authorize?access_token=" + plantedOpaque + "&state=1"},
		{"password pair", `server said: password="` + plantedPassword + `" rejected`},
	}
	people := make([]calendar.Person, len(tests))
	errs := map[string]error{}
	for i, tt := range tests {
		people[i] = calendar.Person{Name: tt.name, Email: "p" + string(rune('a'+i)) + "@contoso.com"}
		errs[people[i].Email] = &calendar.ReasonError{Text: tt.text, Reason: calendar.ErrCalendarNotShared}
	}

	dir := t.TempDir()
	lg, err := OpenLog(dir, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	r, err := calendar.NewRefresher(calendar.RefresherOptions{Source: &echoingSource{people: people, errs: errs},
		Location: time.UTC, Logger: lg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.RefreshOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := lg.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, LogFileName))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, `"msg":"calendar unreadable"`) {
			lines = append(lines, line)
		}
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var line string
			for _, l := range lines {
				if strings.Contains(l, `"mail":"`+people[i].Email+`"`) {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("no line about %s; the log holds:\n%s", people[i].Email, data)
			}
			for _, p := range []string{plantedPassword, plantedToken, plantedOpaque, "canary"} {
				if strings.Contains(line, p) {
					t.Errorf("the line carries the planted %q:\n%s", p, line)
				}
			}
			if !strings.Contains(line, calendar.Redacted) || !strings.Contains(line, `"reason":"not_shared"`) {
				t.Errorf("want the error text with %s and the reason kept:\n%s", calendar.Redacted, line)
			}
		})
	}
}
