package ews

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// meteredResponder is startResponder with the HTTP client counting in meter.
func meteredResponder(t *testing.T, meter *calendar.RequestMeter, h ewstest.Handler) (*Client, *ewstest.Responder) {
	t.Helper()
	rs := &ewstest.Responder{Version: DefaultVersion, Handle: h}
	srv := httptest.NewTLSServer(rs)
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	hc, err := NewHTTPClient(HTTPOptions{Auth: AuthBasic, CAFile: caFile, Timeout: 10 * time.Second, Requests: meter})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(ClientOptions{URL: srv.URL + "/EWS/Exchange.asmx", Version: DefaultVersion, Auth: AuthBasic,
		Username: "CONTOSO\\frontdesk", Password: testPassword, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return c, rs
}

// TestEveryRequestIsCounted: ResolveNames per address, GetUserAvailability and
// GetMailTips all count in the meter the engine keeps its budget with.
func TestEveryRequestIsCounted(t *testing.T) {
	meter := calendar.NewRequestMeter(nil)
	c, rs := meteredResponder(t, meter, func(r *ewstest.Request) ewstest.Answer {
		switch r.Operation {
		case "ResolveNames":
			return fixture("resolvenames-noresults.xml")
		case "GetUserAvailability":
			ok := map[string]string{}
			for _, m := range r.Mailboxes {
				ok[strings.ToLower(m)] = ewstest.DocumentedFreeBusyResponses()[0]
			}
			return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, ok)}
		case "GetMailTips":
			return fixture("getmailtips.xml")
		}
		return ewstest.Answer{Status: 500}
	})
	emails := []string{"a@contoso.com", "b@contoso.com", "c@contoso.com"}
	src, err := NewSource(SourceOptions{Client: c, People: People{Emails: emails}, Location: time.UTC, Requests: meter})
	if err != nil {
		t.Fatal(err)
	}
	if src.RequestMeter() != meter {
		t.Fatal("the Source does not report its meter")
	}
	dir, err := src.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if _, err := src.Availability(context.Background(), dir, calendar.Window{Start: day, End: day.AddDate(0, 0, 1)}); err != nil {
		t.Fatal(err)
	}
	ops := map[string]int{}
	for _, r := range rs.Requests() {
		ops[r.Operation]++
	}
	if ops["ResolveNames"] != 3 || ops["GetUserAvailability"] != 1 || ops["GetMailTips"] != 1 {
		t.Fatalf("server saw %v", ops)
	}
	if got := meter.Sent(); got != int64(len(rs.Requests())) {
		t.Fatalf("the meter counted %d requests, the server saw %d", got, len(rs.Requests()))
	}
}

// TestUnreadableAnswers: an answer Exchange sent but nobody can read is the
// same calendar.UnreadableAnswer Graph reports, with the HTTP status.
func TestUnreadableAnswers(t *testing.T) {
	unknownFault := strings.Replace(ewstest.Fixture("fault-serverbusy.xml"), "ErrorServerBusy", "ErrorSomethingNew", -1)
	tests := []struct {
		name       string
		answer     ewstest.Answer
		wantStatus int // 0: not an unreadable answer
		wantKind   calendar.Kind
	}{
		{"an HTML page in a 200", ewstest.Answer{Body: "<html><body>Sign in</body></html>", Header: http.Header{"Content-Type": {"text/html"}}}, 200, calendar.KindTransient},
		{"cut-off XML", ewstest.Answer{Body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUserAvailabilityResponse>`}, 200, calendar.KindTransient},
		{"500 without a fault", ewstest.Answer{Status: 500, Body: "oops"}, 500, calendar.KindTransient},
		{"500 with an HTML page", ewstest.Answer{Status: 500, Body: "<html>Runtime Error</html>", Header: http.Header{"Content-Type": {"text/html"}}}, 500, calendar.KindTransient},
		{"500 with a fault Frontdesk does not know", ewstest.Answer{Status: 500, Body: unknownFault}, 500, calendar.KindTransient},
		{"501", ewstest.Answer{Status: 501}, 501, calendar.KindTransient},
		{"502 from a proxy is not reaching Exchange", ewstest.Answer{Status: 502, Body: "<html>Bad gateway</html>"}, 0, calendar.KindTransient},
		{"a known fault keeps its meaning", ewstest.Answer{Status: 500, Body: ewstest.Fixture("fault-serverbusy.xml")}, 0, calendar.KindThrottled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := startResponder(t, func(*ewstest.Request) ewstest.Answer { return tc.answer })
			_, err := c.GetUserAvailability(context.Background(), people("a@example.com"), documentedDay(t), pacific(t))
			var ua *calendar.UnreadableAnswer
			isUnreadable := errors.As(err, &ua)
			if isUnreadable != (tc.wantStatus != 0) || (isUnreadable && ua.Status != tc.wantStatus) {
				t.Fatalf("err = %v; want an unreadable answer with HTTP %d", err, tc.wantStatus)
			}
			if calendar.KindOf(err) != tc.wantKind {
				t.Errorf("kind %v, want %v (%v)", calendar.KindOf(err), tc.wantKind, err)
			}
			if isUnreadable && !strings.Contains(ua.OperatorMessage(), fmt.Sprintf("(HTTP %d)", tc.wantStatus)) {
				t.Errorf("message %q", ua.OperatorMessage())
			}
		})
	}
}

// TestUnreadableAnswerMarksTheBatchUnknown: a 200 nobody can read leaves that
// batch's people unknown with the reason, and the refresh goes on; a server
// error stays the whole call's, for the engine to back off.
func TestUnreadableAnswerMarksTheBatchUnknown(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answer  ewstest.Answer
		perUser bool
	}{
		{"an HTML page in a 200", ewstest.Answer{Body: "<html><body>Sign in</body></html>", Header: http.Header{"Content-Type": {"text/html"}}}, true},
		{"500 without a fault", ewstest.Answer{Status: 500, Body: "oops"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := startResponder(t, func(*ewstest.Request) ewstest.Answer { return tc.answer })
			src, err := NewSource(SourceOptions{Client: c, Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			batch := people("a@example.com", "b@example.com")
			av, err := src.Availability(context.Background(), batch, documentedDay(t))
			var ua *calendar.UnreadableAnswer
			if !tc.perUser {
				if av != nil || !errors.As(err, &ua) || ua.Status != 500 {
					t.Fatalf("got %v, %v; want the whole call to fail with HTTP 500", av, err)
				}
				return
			}
			if err != nil || len(av) != 2 {
				t.Fatalf("got %d answers, %v; want the batch answered, unknown", len(av), err)
			}
			for _, a := range av {
				if !errors.As(a.Err, &ua) || ua.Status != 200 {
					t.Errorf("%s: %v, want an unreadable answer (HTTP 200)", a.Person.Email, a.Err)
				}
			}
		})
	}
}

// TestCeilingIsThrottlingNotTransient: a request the meter holds back never
// leaves and reads as throttling, with the wait, not as a network failure.
func TestCeilingIsThrottlingNotTransient(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	meter := calendar.NewRequestMeter(func() time.Time { return now })
	c, rs := meteredResponder(t, meter, func(r *ewstest.Request) ewstest.Answer { return fixture("resolvenames-noresults.xml") })
	// Other requests of the same mailbox filled the window.
	fill := meter.Transport(roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
	}))
	for range calendar.HardRequestCeiling {
		req, _ := http.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
		if _, err := fill.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.ResolveNames(context.Background(), "smtp:a@contoso.com")
	if calendar.KindOf(err) != calendar.KindThrottled || calendar.RetryAfterOf(err) != calendar.MailboxRequestWindow || !errors.Is(err, calendar.ErrRequestCeiling) {
		t.Fatalf("over the ceiling: %v (kind %v, retry after %v)", err, calendar.KindOf(err), calendar.RetryAfterOf(err))
	}
	if got := len(rs.Requests()); got != 0 {
		t.Fatalf("server saw %d requests over the ceiling", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
