package calendar

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
)

// TLSProblem names why an https connection failed, so each back end can say
// what can fix it: only a certificate from an authority this computer does
// not know is fixed by a CA file; an expired certificate or one for another
// name is the server's to fix, and a server that does not speak TLS at all
// is a wrong address.
type TLSProblem int

const (
	// TLSNone: err is no TLS failure.
	TLSNone TLSProblem = iota
	// TLSExpired: the certificate expired, or is not valid yet (this
	// computer's clock may be wrong).
	TLSExpired
	// TLSWrongName: the certificate is for another host name.
	TLSWrongName
	// TLSNotTLS: the server answered in plain http (or something else) where
	// a TLS handshake was expected.
	TLSNotTLS
	// TLSUntrusted: the certificate comes from an authority this computer
	// does not trust (a private CA, a proxy inspecting https).
	TLSUntrusted
	// TLSInvalid: the certificate was refused for another reason.
	TLSInvalid
)

var tlsProblemNames = [...]string{"none", "expired", "wrong-name", "not-tls", "untrusted", "invalid"}

func (p TLSProblem) String() string {
	if p < 0 || int(p) >= len(tlsProblemNames) {
		return "TLSProblem(?)"
	}
	return tlsProblemNames[p]
}

// TLSProblemOf says what kind of TLS failure err is, TLSNone when it is none.
func TLSProblemOf(err error) TLSProblem {
	if err == nil {
		return TLSNone
	}
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var unknown x509.UnknownAuthorityError
	var record tls.RecordHeaderError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return TLSExpired
	case errors.As(err, &hostname):
		return TLSWrongName
	case errors.As(err, &unknown):
		return TLSUntrusted
	case errors.Is(err, http.ErrSchemeMismatch) || errors.As(err, &record):
		// net/http turns a record that starts "HTTP/" into ErrSchemeMismatch.
		return TLSNotTLS
	case errors.As(err, &invalid) || errors.As(err, &verify):
		return TLSInvalid
	}
	return TLSNone
}

// TLSHints are a back end's words for each TLS problem: only it knows which
// of its settings can fix one (Exchange's CA file; Graph has none).
type TLSHints struct {
	Untrusted, Expired, WrongName, NotTLS, Invalid string
}

// For is the hint for problem, "" for TLSNone.
func (h TLSHints) For(problem TLSProblem) string {
	switch problem {
	case TLSUntrusted:
		return h.Untrusted
	case TLSExpired:
		return h.Expired
	case TLSWrongName:
		return h.WrongName
	case TLSNotTLS:
		return h.NotTLS
	case TLSInvalid:
		return h.Invalid
	}
	return ""
}

// TLSError is the settings problem a failed TLS handshake is, with the back
// end's hint; nil when err is no TLS failure. Retrying will not make a
// certificate valid, so the engine stops polling (KindConfig) instead of
// reporting "cannot reach the server".
func TLSError(op string, err error, hints TLSHints) *Error {
	problem := TLSProblemOf(err)
	if problem == TLSNone {
		return nil
	}
	return &Error{Kind: KindConfig, Op: op, Code: "TLS", Hint: hints.For(problem), Err: err}
}

// TLSServer is the host:port of the request err failed on, for the
// operator's sentence; "" when err does not say.
func TLSServer(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return ""
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return ""
	}
	return u.Host
}

// UntrustedCertificate is the certificate to show the operator, and to keep
// as the CA file once they trust it, when err is a certificate from an
// authority this computer does not know: the top of the chain the server
// presented (the server's own for a self-signed one). Only that failure is
// fixed by trusting; an expired certificate or one for another name is never
// offered, whoever issued it (Go checks both before the authority).
func UntrustedCertificate(err error) (*x509.Certificate, bool) {
	if TLSProblemOf(err) != TLSUntrusted {
		return nil, false
	}
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) && len(verify.UnverifiedCertificates) > 0 {
		return verify.UnverifiedCertificates[len(verify.UnverifiedCertificates)-1], true
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) && unknown.Cert != nil {
		return unknown.Cert, true
	}
	return nil, false
}
