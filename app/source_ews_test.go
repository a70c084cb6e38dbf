package app

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

func ewsConfig(url, caFile string) Config {
	cfg := DefaultConfig()
	cfg.Provider = ProviderEWS
	cfg.TimeZone = "America/Los_Angeles"
	cfg.EWS = EWSConfig{URL: url, Version: "Exchange2013_SP1", Auth: "basic", Username: `CONTOSO\frontdesk`, CAFile: caFile}
	cfg.People.Group = "sales@exampledomain.com"
	return cfg
}

func TestEWSSourceWithoutPasswordNeedsSignIn(t *testing.T) {
	useAuthTestKeyring(t) // empty: nothing stored
	env := &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" }, Now: time.Now, Paths: testPaths(t)}
	_, err := env.buildSource(context.Background(), ewsConfig("https://mail.contoso.com/EWS/Exchange.asmx", ""))
	var ce *calendar.Error
	if !errors.As(err, &ce) || ce.Kind != calendar.KindAuth || ce.Hint != noEWSPasswordHint {
		t.Fatalf("err = %v, want KindAuth with the password hint", err)
	}
	if exitCodeFor(err) != ExitAuth {
		t.Errorf("exit code %d, want %d", exitCodeFor(err), ExitAuth)
	}
}

func TestEWSPasswordFromTheKeyringWhenTheEnvironmentHasNone(t *testing.T) {
	kr := useAuthTestKeyring(t)
	if err := auth.NewCredentialStore(kr).SetEWSPassword(context.Background(), `CONTOSO\frontdesk`, "from-the-keyring"); err != nil {
		t.Fatal(err)
	}
	env := &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Now: time.Now, Paths: testPaths(t),
		Getenv: func(string) string { return "" }}
	pw, err := env.ewsPassword(context.Background(), `contoso\FRONTDESK`)
	if err != nil || pw.Reveal() != "from-the-keyring" {
		t.Fatalf("password %v, %v", pw, err)
	}
	// The environment wins for headless runs.
	env.Getenv = func(k string) string {
		if k == EWSPasswordEnv {
			return "from-the-environment"
		}
		return ""
	}
	if pw, err := env.ewsPassword(context.Background(), `CONTOSO\frontdesk`); err != nil || pw.Reveal() != "from-the-environment" {
		t.Fatalf("password %v, %v", pw, err)
	}
}

// writeResponderCA serves rs over TLS on loopback and writes its certificate
// as the PEM bundle ews.ca_file names.
func writeResponderCA(t *testing.T, rs *ewstest.Responder) (url, caFile string) {
	t.Helper()
	srv := httptest.NewTLSServer(rs)
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/EWS/Exchange.asmx", caFile
}

func TestStatusOnEWSReadsTheDocumentedAnswers(t *testing.T) {
	const password = "Summer2026!not-in-any-log"
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: ewstest.SalesTeam}
	url, caFile := writeResponderCA(t, rs)
	paths := testPaths(t)
	writeConfig(t, paths.ConfigFile, ewsConfig(url, caFile))

	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Now: time.Now, Paths: paths,
		Getenv: func(k string) string {
			if k == EWSPasswordEnv {
				return password
			}
			return ""
		}}
	code := env.run(context.Background(), []string{"status", "--json", "--at", "2006-10-16T07:30:00-07:00"})
	if code != ExitPartial {
		t.Fatalf("exit %d, want %d (one person unknown); stderr: %s", code, ExitPartial, stderr.String())
	}
	for _, v := range rs.Violations() {
		t.Error(v)
	}
	var out struct {
		Source, State string
		People        []struct {
			Name, Email, Status, Subject, Error string
			Until                               *time.Time
			OutOfOffice                         struct {
				Active  bool
				Message string
			} `json:"out_of_office"`
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if out.Source != "ews" || out.State != "partial" || len(out.People) != 3 {
		t.Fatalf("%s", stdout.String())
	}
	got := fmt.Sprintf("%s %s %s|%s %s|%s %s", out.People[0].Name, out.People[0].Status, out.People[0].Subject,
		out.People[1].Name, out.People[1].Status, out.People[2].Name, out.People[2].Status)
	if got != "Dan Park busy Pick up my groceries|Jeff Price free|Tanja Plate unknown" {
		t.Errorf("people: %s\n%s", got, stdout.String())
	}
	if !out.People[0].OutOfOffice.Active || !strings.HasPrefix(out.People[0].OutOfOffice.Message, "I am at the customer summit") {
		t.Errorf("Dan Park's automatic reply: %+v", out.People[0].OutOfOffice)
	}
	if !strings.Contains(out.People[2].Error, "ErrorMailRecipientNotFound") {
		t.Errorf("Tanja Plate's error: %q", out.People[2].Error)
	}

	// The password went to the server and nowhere else.
	for _, r := range rs.Requests() {
		if !r.HasAuth {
			t.Errorf("%s sent without credentials", r.Operation)
		}
	}
	_ = filepath.Walk(paths.LogDir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(password)) {
				t.Errorf("%s contains the password", p)
			}
		}
		return nil
	})
	if strings.Contains(stdout.String()+stderr.String(), password) {
		t.Error("the password reached stdout or stderr")
	}
}

func writeConfig(t *testing.T, path string, cfg Config) {
	t.Helper()
	if err := SaveUserConfig(path, cfg); err != nil {
		t.Fatal(err)
	}
}
