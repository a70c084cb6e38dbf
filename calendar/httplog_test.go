package calendar

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLogRequestsOneLinePerRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "4d1b6c2e-server")
		w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
		w.Header().Set("Set-Cookie", "session=cookie-secret")
		if r.URL.Path == "/busy" {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	tests := []struct {
		name       string
		level      slog.Level
		path       string
		wantStatus float64
		wantWait   string
		wantLevel  string
		headers    bool
	}{
		{"ok at info", slog.LevelInfo, "/v1.0/users", 200, "", "INFO", false},
		{"throttled says the wait", slog.LevelInfo, "/busy", 429, "7s", "WARN", false},
		{"debug adds redacted headers", slog.LevelDebug, "/v1.0/users", 200, "", "INFO", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tt.level}))
			client := &http.Client{Transport: LogRequests(http.DefaultTransport.(*http.Transport).Clone(), logger)}
			req, _ := http.NewRequest("GET", srv.URL+tt.path+"?code=query-secret&$filter=x", nil)
			req.SetBasicAuth("CONTOSO\\op", "password-secret")
			req.Header.Set("client-request-id", "c0ffee-client")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1:\n%s", len(lines), buf.String())
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
				t.Fatal(err)
			}
			if got["method"] != "GET" || got["path"] != tt.path || got["status"] != tt.wantStatus || got["level"] != tt.wantLevel ||
				got["request_id"] != "4d1b6c2e-server" || got["client_request_id"] != "c0ffee-client" || got["host"] != strings.TrimPrefix(srv.URL, "http://") {
				t.Errorf("log line %v", got)
			}
			if _, ok := got["ms"]; !ok {
				t.Error("no duration")
			}
			if w, _ := got["throttle_wait"].(string); w != tt.wantWait {
				t.Errorf("throttle_wait %q, want %q", w, tt.wantWait)
			}
			_, hasHeaders := got["request_headers"]
			if hasHeaders != tt.headers {
				t.Errorf("headers logged: %v, want %v", hasHeaders, tt.headers)
			}
			if tt.headers && !strings.Contains(got["request_headers"].(string), "Authorization: Basic [redacted]") {
				t.Errorf("request headers %q", got["request_headers"])
			}
			for _, secret := range []string{"query-secret", "password-secret", "cookie-secret", "filter"} {
				if strings.Contains(buf.String(), secret) {
					t.Errorf("%q reached the log: %s", secret, buf.String())
				}
			}
		})
	}
}

func TestLogRequestsFailureHasNoQuery(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // a refused port
	var buf bytes.Buffer
	client := &http.Client{Transport: LogRequests(http.DefaultTransport.(*http.Transport).Clone(), slog.New(slog.NewJSONHandler(&buf, nil)))}
	if _, err := client.Get(addr + "/token?refresh_token=query-secret"); err == nil {
		t.Fatal("a closed port answered")
	}
	if !strings.Contains(buf.String(), `"msg":"http request failed"`) || !strings.Contains(buf.String(), "refused") || strings.Contains(buf.String(), "query-secret") {
		t.Errorf("log: %s", buf.String())
	}
}
