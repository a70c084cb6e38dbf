package app

import (
	"bytes"
	"context"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// A first run against an Exchange server with a certificate from an
// authority this computer does not know: Connect fails and offers that
// certificate; once the operator trusts it, it is kept as the CA file and the
// same Connect works (issue 21). A CA file the form named already is kept in
// the bundle.
func TestTrustedCertificateBecomesTheCAFile(t *testing.T) {
	useAuthTestKeyring(t)
	x := startLockingExchange(t, "Winter2026!right")
	env := ewsPasswordTestEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ws := &windowSettings{env: env, live: newLiveEngine(ctx, env)}
	s := ui.Settings{Provider: ProviderEWS, EWSURL: x.url, EWSVersion: "Exchange2013_SP1", EWSAuth: "basic",
		EWSUser: "reception@contoso.com", RefreshInterval: "60s", People: ui.PeopleList, Emails: "reception@contoso.com"}

	err := ws.Connect(context.Background(), s, "Winter2026!right", nil)
	cert, offered := calendar.UntrustedCertificate(err)
	if !offered {
		t.Fatalf("Connect without a CA file: %v; want a certificate offered to trust", err)
	}
	if all, _ := x.requests(); all != 0 {
		t.Errorf("the password reached a server nobody trusts: %d requests", all)
	}

	other := filepath.Join(t.TempDir(), "old-ca.pem")
	oldPEM, _ := os.ReadFile(x.caFile) // any PEM stands in for an older CA
	if err := os.WriteFile(other, oldPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	caFile, err := ws.TrustCertificate(context.Background(), calendar.TLSServer(err), certPEM, other)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(caFile) != filepath.Dir(env.Paths.ConfigFile) {
		t.Errorf("kept at %s, want beside the config file %s", caFile, env.Paths.ConfigFile)
	}
	data, _ := os.ReadFile(caFile)
	if !bytes.HasPrefix(data, oldPEM) || !bytes.Contains(data, certPEM) {
		t.Errorf("the CA file holds %d bytes: want the old CA file's, then the trusted certificate", len(data))
	}

	s.EWSCAFile = caFile
	if err := ws.Connect(context.Background(), s, "Winter2026!right", nil); err != nil {
		t.Fatalf("Connect with the trusted certificate: %v", err)
	}
}
