package graph

import "testing"

// graph_url may be plain http only on this machine; the configuration and the
// source must agree on what "this machine" is (all of 127.0.0.0/8, ::1,
// localhost), or a URL the configuration accepted fails at the first refresh.
func TestBaseURLPlainHTTPOnlyOnLoopback(t *testing.T) {
	tests := map[string]bool{
		"http://127.0.0.1:4010/v1.0": true, "http://127.0.0.2:4010/v1.0": true, "http://[::1]:4010/v1.0": true,
		"http://localhost:4010/v1.0": true, "https://graph.contoso.test/v1.0": true,
		"http://graph.contoso.test/v1.0": false, "http://10.0.0.5/v1.0": false, "ftp://127.0.0.1/v1.0": false,
	}
	for raw, ok := range tests {
		t.Run(raw, func(t *testing.T) {
			_, err := BaseURL("global", raw)
			if (err == nil) != ok {
				t.Errorf("BaseURL(%q) err = %v, want accepted %v", raw, err, ok)
			}
		})
	}
}
