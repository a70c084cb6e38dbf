package app

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Ctrl-C while status waits for the server: exit 130 and "Interrupted.", not
// "Cannot reach the server" (exit 4), which would send the operator looking
// for a network fault that is not there.
func TestStatusInterruptedExits130(t *testing.T) {
	ctx, interrupt := context.WithCancel(context.Background())
	defer interrupt()
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		interrupt() // the operator presses Ctrl-C while the request is out
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := testPaths(t)
	cfg := DefaultConfig()
	cfg.Provider = ProviderEWS
	cfg.EWS = EWSConfig{URL: srv.URL + "/EWS/Exchange.asmx", Version: "Exchange2013_SP1", Auth: "basic", Username: `CONTOSO\frontdesk`, CAFile: caFile}
	cfg.People.Emails = []string{"dpark@exampledomain.com"}
	if err := SaveUserConfig(paths.ConfigFile, cfg); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	env := &Env{Stdout: &stdout, Stderr: &stderr, Now: time.Now, Paths: paths, Getenv: func(k string) string {
		if k == EWSPasswordEnv {
			return "Summer2026!interrupted"
		}
		return ""
	}}
	code := env.run(ctx, []string{"status"})
	if code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	if got := strings.TrimSpace(stderr.String()); got != "Interrupted." {
		t.Errorf("stderr %q, want \"Interrupted.\"", got)
	}
}
