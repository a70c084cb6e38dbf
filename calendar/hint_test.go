package calendar

import (
	"errors"
	"testing"
)

// A hint is an English template; logs and status --json read it with its
// placeholders filled, exactly as the sentence was before it became one.
func TestHintTextFillsPlaceholders(t *testing.T) {
	tests := []struct {
		name      string
		err       *Error
		wantHint  string
		wantError string
	}{
		{"no placeholders", &Error{Kind: KindAuth, Op: "graph.token", Hint: "Not signed in."},
			"Not signed in.", "graph.token: auth: Not signed in."},
		{"one placeholder", &Error{Kind: KindConfig, Op: "graph.Directory", Hint: "No group with the address {{.Group}}.", HintArgs: map[string]any{"Group": "desk@contoso.com"}},
			"No group with the address desk@contoso.com.", "graph.Directory: config: No group with the address desk@contoso.com."},
		{"a number and a string", &Error{Kind: KindThrottled, Hint: "{{.N}} requests to {{.Host}}; {{.N}} is the limit.", HintArgs: map[string]any{"N": 8000, "Host": "ews"}},
			"8000 requests to ews; 8000 is the limit.", "throttled: 8000 requests to ews; 8000 is the limit."},
		{"a value that looks like a placeholder stays as it is", &Error{Kind: KindConfig, Hint: "No group with the address {{.Group}}.", HintArgs: map[string]any{"Group": "{{.Group}}"}},
			"No group with the address {{.Group}}.", "config: No group with the address {{.Group}}."},
		{"the cause wins in Error", &Error{Kind: KindAuth, Op: "ews password", Hint: "Stored for {{.User}}.", HintArgs: map[string]any{"User": "ada"}, Err: errors.New("not found")},
			"Stored for ada.", "ews password: auth: not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.HintText(); got != tt.wantHint {
				t.Errorf("HintText = %q, want %q", got, tt.wantHint)
			}
			if got := tt.err.Error(); got != tt.wantError {
				t.Errorf("Error = %q, want %q", got, tt.wantError)
			}
		})
	}
}
