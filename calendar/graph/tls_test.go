package graph

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/testcert"
)

// Each TLS failure is named as what it is, with the fix that can work: only
// an unknown authority points at a CA certificate, and none says "cannot
// reach the server … keeps trying", which no retry would fix.
func TestTLSFailuresAreNamed(t *testing.T) {
	answered := false
	ca, urls := testcert.Cases(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answered = true
		writeJSON(w, 200, `{"value":[]}`)
	}))
	tests := []struct {
		problem string
		want    []string // in the operator's sentence
		notWant []string
	}{
		{"expired", []string{"has expired", "date and time"}, []string{"authority"}},
		{"wrong-name", []string{"another name", "microsoft365.graph_url"}, []string{"authority", "expired"}},
		{"not-tls", []string{"plain http", "microsoft365.graph_url"}, []string{"authority", "expired"}},
		{"untrusted", []string{"authority this computer does not trust", "install"}, []string{"expired"}},
	}
	for _, tt := range tests {
		t.Run(tt.problem, func(t *testing.T) {
			s, err := New(Options{GraphURL: urls[tt.problem] + "/v1.0", Token: StaticToken("test-token"),
				People:    People{Emails: []string{"adelev@contoso.com"}},
				Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool}}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Directory(context.Background())
			var ce *calendar.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *calendar.Error", err)
			}
			if ce.Kind != calendar.KindConfig || ce.Code != "TLS" {
				t.Errorf("kind %v code %q, want config TLS: %v", ce.Kind, ce.Code, err)
			}
			hint := ce.HintText()
			for _, w := range tt.want {
				if !strings.Contains(hint, w) {
					t.Errorf("hint %q lacks %q", hint, w)
				}
			}
			for _, w := range append(tt.notWant, "keeps trying") {
				if strings.Contains(hint, w) {
					t.Errorf("hint %q says %q", hint, w)
				}
			}
			if !strings.Contains(hint, "127.0.0.1:") {
				t.Errorf("hint %q does not name the server", hint)
			}
		})
	}
	if answered {
		t.Error("a request got through a failed handshake")
	}
}
