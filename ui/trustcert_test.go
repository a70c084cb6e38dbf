package ui

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/testcert"
)

// labelsIn are the texts of the labels drawn in o.
func labelsIn(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// A certificate from an authority this computer does not know is shown on
// the welcome page (issuer, subject, validity, SHA-256 fingerprint) with
// "Trust this certificate"; trusted, it becomes the form's CA file and
// Connect runs again with it. Another TLS failure offers nothing (issue 21).
func TestWelcomeOffersToTrustAnUnknownAuthority(t *testing.T) {
	ca := testcert.NewCA(t, "Contoso Private Root")
	pair := ca.Leaf(t, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), "127.0.0.1")
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	refused := func(inner error) error {
		return &calendar.Error{Kind: calendar.KindTransient, Op: "ews.availability",
			Err: &url.Error{Op: "Post", URL: "https://127.0.0.1:8443/EWS/Exchange.asmx", Err: inner}}
	}
	untrusted := refused(&tls.CertificateVerificationError{UnverifiedCertificates: []*x509.Certificate{leaf}, Err: x509.UnknownAuthorityError{Cert: leaf}})
	wrongName := refused(&tls.CertificateVerificationError{UnverifiedCertificates: []*x509.Certificate{leaf}, Err: x509.HostnameError{Certificate: leaf, Host: "mail.contoso.com"}})

	t.Run("unknown authority", func(t *testing.T) {
		var connected []Settings
		var trusted [][]byte
		var server string
		m, w := newTestWindow(t, Actions{
			Connect: func(_ context.Context, s Settings, _ string, _ func(DeviceCode)) error {
				connected = append(connected, s)
				if s.EWSCAFile == "" {
					return untrusted
				}
				return nil
			},
			TrustCertificate: func(_ context.Context, srv string, certPEM []byte, _ string) (string, error) {
				server, trusted = srv, append(trusted, certPEM)
				return "/home/op/.config/Frontdesk/trusted-127.0.0.1-8443.pem", nil
			},
		}, true)
		test.Tap(findButton(t, m.welcome.body, "Exchange on-premises"))
		test.Tap(findButton(t, m.welcome.body, "Connect"))
		if m.modal == nil || m.modal.name != "certificate" {
			t.Fatal("no certificate shown after the unknown authority")
		}
		shown := labelsIn(w.Canvas().Overlays().Top())
		for _, want := range []string{Fingerprint(leaf), "Contoso Private Root", "127.0.0.1:8443", leaf.NotAfter.Local().Format("2006-01-02")} {
			if !strings.Contains(shown, want) {
				t.Errorf("the certificate dialog does not show %q:\n%s", want, shown)
			}
		}
		if len(trusted) != 0 {
			t.Fatal("trusted before the operator confirmed")
		}
		test.Tap(firstFocusable[*keyButton](t, w.Canvas().Overlays().Top())) // Trust this certificate
		if len(trusted) != 1 || server != "127.0.0.1:8443" {
			t.Fatalf("trusted %d certificates for %q", len(trusted), server)
		}
		if block, _ := pem.Decode(trusted[0]); block == nil || string(block.Bytes) != string(leaf.Raw) {
			t.Error("the PEM kept is not the certificate shown")
		}
		if len(connected) != 2 || connected[1].EWSCAFile != "/home/op/.config/Frontdesk/trusted-127.0.0.1-8443.pem" {
			t.Errorf("Connect ran %d times, last with CA file %q; want a second one with the trusted file", len(connected), connected[len(connected)-1].EWSCAFile)
		}
		if m.welcome.caFile.Text != "/home/op/.config/Frontdesk/trusted-127.0.0.1-8443.pem" {
			t.Errorf("the form's CA file reads %q", m.welcome.caFile.Text)
		}
	})
	t.Run("wrong name", func(t *testing.T) {
		m, _ := newTestWindow(t, Actions{
			Connect: func(context.Context, Settings, string, func(DeviceCode)) error { return wrongName },
			TrustCertificate: func(context.Context, string, []byte, string) (string, error) {
				t.Fatal("trust offered for a certificate for another name")
				return "", nil
			},
		}, true)
		test.Tap(findButton(t, m.welcome.body, "Exchange on-premises"))
		test.Tap(findButton(t, m.welcome.body, "Connect"))
		if m.modal != nil {
			t.Errorf("a %q dialog opened for a certificate for another name", m.modal.name)
		}
	})
}
