package calendar_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/testcert"
)

// The certificate is offered for trust only when its authority is unknown:
// never for an expired one, one for another name, or a server without TLS,
// whatever the operator trusts (issue 21).
func TestUntrustedCertificateOnlyForAnUnknownAuthority(t *testing.T) {
	trusted, urls := testcert.Cases(t, http.NotFoundHandler())
	client := clientTrusting(trusted.Pool)
	for problem, url := range urls {
		t.Run(problem, func(t *testing.T) {
			resp, err := client.Get(url)
			if err == nil {
				resp.Body.Close()
				t.Fatal("the request worked")
			}
			cert, offered := calendar.UntrustedCertificate(err)
			if offered != (problem == "untrusted") {
				t.Fatalf("%s: offered %v (%v)", problem, offered, err)
			}
			if !offered {
				return
			}
			if cert.Subject.CommonName == "" && len(cert.DNSNames) == 0 && len(cert.IPAddresses) == 0 {
				t.Errorf("the certificate offered names nobody: %+v", cert.Subject)
			}
			// Trusted, it is what the server presents: the next request works.
			pool := x509.NewCertPool()
			pool.AddCert(cert)
			resp, err = clientTrusting(pool).Get(url)
			if err != nil {
				t.Fatalf("with the offered certificate trusted: %v", err)
			}
			resp.Body.Close()
			if bytes.Equal(cert.Raw, trusted.Cert.Raw) {
				t.Error("the certificate offered is the trusted CA's")
			}
		})
	}
}

func clientTrusting(roots *x509.CertPool) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
}
