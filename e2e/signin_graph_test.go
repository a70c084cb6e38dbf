package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// The whole Microsoft 365 path as an operator runs it: sign in through the
// Entra-like identity server with the (fake) system browser, then one refresh
// against the Prism Graph slice with the token MSAL keeps in the keyring-backed
// cache. Prism validates every request the SDK sends.
func TestStatusWithSignedInTokenAgainstPrism(t *testing.T) {
	w := newAuthWorld(t, true)
	w.useGraph(t, startPrism(t), "America/Los_Angeles", adele, megan)

	if r := w.frontdesk("status", "--json"); r.code != 3 {
		t.Fatalf("signed out: exit %d, want 3", r.code)
	}
	if r := w.frontdesk("signin"); r.code != 0 {
		t.Fatalf("signin: exit %d: %s", r.code, r.stderr)
	}
	opens := w.browserOpens()

	r := w.frontdesk("status", "--json", "--at", "2019-03-15T12:30:00-07:00")
	if r.code != 0 {
		t.Fatalf("status: exit %d: %s", r.code, r.stderr)
	}
	if w.browserOpens() != opens {
		t.Error("a refresh opened the browser: tokens must be silent")
	}
	var s statusJSON
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if s.Source != "microsoft365" || s.State != "ok" || len(s.People) != 2 {
		t.Fatalf("status = %s", r.stdout)
	}
	const two = "2019-03-15T14:00:00-07:00"
	for i, email := range []string{adele, megan} {
		p := s.People[i]
		if p.Email != email || p.Status != "busy" || p.Until == nil || *p.Until != two || p.NextFree == nil || *p.NextFree != two {
			t.Errorf("person %d = %+v", i, p)
		}
	}
	secrets := w.issuedSecrets()
	if len(secrets) == 0 {
		t.Fatal("the identity server reports no issued tokens")
	}
	for _, sec := range secrets {
		if strings.Contains(r.stdout+r.stderr, sec) {
			t.Error("status printed a token")
		}
	}
	w.assertNoSecretsOnDisk(secrets)
}
