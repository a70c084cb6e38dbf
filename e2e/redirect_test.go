package e2e

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar/testcert"
)

// graphConfigFor writes a Microsoft 365 config whose Graph is graphURL.
func graphConfigFor(t *testing.T, graphURL string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "graph.toml")
	body := fmt.Sprintf("provider = \"microsoft365\"\n[microsoft365]\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"11111111-2222-3333-4444-555555555555\"\ngraph_url = %q\npresence = false\n[people]\nemails = [\"dpark@exampledomain.com\", \"jprice@exampledomain.com\"]\n", graphURL)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A 307 from Graph to another port (issue 23, item 10): the directory query,
// colleagues' addresses and all, never reaches the other server, and the
// operator reads that the server sent Frontdesk elsewhere, not that the
// sign-in was rejected.
func TestGraphRedirectToAnotherOriginSendsNothingThere(t *testing.T) {
	frontdeskBin(t)
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(other.Close)
	var redirected atomic.Int64
	graph := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		redirected.Add(1)
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(graph.Close)
	env, _ := isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret")
	out, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", graphConfigFor(t, graph.URL+"/v1.0"))
	var s struct {
		State  string `json:"state"`
		Reason string `json:"state_reason"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status --json: %v\n%s\nstderr: %s", err, out, stderr)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("%d requests reached the other server, want 0", n)
	}
	if redirected.Load() == 0 {
		t.Fatal("Graph was never asked: nothing was tested")
	}
	otherAddr := strings.TrimPrefix(other.URL, "http://")
	if code != 2 || s.State != "config_error" || !strings.Contains(stderr, otherAddr) || !strings.Contains(stderr, "did not follow") || strings.Contains(stderr, "rejected") {
		t.Errorf("exit %d, state %q; stderr %q: want 2, config_error and a sentence naming %s", code, s.State, stderr, otherAddr)
	}
	t.Logf("exit %d; %s", code, strings.TrimSpace(stderr))
}

// Certificates that fail on Graph (issue 23, item 10) are named as what they
// are, each with the fix that can work, and exit 2 (a settings problem), not
// "Cannot reach the server … keeps trying" (exit 4).
func TestGraphTLSFailuresAreNamed(t *testing.T) {
	frontdeskBin(t)
	var answered atomic.Int64
	ca, urls := testcert.Cases(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answered.Add(1) }))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	// The system trusts the test CA, as a company's machines trust theirs.
	env, _ := isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret", "SSL_CERT_FILE="+caFile)
	for problem, want := range map[string]string{
		"expired":    "has expired or is not valid yet",
		"wrong-name": "is for another name",
		"not-tls":    "does not answer in https",
		"untrusted":  "authority this computer does not trust",
	} {
		t.Run(problem, func(t *testing.T) {
			_, stderr, code := runFrontdesk(t, env, "status", "--config", graphConfigFor(t, urls[problem]+"/v1.0"))
			if code != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "keeps trying") {
				t.Errorf("exit %d, stderr %q: want 2 and %q", code, stderr, want)
			}
			if problem != "untrusted" && strings.Contains(stderr, "authority") {
				t.Errorf("stderr %q points at a CA, which cannot fix %s", stderr, problem)
			}
			t.Logf("exit %d; %s", code, strings.TrimSpace(stderr))
		})
	}
	if answered.Load() != 0 {
		t.Errorf("%d requests got through a failed handshake", answered.Load())
	}
}

// The same certificates on Exchange: only an unknown authority points at
// ews.ca_file, the one setting that cannot fix the other three.
func TestEWSTLSFailuresAreNamed(t *testing.T) {
	frontdeskBin(t)
	var answered atomic.Int64
	ca, urls := testcert.Cases(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answered.Add(1) }))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword)
	for problem, want := range map[string]string{
		"expired":    "has expired or is not valid yet",
		"wrong-name": "is for another name than the one in ews.url",
		"not-tls":    "does not answer in https",
		"untrusted":  "Set ews.ca_file",
	} {
		t.Run(problem, func(t *testing.T) {
			config := ewsConfigFile(t, urls[problem]+"/EWS/Exchange.asmx", caFile, ewsUser, "60s", `emails = ["dpark@exampledomain.com"]`)
			_, stderr, code := runFrontdesk(t, env, "status", "--config", config)
			if code != 2 || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stderr %q: want 2 and %q", code, stderr, want)
			}
			if problem != "untrusted" && strings.Contains(stderr, "ca_file") {
				t.Errorf("stderr %q points at ews.ca_file, which cannot fix %s", stderr, problem)
			}
			t.Logf("exit %d; %s", code, strings.TrimSpace(stderr))
		})
	}
	if answered.Load() != 0 {
		t.Errorf("%d requests got through a failed handshake", answered.Load())
	}
}
