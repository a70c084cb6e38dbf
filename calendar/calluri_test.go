package calendar

import (
	"errors"
	"testing"
)

func TestCallURI(t *testing.T) {
	tests := []struct {
		name, template, prefix, number, email string
		want                                  string
		wantErr                               error
	}{
		{"demo number", "tel:{number}", "", "+1 555 0140", "", "tel:+15550140", nil},
		{"empty template is tel", "", "", "+1 555 0140", "", "tel:+15550140", nil},
		{"dots brackets dashes", "tel:{number}", "", "(555) 010-0.140", "", "tel:5550100140", nil},
		{"outside line prefix", "tel:{number}", "9", "555-0140", "", "tel:95550140", nil},
		{"callto", "callto:{number}", "", "+44 20 7946 0018", "", "callto:+442079460018", nil},
		{"sip address", "sip:{email}", "", "", "ada@contoso.com", "sip:ada@contoso.com", nil},
		{"teams link escapes the address", "https://teams.microsoft.com/l/call/0/0?users={email}", "", "", "ada+desk@contoso.com",
			"https://teams.microsoft.com/l/call/0/0?users=ada%2Bdesk%40contoso.com", nil},
		{"hash is escaped", "tel:{number}", "", "*21#", "", "tel:%2A21%23", nil},
		{"no number", "tel:{number}", "", "", "ada@contoso.com", "", ErrNothingToCall},
		{"only a plus", "tel:{number}", "", "+", "", "", ErrNothingToCall},
		{"letters are not dialled", "tel:{number}", "", "+1 555 0140 ext 12", "", "", ErrNothingToCall},
		{"no address", "sip:{email}", "", "+1 555 0140", "", "", ErrNothingToCall},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := CallURI(tt.template, tt.prefix, tt.number, tt.email)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("CallURI = %v, %v; want %v", u, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.String() != tt.want {
				t.Errorf("CallURI = %q, want %q", u.String(), tt.want)
			}
		})
	}
}

func TestUnknownCallPlaceholder(t *testing.T) {
	tests := []struct{ template, want string }{
		{"tel:{number}", ""},
		{"https://teams.microsoft.com/l/call/0/0?users={email}", ""},
		{"tel:{phone}", "{phone}"},
		{"sip:{email}{name}", "{name}"},
		{"tel:{}", "{}"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			if got := UnknownCallPlaceholder(tt.template); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
