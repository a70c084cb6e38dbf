// Package testcert makes throwaway certificates for tests of TLS failures:
// a CA and leaves that are expired, for another name, or from an authority
// the client does not know, served on 127.0.0.1. Tests only.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a certificate authority made for one test.
type CA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
	// Pool trusts this CA alone.
	Pool *x509.CertPool
}

// NewCA makes a CA valid from an hour ago for a year.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{Cert: cert, key: key, Pool: pool}
}

// PEMFile writes the CA's certificate as PEM into a file of the test's own,
// as an admin's CA file, and returns its path.
func (ca *CA) PEMFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Leaf is a server certificate from ca valid from notBefore to notAfter for
// the names given (DNS names, or IP addresses such as "127.0.0.1").
func (ca *CA) Leaf(t testing.TB, notBefore, notAfter time.Time, names ...string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// Serve runs h over TLS with cert on 127.0.0.1 until the test ends and
// returns its https URL.
func Serve(t testing.TB, cert tls.Certificate, h http.Handler) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	// The handshakes a test makes fail on purpose: not worth a line each.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

// Cases are the four TLS failures an operator meets, each as a server on
// 127.0.0.1 for h, with the CA the client should trust: expired, wrong
// name, plain http on an https address, and an authority the client does
// not know. The map key is calendar.TLSProblem's name.
func Cases(t testing.TB, h http.Handler) (trusted *CA, urls map[string]string) {
	t.Helper()
	trusted = NewCA(t, "Contoso Test CA")
	stranger := NewCA(t, "Unknown Test CA")
	now := time.Now()
	plain := httptest.NewServer(h)
	t.Cleanup(plain.Close)
	return trusted, map[string]string{
		"expired":    Serve(t, trusted.Leaf(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour), "127.0.0.1"), h),
		"wrong-name": Serve(t, trusted.Leaf(t, now.Add(-time.Hour), now.Add(24*time.Hour), "mail.contoso.com"), h),
		"not-tls":    "https://" + plain.Listener.Addr().String(),
		"untrusted":  Serve(t, stranger.Leaf(t, now.Add(-time.Hour), now.Add(24*time.Hour), "127.0.0.1"), h),
	}
}
