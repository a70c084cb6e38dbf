package ews

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// TestMailTipsFailureKinds: GetMailTips fails once, then answers. A blip
// leaves that refresh's answers without an automatic-reply reading (the
// engine keeps the last one) and the next refresh asks again; only a server
// that does not offer GetMailTips, or refuses it to this account, turns it
// off, and then the source says so. A refusal is asked again after new
// credentials; "not offered" is not.
func TestMailTipsFailureKinds(t *testing.T) {
	docs := ewstest.DocumentedFreeBusyResponses()
	fault := func(code string) string {
		return strings.ReplaceAll(ewstest.Fixture("fault-connectioncount.xml"), "ErrorExceededConnectionCount", code)
	}
	errorInside200 := strings.Replace(strings.Replace(ewstest.Fixture("getmailtips-oof.xml"),
		`<GetMailTipsResponse ResponseClass="Success"`, `<GetMailTipsResponse ResponseClass="Error"`, 1),
		`<ResponseCode>NoError</ResponseCode>`, `<MessageText>The server cannot service this request right now.</MessageText><ResponseCode>ErrorInternalServerError</ResponseCode>`, 1)
	tests := []struct {
		name    string
		failure ewstest.Answer
		// off is the limitation the failure leaves; "" for a blip.
		off calendar.LimitationKind
	}{
		{"502 from a proxy", ewstest.Answer{Status: 502}, ""},
		{"404 from a proxy", ewstest.Answer{Status: 404}, ""},
		{"500 without a SOAP fault", ewstest.Answer{Status: 500, Body: "<html>Internal Server Error</html>"}, ""},
		{"a fault Frontdesk has no answer for", ewstest.Answer{Status: 500, Body: fault("ErrorInternalServerTransientError")}, ""},
		{"an error for the whole request inside a 200", ewstest.Answer{Body: errorInside200}, ""},
		{"an unreadable 200", ewstest.Answer{Body: "<html>Sign in to the proxy</html>"}, ""},
		{"version fault (Exchange 2007)", ewstest.Answer{Status: 500, Body: fault("ErrorInvalidServerVersion")}, calendar.LimitMailTipsUnsupported},
		{"the operation refused as an invalid request", ewstest.Answer{Status: 500, Body: fault("ErrorInvalidRequest")}, calendar.LimitMailTipsUnsupported},
		{"403", ewstest.Answer{Status: 403}, calendar.LimitMailTipsRefused},
		{"access denied", ewstest.Answer{Status: 500, Body: fault("ErrorAccessDenied")}, calendar.LimitMailTipsRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var failing atomic.Bool
			failing.Store(true)
			var asked atomic.Int64
			c, _ := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
				if r.Operation == "GetMailTips" {
					asked.Add(1)
					if failing.Load() {
						return tt.failure
					}
					return fixture("getmailtips-oof.xml")
				}
				return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{
					"dpark@exampledomain.com": docs[1], "jprice@exampledomain.com": docs[1]})}
			})
			readAt := time.Date(2026, 11, 23, 10, 42, 0, 0, time.UTC)
			src, _ := NewSource(SourceOptions{Client: c, Location: pacific(t), Now: func() time.Time { return readAt }})
			refresh := func() []calendar.Availability {
				t.Helper()
				avail, err := src.Availability(context.Background(), people("dpark@exampledomain.com", "jprice@exampledomain.com"), documentedDay(t))
				if err != nil || len(avail) != 2 || len(avail[0].Slots) == 0 {
					t.Fatalf("a MailTips failure cost the free/busy: %+v, %v", avail, err)
				}
				return avail
			}

			// The failed refresh: no reading, so the engine keeps the last one.
			if oof := refresh()[0].OutOfOffice; !oof.AsOf.IsZero() || oof.Active {
				t.Fatalf("after the failure: %+v, want no reading", oof)
			}
			failing.Store(false)
			lim := src.Limitations()
			if tt.off == "" {
				if len(lim) != 0 {
					t.Fatalf("a blip switched MailTips off: %+v", lim)
				}
			} else if len(lim) != 1 || lim[0].Kind != tt.off {
				t.Fatalf("limitations %+v, want %s", lim, tt.off)
			}

			// The next refresh.
			before := asked.Load()
			oof := refresh()[0].OutOfOffice
			if again := asked.Load() > before; again != (tt.off == "") {
				t.Fatalf("GetMailTips asked again at the next refresh: %v", again)
			}
			if tt.off == "" && (!oof.Active || !oof.AsOf.Equal(readAt)) {
				t.Fatalf("next refresh: %+v, want dpark away as of %v", oof, readAt)
			}

			// New credentials: a refusal is asked again, "not offered" is not.
			src.CredentialsChanged()
			before = asked.Load()
			refresh()
			if again := asked.Load() > before; again != (tt.off != calendar.LimitMailTipsUnsupported) {
				t.Fatalf("GetMailTips asked after new credentials: %v", again)
			}
		})
	}
}

// TestExchange2007HasNoMailTips: a server configured as Exchange 2007 is
// never asked GetMailTips, and the source says automatic replies are off.
func TestExchange2007HasNoMailTips(t *testing.T) {
	hc, err := NewHTTPClient(HTTPOptions{Auth: AuthBasic})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(ClientOptions{URL: "https://127.0.0.1:1/EWS/Exchange.asmx", Version: "Exchange2007_SP1", Auth: AuthBasic, Username: "u", Password: testPassword, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := NewSource(SourceOptions{Client: c})
	if lim := src.Limitations(); len(lim) != 1 || lim[0].Kind != calendar.LimitMailTipsUnsupported {
		t.Errorf("limitations %+v", lim)
	}
}
