package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// roomsJSON is the part of status --json about meeting rooms.
type roomsJSON struct {
	People []struct {
		Email string `json:"email"`
	} `json:"people"`
	Rooms []struct {
		Name    string  `json:"name"`
		Email   string  `json:"email"`
		Status  string  `json:"status"`
		Until   *string `json:"until"`
		Subject string  `json:"subject"`
		Error   string  `json:"error"`
		Room    struct {
			Capacity int    `json:"capacity"`
			Building string `json:"building"`
			Floor    string `json:"floor"`
		} `json:"room"`
		Slots []struct {
			Start   string `json:"start"`
			End     string `json:"end"`
			Status  string `json:"status"`
			Subject string `json:"subject"`
		} `json:"slots"`
	} `json:"rooms"`
	RoomsError string `json:"rooms_error"`
}

func ceilDiv(n, d int) int { return (n + d - 1) / d }

// The real binary against Prism serving the documented /places answer: the
// rooms list, and a busy room's day, from the same getSchedule as the
// colleagues (two people and two rooms: one request).
func TestRoomsGraphAgainstPrism(t *testing.T) {
	frontdeskBin(t)
	graphURL := startPrism(t)
	env, home := isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-token")
	people := fmt.Sprintf("emails = [%q, %q]", adele, megan)
	config := writePrismConfig(t, home, graphURL, prismConfig{people: people})
	out, stderr, code := runFrontdesk(t, append(env, "FRONTDESK_CONFIG="+config), "status", "--json", "--at", "2019-03-15T12:30:00-07:00")
	if code != 0 {
		t.Fatalf("exit %d; stderr: %s\nstdout: %s", code, stderr, out)
	}
	var s roomsJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(s.People) != 2 || len(s.Rooms) != 2 || s.RoomsError != "" {
		t.Fatalf("%d people, %d rooms, rooms_error %q:\n%s", len(s.People), len(s.Rooms), s.RoomsError, out)
	}
	// Rooms are listed by name, after the colleagues.
	busy, free := s.Rooms[0], s.Rooms[1]
	if busy.Name != "Conf Room 100" || busy.Status != "busy" || busy.Until == nil || *busy.Until != "2019-03-15T13:30:00-07:00" ||
		busy.Subject != "Quarterly sales review" || busy.Room.Capacity != 50 || busy.Room.Building != "1" || busy.Room.Floor != "1" {
		t.Errorf("Conf Room 100 at 12:30: %+v", busy)
	}
	if len(busy.Slots) != 1 || busy.Slots[0].Start != "2019-03-15T12:00:00-07:00" || busy.Slots[0].End != "2019-03-15T13:30:00-07:00" {
		t.Errorf("Conf Room 100's day: %+v", busy.Slots)
	}
	if free.Name != "Conf Room 200" || free.Status != "free" || free.Error != "" || free.Room.Capacity != 40 {
		t.Errorf("Conf Room 200 at 12:30: %+v", free)
	}
	if n := countLogged(t, home, "POST /v1.0/me/calendar/getSchedule"); n != ceilDiv(2+2, 20) {
		t.Errorf("%d getSchedule for 2 people and 2 rooms, want %d", n, ceilDiv(4, 20))
	}
	if n := countLogged(t, home, "GET /v1.0/places/microsoft.graph.room"); n != 1 {
		t.Errorf("%d /places requests with the rooms on, want 1", n)
	}

	// rooms = false: the same colleagues, no room, and no /places request.
	env, home = isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-token")
	config = writePrismConfig(t, home, graphURL, prismConfig{top: "rooms = false\n", people: people})
	out, stderr, code = runFrontdesk(t, append(env, "FRONTDESK_CONFIG="+config), "status", "--json", "--at", "2019-03-15T12:30:00-07:00")
	if code != 0 {
		t.Fatalf("rooms off: exit %d; stderr: %s\nstdout: %s", code, stderr, out)
	}
	var off roomsJSON
	if err := json.Unmarshal([]byte(out), &off); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(off.People) != 2 || len(off.Rooms) != 0 || off.RoomsError != "" {
		t.Errorf("rooms off: %d people, %d rooms, rooms_error %q", len(off.People), len(off.Rooms), off.RoomsError)
	}
	if n := countLogged(t, home, "GET /v1.0/places/microsoft.graph.room"); n != 0 {
		t.Errorf("rooms off: %d /places requests, want 0", n)
	}
	if n := countLogged(t, home, "POST /v1.0/me/calendar/getSchedule"); n != 1 {
		t.Errorf("rooms off: %d getSchedule, want 1 (the log proves nothing otherwise)", n)
	}
}

// countLogged counts the requests to route in the log's line per request.
func countLogged(t *testing.T, home, route string) int {
	t.Helper()
	method, path, _ := strings.Cut(route, " ")
	logs, _ := filepath.Glob(filepath.Join(home, ".local", "state", "frontdesk", "*.log"))
	n := 0
	for _, l := range logs {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) != nil {
				continue
			}
			if rec["method"] == method && rec["path"] == path {
				n++
			}
		}
	}
	if n == 0 {
		t.Logf("no %s in the log of %v", route, logs)
	}
	return n
}

// The real binary against the EWS responder: GetRoomLists and GetRooms list
// the documented rooms (a room in two lists once), their calendars come in
// the colleagues' GetUserAvailability as AttendeeType Room, no GetMailTips
// is asked about them, and the busy room's day is the responder's.
func TestRoomsEWSStatusJSON(t *testing.T) {
	url, caFile, _, rs := ewsResponder(t)
	config := writeEWSConfig(t, url, caFile)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword)
	out, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", config, "--at", "2006-10-16T07:30:00-07:00")
	if code != 1 { // Tanja Plate's mailbox is not found, as in TestEWSStatusJSON
		t.Fatalf("exit %d; stderr: %s\nstdout: %s", code, stderr, out)
	}
	var s roomsJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(s.People) != 3 || len(s.Rooms) != 2 || s.RoomsError != "" {
		t.Fatalf("%d people, %d rooms, rooms_error %q:\n%s", len(s.People), len(s.Rooms), s.RoomsError, out)
	}
	busy, free := s.Rooms[0], s.Rooms[1]
	if busy.Name != "Conference Room 1" || busy.Status != "busy" || busy.Until == nil || *busy.Until != "2006-10-16T09:00:00-07:00" ||
		busy.Subject != "Quarterly sales review" || busy.Room.Building != "Building 1 Rooms" {
		t.Errorf("Conference Room 1 at 07:30: %+v", busy)
	}
	if len(busy.Slots) != 1 || busy.Slots[0].Status != "busy" {
		t.Errorf("Conference Room 1's day: %+v", busy.Slots)
	}
	if free.Name != "Conference Room 2" || free.Status != "free" {
		t.Errorf("Conference Room 2 at 07:30: %+v", free)
	}
	ops := map[string]int{}
	asRooms := 0
	for _, r := range rs.Requests() {
		ops[r.Operation]++
		asRooms += len(r.Rooms)
		for _, tip := range r.Recipients {
			if strings.HasPrefix(tip, "conf") {
				t.Errorf("GetMailTips asked about the room %s", tip)
			}
		}
	}
	if ops["GetRoomLists"] != 1 || ops["GetRooms"] != 2 || ops["GetUserAvailability"] != ceilDiv(3+2, 100) || asRooms != 2 {
		t.Errorf("requests %v, %d mailboxes asked as rooms", ops, asRooms)
	}
	for _, v := range rs.Violations() {
		t.Errorf("responder: %s", v)
	}
}

// 150 rooms on Exchange: their calendars cost at most ceil(150/100) more
// GetUserAvailability per refresh (here they share the colleagues' batches:
// ceil(153/100) in all), and the rooms' listing is one GetRoomLists and one
// GetRooms per list.
func TestRoomsEWSBatchCount(t *testing.T) {
	const rooms = 150
	url, caFile, _, rs := ewsResponder(t)
	rs.Handle = func(r *ewstest.Request) ewstest.Answer {
		switch r.Operation {
		case "GetRoomLists":
			// The first of the documented lists alone.
			doc := ewstest.Fixture("getroomlists.xml")
			second, end := strings.LastIndex(doc, "<t:Address "), strings.LastIndex(doc, "</t:Address>")+len("</t:Address>")
			return ewstest.Answer{Body: doc[:second] + doc[end:]}
		case "GetRooms":
			var b strings.Builder
			for i := range rooms {
				fmt.Fprintf(&b, `<t:Room xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Id><t:Name>Room %03d</t:Name><t:EmailAddress>room%03d@contoso.com</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Id></t:Room>`, i, i)
			}
			doc := ewstest.Fixture("getrooms.xml")
			start := strings.Index(doc, "<t:Room ")
			end := strings.LastIndex(doc, "</t:Room>") + len("</t:Room>")
			return ewstest.Answer{Body: doc[:start] + b.String() + doc[end:]}
		case "GetUserAvailability":
			answers := map[string]string{}
			for _, m := range r.Mailboxes {
				if strings.HasPrefix(m, "room") {
					answers[strings.ToLower(m)] = ewstest.FreeResponse
				}
			}
			docs := ewstest.DocumentedFreeBusyResponses()
			answers["dpark@exampledomain.com"], answers["jprice@exampledomain.com"] = docs[0], docs[1]
			return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, answers)}
		}
		return ewstest.SalesTeam(r)
	}
	config := writeEWSConfig(t, url, caFile)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword)
	out, stderr, _ := runFrontdesk(t, env, "status", "--json", "--config", config, "--at", "2006-10-16T07:30:00-07:00")
	var s roomsJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	if len(s.Rooms) != rooms {
		t.Fatalf("%d rooms, want %d; rooms_error %q", len(s.Rooms), rooms, s.RoomsError)
	}
	ops := map[string]int{}
	for _, r := range rs.Requests() {
		ops[r.Operation]++
	}
	people := len(s.People)
	t.Logf("%d people and %d rooms: %v", people, rooms, ops)
	if got, most := ops["GetUserAvailability"], ceilDiv(people, 100)+ceilDiv(rooms, 100); got > most {
		t.Errorf("%d GetUserAvailability for %d people and %d rooms, want at most ceil(people/100)+ceil(rooms/100) = %d", got, people, rooms, most)
	}
	if ops["GetRoomLists"] != 1 || ops["GetRooms"] != 1 {
		t.Errorf("rooms listed with %v", ops)
	}
	for _, v := range rs.Violations() {
		t.Errorf("responder: %s", v)
	}
}
