package ews

import (
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

const testPassword = Password("correct horse battery staple")

// pacific is the zone of the documented examples.
func pacific(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// startResponder serves h over TLS on 127.0.0.1 and returns a client that
// trusts the server only through a CA file, as ews.ca_file does. The
// responder's protocol checks must pass for every request the test sent.
func startResponder(t testing.TB, h ewstest.Handler) (*Client, *ewstest.Responder) {
	t.Helper()
	rs := &ewstest.Responder{Version: DefaultVersion, Handle: h}
	srv := httptest.NewTLSServer(rs)
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("responder not on loopback: %s", srv.URL)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	hc, err := NewHTTPClient(HTTPOptions{Auth: AuthBasic, CAFile: caFile, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(ClientOptions{URL: srv.URL + "/EWS/Exchange.asmx", Version: DefaultVersion, Auth: AuthBasic,
		Username: "CONTOSO\\frontdesk", Password: testPassword, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, v := range rs.Violations() {
			t.Errorf("responder: %s", v)
		}
		for _, r := range rs.Requests() {
			if !r.HasAuth || r.User != "CONTOSO\\frontdesk" {
				t.Errorf("request %s without the Basic credentials", r.Operation)
			}
		}
	})
	return c, rs
}

func fixture(name string) ewstest.Answer { return ewstest.Answer{Body: ewstest.Fixture(name)} }

func people(emails ...string) []calendar.Person {
	out := make([]calendar.Person, len(emails))
	for i, e := range emails {
		out[i] = calendar.Person{Name: e, Email: e}
	}
	return out
}

// documentedDay is the day of the documented GetUserAvailability example.
func documentedDay(t testing.TB) calendar.Window {
	loc := pacific(t)
	start := time.Date(2006, 10, 16, 0, 0, 0, 0, loc)
	return calendar.Window{Start: start, End: start.AddDate(0, 0, 1)}
}

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
