package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews"
)

type ntlmLogEntry struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Type        any    `json:"type"`
	User        string `json:"user"`
	Domain      string `json:"domain"`
	Workstation string `json:"workstation"`
	SOAPAction  string `json:"soapAction"`
}

func ntlmClient(t *testing.T, peer *Peer, user string) *ews.Client {
	t.Helper()
	hc, err := ews.NewHTTPClient(ews.HTTPOptions{Auth: ews.AuthNTLM, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ews.NewClient(ews.ClientOptions{URL: peer.URL + "/EWS/Exchange.asmx", Version: "Exchange2013_SP1",
		Auth: ews.AuthNTLM, Username: user, Password: "Pa55w.rd-ntlm", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ntlmLog(t *testing.T, peer *Peer) []ntlmLogEntry {
	t.Helper()
	resp, err := http.Get(peer.URL + "/_log")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var log []ntlmLogEntry
	if err := json.NewDecoder(resp.Body).Decode(&log); err != nil {
		t.Fatal(err)
	}
	return log
}

// The NTLM handshake end to end against express-ntlm: ews's client (the
// go-ntlmssp negotiator) answers the 401 with a negotiate message, the
// challenge with an authenticate message, and reads the documented answer.
func TestNTLMHandshakeWithExpressNTLM(t *testing.T) {
	fixture, err := filepath.Abs(filepath.Join("..", "ews", "testdata", "getuseravailability.xml"))
	if err != nil {
		t.Fatal(err)
	}
	peer := startNodePeer(t, "ntlm.js", "EWS_FIXTURE="+fixture)
	if !strings.HasPrefix(peer.URL, "http://127.0.0.1:") {
		t.Fatalf("peer not on loopback: %s", peer.URL)
	}
	c := ntlmClient(t, peer, `CONTOSO\frontdesk`)
	loc, _ := time.LoadLocation("America/Los_Angeles")
	day := time.Date(2006, 10, 16, 0, 0, 0, 0, loc)
	who := []calendar.Person{{Email: "user1@example.com"}, {Email: "user2@example.com"}}
	avail, err := c.GetUserAvailability(context.Background(), who, calendar.Window{Start: day, End: day.AddDate(0, 0, 1)}, loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(avail) != 2 || len(avail[0].Slots) != 3 || avail[0].Slots[1].Subject != "Pick up my groceries" ||
		len(avail[1].Slots) != 1 || avail[1].Slots[0].Status != calendar.StatusTentative {
		t.Fatalf("availability through NTLM: %+v", avail)
	}

	log := ntlmLog(t, peer)
	var types []string
	for _, e := range log {
		types = append(types, jsonString(e.Type))
		if jsonString(e.Type) == "basic" {
			t.Error("the password was sent with Basic")
		}
	}
	// Anonymous first, then negotiate (type 1), then authenticate (type 3).
	if strings.Join(types, ",") != "0,1,3" {
		t.Errorf("NTLM messages %v, want 0,1,3", types)
	}
	last := log[len(log)-1]
	if last.User != "frontdesk" || !strings.EqualFold(last.Domain, "CONTOSO") ||
		last.SOAPAction != `"http://schemas.microsoft.com/exchange/services/2006/messages/GetUserAvailability"` {
		t.Errorf("authenticated request: %+v", last)
	}

	// The connection stays authenticated: the next call needs no handshake.
	if _, err := c.GetUserAvailability(context.Background(), who, calendar.Window{Start: day, End: day.AddDate(0, 0, 1)}, loc); err != nil {
		t.Fatal(err)
	}
	t.Logf("NTLM exchange: %v then %d more request(s) on the authenticated connection", types, len(ntlmLog(t, peer))-len(log))
}

// A logon the server refuses after the handshake is an auth error: the
// refresh engine stops, nothing is retried.
func TestNTLMRejectedLogonIsAnAuthError(t *testing.T) {
	fixture, _ := filepath.Abs(filepath.Join("..", "ews", "testdata", "getuseravailability.xml"))
	peer := startNodePeer(t, "ntlm.js", "EWS_FIXTURE="+fixture)
	c := ntlmClient(t, peer, `CONTOSO\rejected`)
	loc, _ := time.LoadLocation("America/Los_Angeles")
	day := time.Date(2006, 10, 16, 0, 0, 0, 0, loc)
	_, err := c.GetUserAvailability(context.Background(), []calendar.Person{{Email: "user1@example.com"}}, calendar.Window{Start: day, End: day.AddDate(0, 0, 1)}, loc)
	if calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("err = %v, want an auth error", err)
	}
	// One handshake, no second attempt.
	if n := len(ntlmLog(t, peer)); n != 3 {
		t.Errorf("%d requests, want the 3 of one handshake", n)
	}
}

// jsonString prints the peer's message type: a JSON number or "basic".
func jsonString(v any) string { return fmt.Sprint(v) }
