package calendar

import (
	"errors"
	"net/url"
	"testing"
)

func TestChatURI(t *testing.T) {
	tests := []struct {
		name, template, email, text string
		want                        string
		wantErr                     error
	}{
		{"default Teams chat", "", "ada@contoso.com", "A caller is waiting for you",
			"https://teams.microsoft.com/l/chat/0/0?users=ada%40contoso.com&message=A%20caller%20is%20waiting%20for%20you", nil},
		{"& and # stay in the message", DefaultChatURI, "ada@contoso.com", "Smith & Sons #4",
			"https://teams.microsoft.com/l/chat/0/0?users=ada%40contoso.com&message=Smith%20%26%20Sons%20%234", nil},
		{"non-ASCII as UTF-8", DefaultChatURI, "jürgen@contoso.de", "Herr Müller wartet – Linie 3",
			"https://teams.microsoft.com/l/chat/0/0?users=j%C3%BCrgen%40contoso.de&message=Herr%20M%C3%BCller%20wartet%20%E2%80%93%20Linie%203", nil},
		{"plus and equals are escaped", DefaultChatURI, "ada+desk@contoso.com", "1+1=2?",
			"https://teams.microsoft.com/l/chat/0/0?users=ada%2Bdesk%40contoso.com&message=1%2B1%3D2%3F", nil},
		{"a line break", DefaultChatURI, "ada@contoso.com", "one\ntwo",
			"https://teams.microsoft.com/l/chat/0/0?users=ada%40contoso.com&message=one%0Atwo", nil},
		{"no address", DefaultChatURI, " ", "hello", "", ErrNoAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := ChatURI(tt.template, tt.email, tt.text)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ChatURI = %v, %v; want %v", u, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.String() != tt.want {
				t.Errorf("ChatURI =\n %q, want\n %q", u.String(), tt.want)
			}
			// What Teams reads back is what the operator chose.
			if got := u.Query().Get("message"); got != tt.text {
				t.Errorf("message decodes to %q, want %q", got, tt.text)
			}
		})
	}
}

func TestChatURIRefusesAnUnknownPlaceholder(t *testing.T) {
	if _, err := ChatURI("https://teams.microsoft.com/l/chat/0/0?users={upn}", "ada@contoso.com", "x"); err == nil {
		t.Error("a template with {upn} must be refused")
	}
	if got := UnknownChatPlaceholder("msteams:/l/chat/0/0?users={email}&message={text}{caller}"); got != "{caller}" {
		t.Errorf("UnknownChatPlaceholder = %q, want {caller}", got)
	}
}

func TestMailtoURI(t *testing.T) {
	tests := []struct {
		name, email, subject, body string
		want                       string
	}{
		{"spaces are %20, not +", "ada@contoso.com", "Message from Rossi", "Please call back",
			"mailto:ada@contoso.com?subject=Message%20from%20Rossi&body=Please%20call%20back"},
		{"& # ? = in the text", "ada@contoso.com", "Q&A #2?", "a=b&c",
			"mailto:ada@contoso.com?subject=Q%26A%20%232%3F&body=a%3Db%26c"},
		{"line breaks are CRLF", "ada@contoso.com", "", "Caller: Rossi\nNumber: +39 02 1234\r\nUrgent",
			"mailto:ada@contoso.com?body=Caller%3A%20Rossi%0D%0ANumber%3A%20%2B39%2002%201234%0D%0AUrgent"},
		{"non-ASCII", "ada@contoso.com", "Nachricht von Jürgen Groß", "Rückruf – bitte",
			"mailto:ada@contoso.com?subject=Nachricht%20von%20J%C3%BCrgen%20Gro%C3%9F&body=R%C3%BCckruf%20%E2%80%93%20bitte"},
		{"a subject keeps to one line", "ada@contoso.com", "one\r\ntwo", "",
			"mailto:ada@contoso.com?subject=one%20two"},
		{"the address is escaped but for @", "o'neil+desk@contoso.com", "", "",
			"mailto:o%27neil%2Bdesk@contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := MailtoURI(tt.email, tt.subject, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if u.String() != tt.want {
				t.Errorf("MailtoURI =\n %q, want\n %q", u.String(), tt.want)
			}
			back, err := url.ParseQuery(u.RawQuery)
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" && back.Get("body") == "" {
				t.Errorf("body lost: %q", u.RawQuery)
			}
		})
	}
	if _, err := MailtoURI("", "s", "b"); !errors.Is(err, ErrNoAddress) {
		t.Errorf("no address: %v, want ErrNoAddress", err)
	}
}

func TestMessageTemplates(t *testing.T) {
	tests := []struct {
		template, unknown, filled string
	}{
		{"{name}, a caller is waiting for you on line {number}.", "", "Ada, a caller is waiting for you on line 3."},
		{"Your visitor {caller} has arrived at reception ({time}).", "", "Your visitor Mr Rossi has arrived at reception (10:20)."},
		{"Please call back {caller} on {phone}", "{phone}", "Please call back Mr Rossi on "},
		{"No placeholders", "", "No placeholders"},
	}
	values := map[string]string{"name": "Ada", "caller": "Mr Rossi", "number": "3", "time": "10:20"}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			if got := UnknownMessagePlaceholder(tt.template); got != tt.unknown {
				t.Errorf("UnknownMessagePlaceholder = %q, want %q", got, tt.unknown)
			}
			if got := FillMessage(tt.template, values); got != tt.filled {
				t.Errorf("FillMessage = %q, want %q", got, tt.filled)
			}
		})
	}
}
