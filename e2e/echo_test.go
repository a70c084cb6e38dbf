package e2e

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// echoedCredentials is what a server that echoes the Authorization header
// back writes into its error text: the credential alone, with no
// "Authorization:" or "Basic"/"Bearer" label a pattern could key on, and for
// Basic what it decodes to.
func echoedCredentials(r *http.Request) string {
	_, credential, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	text := "Access denied; you sent " + credential
	if decoded, err := base64.StdEncoding.DecodeString(credential); err == nil {
		_, pw, _ := strings.Cut(string(decoded), ":")
		text += ", that is " + string(decoded) + ", password " + pw + " or " + base64.StdEncoding.EncodeToString([]byte(pw))
	}
	return text
}

// echoingExchange answers every request with a SOAP fault (a request error,
// which the operator's message quotes) echoing the credentials it was sent.
func echoingExchange(t *testing.T) (url, caFile string, requests *atomic.Int64) {
	t.Helper()
	requests = new(atomic.Int64)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		text := echoedCredentials(r)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>`+
			`<faultcode>a:ErrorInvalidRequest</faultcode><faultstring>%s</faultstring><detail>`+
			`<e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorInvalidRequest</e:ResponseCode>`+
			`<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">%s</e:Message></detail></s:Fault></s:Body></s:Envelope>`, text, text)
	}))
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/EWS/Exchange.asmx", caFile, requests
}

// A server that echoes the Authorization header into its error text (issue
// 23, item 4): the canary password, its base64 form, base64(user:password)
// and the canary token appear nowhere: not on stdout or stderr of status,
// watch and doctor --bundle, not in the log or the bundle, and not in the
// window's own text (Help > Copy diagnostics writes what the window says).
func TestEchoedSecretsComeOutNowhere(t *testing.T) {
	frontdeskBin(t)
	ewsURL, caFile, ewsRequests := echoingExchange(t)
	var graphRequests atomic.Int64
	graph := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		graphRequests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":{"code":"BadRequest","message":%q}}`, echoedCredentials(r))
	}))
	t.Cleanup(graph.Close)

	secrets := []string{canaryPassword, canaryToken,
		base64.StdEncoding.EncodeToString([]byte(canaryPassword)),
		base64.StdEncoding.EncodeToString([]byte(ewsUser + ":" + canaryPassword)),
		base64.StdEncoding.EncodeToString([]byte(canaryToken))}
	env, home := isolatedEnv(t,
		"FRONTDESK_EWS_PASSWORD="+canaryPassword,
		"FRONTDESK_GRAPH_TOKEN="+canaryToken,
		"FRONTDESK_LOG_LEVEL=debug")
	ewsConfig := ewsConfigFile(t, ewsURL, caFile, ewsUser, "60s", `emails = ["dpark@exampledomain.com"]`)
	graphConfig := filepath.Join(t.TempDir(), "graph.toml")
	if err := os.WriteFile(graphConfig, fmt.Appendf(nil, "provider = \"microsoft365\"\n[microsoft365]\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"11111111-2222-3333-4444-555555555555\"\ngraph_url = %q\npresence = false\n[people]\nemails = [\"dpark@exampledomain.com\"]\n", graph.URL+"/v1.0"), 0o600); err != nil {
		t.Fatal(err)
	}
	leaks := func(t *testing.T, where, text string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s carries %q", where, s)
			}
		}
	}
	quoted := 0 // outputs that quote the server's text, so the search looked at it
	for _, args := range [][]string{
		{"status", "--json", "--config", ewsConfig},
		{"status", "--config", ewsConfig},
		{"status", "--json", "--config", graphConfig},
		{"status", "--config", graphConfig},
		{"doctor", "--bundle", "--config", ewsConfig},
	} {
		t.Run(strings.Join(args[:len(args)-2], " ")+" "+filepath.Base(args[len(args)-1]), func(t *testing.T) {
			stdout, stderr, code := runFrontdesk(t, env, args...)
			t.Logf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			leaks(t, "stdout", stdout)
			leaks(t, "stderr", stderr)
			if strings.Contains(stdout+stderr, "you sent") {
				quoted++
			}
		})
	}
	if quoted == 0 {
		t.Error("no output quoted the server's echo: nothing was tested")
	}

	// The console on the echoing Exchange: its window says what went wrong,
	// and Copy diagnostics puts the window's text in a file of the log folder.
	logDir := filepath.Join(home, ".local", "state", "frontdesk")
	echoesLogged := func() int {
		data, _ := os.ReadFile(filepath.Join(logDir, "frontdesk.log"))
		return strings.Count(string(data), "you sent")
	}
	logged := echoesLogged()
	c := startConsole(t, env, "Frontdesk", "--config", ewsConfig)
	waitUntil(t, "the console's failed refresh", 60*time.Second, func() bool { return echoesLogged() > logged })
	time.Sleep(time.Second) // the failure reaches the window
	screenshot(t, "out/window-echoed-secret.png")
	before, _ := filepath.Glob(filepath.Join(logDir, "frontdesk-diagnostics-*.txt"))
	c.click(t, helpMenuX, menuBarHeight/2)
	time.Sleep(500 * time.Millisecond)
	screenshot(t, "out/window-echoed-secret-help.png")
	c.click(t, helpMenuX+40, copyDiagnosticsY)
	var diagnostics string
	waitUntil(t, "Copy diagnostics", 20*time.Second, func() bool {
		after, _ := filepath.Glob(filepath.Join(logDir, "frontdesk-diagnostics-*.txt"))
		if len(after) > len(before) {
			data, _ := os.ReadFile(after[len(after)-1])
			diagnostics = string(data)
		}
		return diagnostics != ""
	})
	_, reason, _ := strings.Cut(diagnostics, "Engine: ")
	reason, _, _ = strings.Cut(reason, "\n")
	t.Logf("the window says: %s", reason)
	if !strings.Contains(reason, "you sent") {
		t.Errorf("the window's reason does not quote the server (%q): the search looked at nothing", reason)
	}
	leaks(t, "the window's text", diagnostics)
	stopConsole(t, c)
	leaks(t, "the console's stderr", c.stderr.String())

	if ewsRequests.Load() == 0 || graphRequests.Load() == 0 {
		t.Fatalf("the servers were never asked (EWS %d, Graph %d): nothing was tested", ewsRequests.Load(), graphRequests.Load())
	}
	// Everything the runs left in the profile: the log, the bundle's
	// members, the diagnostics file, the state.
	files := 0
	err := filepath.Walk(home, func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		files++
		for name, data := range fileTexts(t, path) {
			leaks(t, name, data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("searched %d files; EWS saw %d requests, Graph %d", files, ewsRequests.Load(), graphRequests.Load())
}

// Where the Help menu and its Copy diagnostics item sit in the real window
// (Fyne draws the main menu inside it); measured on the screenshots.
const (
	helpMenuX        = 72
	copyDiagnosticsY = 122
)
