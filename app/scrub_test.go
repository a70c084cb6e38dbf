package app

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// echoFault is a SOAP fault whose text quotes what the request carried: the
// Authorization header's credentials alone (no "Authorization:" or "Basic"
// label the log's scrubber knows), what they decode to, and the password.
func echoFault(r *http.Request) string {
	_, encoded, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	decoded, _ := base64.StdEncoding.DecodeString(encoded)
	user, pw, _ := strings.Cut(string(decoded), ":")
	text := fmt.Sprintf("Access denied for %s with %s (you sent %s; in base64 %s)",
		user, pw, encoded, base64.StdEncoding.EncodeToString([]byte(pw)))
	return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>` +
		`<faultcode>a:ErrorInternalServerError</faultcode><faultstring>` + text + `</faultstring>` +
		`<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorInternalServerError</e:ResponseCode>` +
		`<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">` + text + `</e:Message></detail>` +
		`</s:Fault></s:Body></s:Envelope>`
}

// A server that echoes the password it was sent, as it is, in base64 and as
// base64(user:password), in its error text: none of them reaches stdout,
// stderr, the log folder or the diagnostics bundle.
func TestEchoedPasswordComesOutNowhere(t *testing.T) {
	useAuthTestKeyring(t)
	const password = "Echo-canary-PW-31f7"
	var echoes atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echoes.Add(1)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, echoFault(r))
	}))
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := testPaths(t)
	cfg := ewsConfig(srv.URL+"/EWS/Exchange.asmx", caFile)
	writeConfig(t, paths.ConfigFile, cfg)
	secrets := []string{password,
		base64.StdEncoding.EncodeToString([]byte(cfg.EWS.Username + ":" + password)),
		base64.StdEncoding.EncodeToString([]byte(password))}

	var bundle string
	for _, args := range [][]string{{"status", "--json"}, {"status"}, {"watch", "--json"}, {"doctor", "--bundle"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr lockedBuffer
			env := &Env{Stdout: &stdout, Stderr: &stderr, Now: time.Now, Paths: paths, Getenv: func(k string) string {
				return map[string]string{EWSPasswordEnv: password, "FRONTDESK_LOG_LEVEL": "debug"}[k]
			}}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if args[0] == "watch" {
				// One cycle is enough: the echo is in its first answer.
				go func() {
					for !strings.Contains(stdout.String(), "\n") && ctx.Err() == nil {
						time.Sleep(50 * time.Millisecond)
					}
					cancel()
				}()
			}
			code := env.run(ctx, args)
			t.Logf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
			for _, s := range secrets {
				if strings.Contains(stdout.String(), s) {
					t.Errorf("stdout carries %q", s)
				}
				if strings.Contains(stderr.String(), s) {
					t.Errorf("stderr carries %q", s)
				}
			}
			if _, path, ok := strings.Cut(stdout.String(), "Diagnostics bundle: "); ok {
				bundle = strings.TrimSpace(path)
			}
		})
	}
	if echoes.Load() == 0 {
		t.Fatal("the server echoed nothing: nothing was tested")
	}
	if bundle == "" {
		t.Fatal("doctor wrote no bundle")
	}
	// Everything the runs left: the log folder (the bundle with it) and the state.
	searched := 0
	for _, dir := range []string{paths.LogDir, paths.StateDir} {
		_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
			if err != nil || !info.Mode().IsRegular() {
				return err
			}
			for name, text := range texts(t, path) {
				searched++
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s carries %q", name, s)
					}
				}
			}
			return nil
		})
	}
	log, _ := os.ReadFile(filepath.Join(paths.LogDir, LogFileName))
	if !strings.Contains(string(log), "Access denied for") {
		t.Errorf("the log does not quote the server's text: the search looked at nothing\n%s", log)
	}
	t.Logf("the server echoed %d times; %d files searched", echoes.Load(), searched)
}

// texts is a file's text, or each member's when it is a zip archive.
func texts(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".zip") {
		return map[string]string{path: string(data)}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[path+"!"+f.Name] = string(b)
	}
	return out
}

// lockedBuffer is a bytes.Buffer a running watch writes while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
