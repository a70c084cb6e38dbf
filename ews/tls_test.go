package ews

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/testcert"
)

// Each TLS failure is named as what it is, with the fix that can work: only
// an authority the computer does not know is fixed by ews.ca_file; an
// expired certificate or one for another name is not, and a plain http
// server on an https address is a wrong address, not "cannot reach".
func TestTLSFailuresAreNamed(t *testing.T) {
	answered := false
	ca, urls := testcert.Cases(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answered = true }))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		problem string
		want    []string
		notWant []string
	}{
		{"expired", []string{"has expired", "date and time", "renew"}, []string{"ca_file"}},
		{"wrong-name", []string{"another name", "ews.url"}, []string{"ca_file"}},
		{"not-tls", []string{"plain http", "ews.url"}, []string{"ca_file"}},
		{"untrusted", []string{"does not trust", "ews.ca_file", "CA file in Settings"}, []string{"expired"}},
	}
	for _, tt := range tests {
		t.Run(tt.problem, func(t *testing.T) {
			hc, err := NewHTTPClient(HTTPOptions{Auth: AuthBasic, CAFile: caFile, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			c, err := NewClient(ClientOptions{URL: urls[tt.problem] + "/EWS/Exchange.asmx", Auth: AuthBasic,
				Username: `CONTOSO\frontdesk`, Password: testPassword, HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ResolveNames(context.Background(), "dpark")
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
			for _, w := range tt.notWant {
				if strings.Contains(hint, w) {
					t.Errorf("hint %q says %q", hint, w)
				}
			}
		})
	}
	if answered {
		t.Error("a request got through a failed handshake")
	}
}
