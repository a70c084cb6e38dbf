package ews

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// ntlmChallenge is a minimal NTLM CHALLENGE message (type 2) with an empty
// target info, enough for the negotiator to answer with AUTHENTICATE.
func ntlmChallenge() string {
	msg := make([]byte, 52)
	copy(msg, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(msg[8:], 2)
	binary.LittleEndian.PutUint32(msg[16:], 48) // target name: empty, at 48
	binary.LittleEndian.PutUint32(msg[20:], 0x1|0x200|0x80000|0x800000)
	copy(msg[24:32], "chal1234")
	binary.LittleEndian.PutUint16(msg[40:], 4) // target info: MsvAvEOL
	binary.LittleEndian.PutUint16(msg[42:], 4)
	binary.LittleEndian.PutUint32(msg[44:], 48)
	return base64.StdEncoding.EncodeToString(msg)
}

// A 401 counts as a rejected password only when the server looked at one:
// Basic sent where only NTLM is offered, or NTLM where no challenge came,
// names the setting to change and records nothing; a real rejection still
// reaches the guard.
func TestUnauthorizedWithoutALogonIsNotARejectedPassword(t *testing.T) {
	tests := []struct {
		name   string
		auth   Auth
		answer func(w http.ResponseWriter, r *http.Request)
		code   string // "" for a real rejection
	}{
		{"basic to an NTLM-only server", AuthBasic, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("WWW-Authenticate", "Negotiate")
			w.Header().Add("WWW-Authenticate", "NTLM")
			w.WriteHeader(http.StatusUnauthorized)
		}, "auth_scheme"},
		{"basic rejected", AuthBasic, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", `Basic realm="mail.contoso.com"`)
			w.WriteHeader(http.StatusUnauthorized)
		}, ""},
		{"basic, 401 without a challenge", AuthBasic, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
		}, ""},
		{"ntlm, 401 without a challenge", AuthNTLM, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
		}, "ntlm_no_challenge"},
		{"ntlm, offer without a challenge", AuthNTLM, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", "NTLM")
			w.WriteHeader(http.StatusUnauthorized)
		}, "ntlm_no_challenge"},
		{"ntlm to a Basic-only server", AuthNTLM, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", `Basic realm="mail.contoso.com"`)
			w.WriteHeader(http.StatusUnauthorized)
		}, "auth_scheme"},
		{"ntlm rejected after the handshake", AuthNTLM, func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.Header.Get("Authorization"), "NTLM TlRMTVNTUAAB") {
				w.Header().Set("WWW-Authenticate", "NTLM "+ntlmChallenge())
			} else {
				w.Header().Set("WWW-Authenticate", "NTLM")
			}
			w.WriteHeader(http.StatusUnauthorized)
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewTLSServer(http.HandlerFunc(tt.answer))
			t.Cleanup(ts.Close)
			caFile := filepath.Join(t.TempDir(), "ca.pem")
			if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
				t.Fatal(err)
			}
			hc, err := NewHTTPClient(HTTPOptions{Auth: tt.auth, CAFile: caFile, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			guard := &recordingGuard{}
			c, err := NewClient(ClientOptions{URL: ts.URL + "/EWS/Exchange.asmx", Auth: tt.auth, Username: `CONTOSO\frontdesk`,
				Password: testPassword, HTTPClient: hc, Guard: guard})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ResolveNames(context.Background(), "smtp:someone@contoso.com")
			if tt.code == "" {
				if guard.rejected != 1 || !errors.Is(err, errOnRecord) {
					t.Fatalf("a real rejection: %v, guard told %d times; want it recorded once", err, guard.rejected)
				}
				return
			}
			var ce *calendar.Error
			if !errors.As(err, &ce) || ce.Code != tt.code || ce.Kind != calendar.KindConfig {
				t.Fatalf("err %v, want a configuration error %s", err, tt.code)
			}
			if guard.rejected != 0 {
				t.Errorf("recorded as a rejected password %d times; no logon was tried", guard.rejected)
			}
			if ce.Code == "auth_scheme" && !strings.Contains(ce.Hint, "ews.auth = ") {
				t.Errorf("hint %q does not name the setting", ce.Hint)
			}
		})
	}
}
