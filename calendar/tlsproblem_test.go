package calendar

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

// Each TLS failure gets the back end's own hint and stops polling (a
// settings problem, code TLS); anything else is no TLS error at all.
func TestTLSErrorTakesTheBackEndsHint(t *testing.T) {
	hints := TLSHints{Untrusted: "untrusted", Expired: "expired", WrongName: "wrong name", NotTLS: "not tls", Invalid: "invalid"}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"unknown authority", fmt.Errorf("get: %w", x509.UnknownAuthorityError{}), "untrusted"},
		{"expired", x509.CertificateInvalidError{Reason: x509.Expired}, "expired"},
		{"another name", x509.HostnameError{Host: "mail.contoso.com"}, "wrong name"},
		{"plain http", http.ErrSchemeMismatch, "not tls"},
		{"otherwise invalid", x509.CertificateInvalidError{Reason: x509.NotAuthorizedToSign}, "invalid"},
		{"no TLS failure", errors.New("connection refused"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := TLSError("ews.GetUserAvailability", tc.err, hints)
			if tc.want == "" {
				if e != nil {
					t.Fatalf("got %v for no TLS failure", e)
				}
				return
			}
			if e == nil || e.Hint != tc.want || e.Kind != KindConfig || e.Code != "TLS" || !errors.Is(e, tc.err) {
				t.Fatalf("got %+v, want hint %q, KindConfig, code TLS, wrapping the cause", e, tc.want)
			}
		})
	}
}
