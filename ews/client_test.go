package ews

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

func TestBasicOverPlainHTTPIsRefused(t *testing.T) {
	hc, err := NewHTTPClient(HTTPOptions{Auth: AuthBasic})
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewClient(ClientOptions{URL: "http://mail.contoso.com/EWS/Exchange.asmx", Auth: AuthBasic, Username: "u", Password: "p", HTTPClient: hc})
	if calendar.KindOf(err) != calendar.KindConfig {
		t.Fatalf("err = %v, want a configuration error", err)
	}
	// NTLM's challenge-response can be cracked offline or relayed: refused
	// over http like Basic, except to this machine (test peers).
	if _, err := NewClient(ClientOptions{URL: "http://mail.contoso.com/EWS/Exchange.asmx", Auth: AuthNTLM, Username: "u", Password: "p", HTTPClient: hc}); calendar.KindOf(err) != calendar.KindConfig {
		t.Errorf("ntlm over http: err = %v, want a configuration error", err)
	}
	if _, err := NewClient(ClientOptions{URL: "http://127.0.0.1:8080/EWS/Exchange.asmx", Auth: AuthNTLM, Username: "u", Password: "p", HTTPClient: hc}); err != nil {
		t.Errorf("ntlm over http to loopback: %v", err)
	}
	for _, o := range []ClientOptions{
		{URL: "https://mail.contoso.com/EWS/Exchange.asmx", Version: "Exchange2031", HTTPClient: hc},
		{URL: "ftp://mail.contoso.com/", HTTPClient: hc},
		{URL: "https://mail.contoso.com/", Auth: "kerberos", HTTPClient: hc},
	} {
		if _, err := NewClient(o); calendar.KindOf(err) != calendar.KindConfig {
			t.Errorf("%+v: err = %v", o, err)
		}
	}
}

func TestUntrustedCertificateIsAConfigurationError(t *testing.T) {
	rs := &ewstest.Responder{Handle: func(*ewstest.Request) ewstest.Answer { return fixture("expanddl.xml") }}
	srv := httptest.NewTLSServer(rs)
	defer srv.Close()
	hc, _ := NewHTTPClient(HTTPOptions{Auth: AuthBasic}) // system roots only
	c, err := NewClient(ClientOptions{URL: srv.URL, Username: "u", Password: testPassword, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ExpandDL(context.Background(), "x")
	if calendar.KindOf(err) != calendar.KindConfig || !strings.Contains(err.Error(), "TLS") {
		t.Errorf("err = %v, want TLS configuration error", err)
	}
	if len(rs.Requests()) != 0 {
		t.Error("a request reached an untrusted server")
	}
}

func TestCAFileMustHoldCertificates(t *testing.T) {
	if _, err := NewHTTPClient(HTTPOptions{CAFile: "testdata/README.md"}); calendar.KindOf(err) != calendar.KindConfig {
		t.Errorf("err = %v", err)
	}
	if _, err := NewHTTPClient(HTTPOptions{CAFile: "testdata/missing.pem"}); calendar.KindOf(err) != calendar.KindConfig {
		t.Errorf("err = %v", err)
	}
}

func TestEveryCallHasADeadline(t *testing.T) {
	block := make(chan struct{})
	rs := &ewstest.Responder{Version: DefaultVersion, Handle: func(*ewstest.Request) ewstest.Answer { <-block; return ewstest.Answer{} }}
	srv := httptest.NewTLSServer(rs)
	defer srv.Close()
	defer close(block)
	c, _ := NewClient(ClientOptions{URL: srv.URL, Username: "u", Password: testPassword, HTTPClient: srv.Client(), CallTimeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := c.ExpandDL(context.Background(), "x")
	if calendar.KindOf(err) != calendar.KindTransient || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %v, want transient within the timeout", err, time.Since(start))
	}
}

func TestPasswordNeverFormatsOrLogs(t *testing.T) {
	secret := testPassword.Reveal()
	opts := ClientOptions{URL: "https://mail.contoso.com/EWS/Exchange.asmx", Username: "u", Password: testPassword}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("options", "password", testPassword, "opts", opts)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("t", "pw", testPassword)
	out := buf.String() + fmt.Sprintf("%v %+v %#v %s %q %x", opts, opts, opts, testPassword, testPassword, testPassword)
	if strings.Contains(out, secret) {
		t.Fatalf("password leaked: %s", out)
	}
	if !strings.Contains(out, redacted) {
		t.Errorf("no redaction marker in %s", out)
	}
}

// A 503 or 429 carries the server's Retry-After, read by the one parser the
// Graph source uses too (calendar.ParseRetryAfter): fractions are honoured and
// an absurd value is capped at a day rather than dropped.
func TestThrottledAnswerCarriesRetryAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"":      0,
		"120":   2 * time.Minute,
		"2.5":   2500 * time.Millisecond,
		"-3":    0,
		"soon":  0,
		"99999": 24 * time.Hour,
	} {
		t.Run(in, func(t *testing.T) {
			resp := &http.Response{StatusCode: http.StatusServiceUnavailable, Status: "503 Service Unavailable", Header: http.Header{}}
			if in != "" {
				resp.Header.Set("Retry-After", in)
			}
			err := classify(context.Background(), "ews.GetUserAvailability", resp, nil, nil)
			if calendar.KindOf(err) != calendar.KindThrottled || calendar.RetryAfterOf(err) != want {
				t.Errorf("Retry-After %q: %v (wait %v), want throttled for %v", in, err, calendar.RetryAfterOf(err), want)
			}
		})
	}
}
