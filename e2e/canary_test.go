package e2e

import (
	"archive/zip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Planted secrets: a password and a token, each distinctive enough that any
// copy of them, anywhere, is found by a plain search.
const (
	canaryPassword = "Canary-PW-5f1e9c!x"
	canaryToken    = "canary-token-8d2b7a41e0"
)

// A password and a token planted in every input the binary takes (the
// environment, URL userinfo in the configuration, an unknown key, the
// Authorization header a server echoes back, a rejected logon) never come out:
// not on stdout or stderr, not in the log folder, not in the profile's config
// or state folders, not inside the diagnostics bundle.
func TestCanarySecretsNeverComeOut(t *testing.T) {
	frontdeskBin(t) // skips outside the test command before any server starts
	ewsURL, caFile, ewsRequests, _ := ewsResponder(t)

	// A Graph endpoint that echoes the request's Authorization header back in
	// an error page, as a misconfigured proxy might.
	var graphRequests atomic.Int64
	graph := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		graphRequests.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "<html><body>proxy error; request had Authorization: %s</body></html>", r.Header.Get("Authorization"))
	}))
	t.Cleanup(graph.Close)

	env, home := isolatedEnv(t,
		"FRONTDESK_EWS_PASSWORD="+canaryPassword,
		"FRONTDESK_GRAPH_TOKEN="+canaryToken,
		"FRONTDESK_LOG_LEVEL=debug")
	inputs := t.TempDir() // the planted configuration files themselves live here, outside the profile
	config := func(name, body string) string {
		path := filepath.Join(inputs, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	userinfo := strings.Replace(ewsURL, "https://", "https://frontdesk:"+canaryPassword+"@", 1)
	ewsConfig := func(url string) string {
		return fmt.Sprintf("provider = \"ews\"\nrefresh_interval = \"60s\"\n[ews]\nurl = %q\nauth = \"basic\"\nusername = %q\nca_file = %q\npassword = %q\n[people]\ngroup = \"sales@exampledomain.com\"\n",
			url, ewsUser, caFile, canaryPassword)
	}
	m365 := func(graphURL string) string {
		return fmt.Sprintf("provider = \"microsoft365\"\n[microsoft365]\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"11111111-2222-3333-4444-555555555555\"\ngraph_url = %q\npresence = false\naccess_token = %q\n[people]\nemails = [\"dpark@exampledomain.com\"]\n",
			graphURL, canaryToken)
	}

	runs := []struct {
		name string
		args []string
		// wantCode is the exit code the run must end with, so a run that
		// never got as far as the secret cannot pass for a clean one.
		wantCode int
	}{
		{"EWS logon rejected (password from the environment, unknown password key)",
			[]string{"status", "--config", config("ews.toml", ewsConfig(ewsURL))}, 3},
		{"EWS again: the rejection is remembered, nothing sent",
			[]string{"status", "--json", "--config", config("ews.toml", ewsConfig(ewsURL))}, 3},
		{"EWS URL with the password as userinfo",
			[]string{"status", "--config", config("ews-userinfo.toml", ewsConfig(userinfo))}, 2},
		{"Graph URL with the token as userinfo",
			[]string{"status", "--config", config("graph-userinfo.toml",
				m365(strings.Replace(graph.URL, "http://", "http://x:"+canaryToken+"@", 1)+"/v1.0"))}, 2},
		{"Graph with the token from the environment; the server echoes the Authorization header",
			[]string{"status", "--config", config("graph.toml", m365(graph.URL+"/v1.0"))}, -1},
		{"watch refused by a config error quoting a URL",
			[]string{"watch", "--config", config("ews-userinfo2.toml", ewsConfig(userinfo))}, 2},
		{"doctor with a diagnostics bundle",
			[]string{"doctor", "--bundle", "--config", config("ews-doctor.toml", ewsConfig(userinfo))}, -1},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			stdout, stderr, code := runFrontdesk(t, env, r.args...)
			if r.wantCode >= 0 && code != r.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, r.wantCode, stdout, stderr)
			}
			for _, secret := range []string{canaryPassword, canaryToken} {
				if strings.Contains(stdout, secret) {
					t.Errorf("stdout carries %q:\n%s", secret, stdout)
				}
				if strings.Contains(stderr, secret) {
					t.Errorf("stderr carries %q:\n%s", secret, stderr)
				}
			}
			t.Logf("exit %d; stderr: %s", code, strings.TrimSpace(stderr))
		})
	}
	if ewsRequests.Load() == 0 || graphRequests.Load() == 0 {
		t.Fatalf("the planted secrets never reached a server (EWS %d, Graph %d requests): nothing was tested",
			ewsRequests.Load(), graphRequests.Load())
	}

	// Everything the runs left in the profile: config folder, state, log,
	// caches, the bundle's contents.
	files := 0
	err := filepath.Walk(home, func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.Mode().IsRegular() { // a running console's socket holds nothing
			return err
		}
		files++
		for name, data := range fileTexts(t, path) {
			for _, secret := range []string{canaryPassword, canaryToken} {
				if strings.Contains(data, secret) {
					t.Errorf("%s carries %q", name, secret)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log")
	if data, err := os.ReadFile(logFile); err != nil || !strings.Contains(string(data), "configuration rejected") {
		t.Errorf("the log has no trace of the runs (%v): the search above looked at nothing", err)
	}
	t.Logf("searched %d files in the profile; EWS saw %d requests, Graph %d", files, ewsRequests.Load(), graphRequests.Load())
}

// fileTexts is the text of a file, or of each member when it is a zip
// archive (the diagnostics bundle compresses what it holds).
func fileTexts(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".zip") {
		return map[string]string{path: string(data)}
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	texts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s!%s: %v", path, f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s!%s: %v", path, f.Name, err)
		}
		texts[path+"!"+f.Name] = string(b)
	}
	return texts
}
