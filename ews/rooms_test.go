package ews

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// roomsAnswer answers GetRoomLists and GetRooms from the documented
// payloads: both lists hold the same two rooms, which must come out once.
func roomsAnswer(r *ewstest.Request) ewstest.Answer {
	switch r.Operation {
	case "GetRoomLists":
		return fixture("getroomlists.xml")
	case "GetRooms":
		return fixture("getrooms.xml")
	}
	return ewstest.Answer{Status: http.StatusBadRequest}
}

func TestRoomsDecodeDocumentedAnswers(t *testing.T) {
	c, rs := startResponder(t, roomsAnswer)
	src, _ := NewSource(SourceOptions{Client: c})
	rooms, err := src.Rooms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ name, email, building string }{
		{"Conference Room 1", "conf1@contoso.com", "Building 1 Rooms"},
		{"Conference Room 2", "conf2@contoso.com", "Building 1 Rooms"},
	}
	if len(rooms) != len(want) {
		t.Fatalf("%d rooms: %+v", len(rooms), rooms)
	}
	for i, w := range want {
		t.Run(w.name, func(t *testing.T) {
			r := rooms[i]
			if !r.IsRoom() || r.Name != w.name || r.Email != w.email || r.Room.Building != w.building {
				t.Fatalf("got %+v %+v", r, r.Room)
			}
		})
	}
	var lists []string
	for _, r := range rs.Requests() {
		if r.Operation == "GetRooms" {
			lists = append(lists, r.List)
		}
	}
	if strings.Join(lists, " ") != "bldg1rooms@contoso.com bldg2rooms@contoso.com" {
		t.Fatalf("GetRooms asked for %v, want each room list once", lists)
	}
}

// Exchange 2007 has no room lists: nothing is sent (the address leads
// nowhere, so a request would come back as a network error, not this one)
// and the rooms view says so.
func TestRoomsOnExchange2007(t *testing.T) {
	c, err := NewClient(ClientOptions{URL: "https://127.0.0.1:1/EWS/Exchange.asmx", Version: "Exchange2007_SP1", Auth: AuthBasic, Username: "u", Password: testPassword, HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := NewSource(SourceOptions{Client: c})
	_, err = src.Rooms(context.Background())
	if calendar.KindOf(err) != calendar.KindConfig {
		t.Fatalf("err %v, want the configuration's kind", err)
	}
}

// Rooms are more mailboxes in GetUserAvailability: n rooms cost ceil(n/100)
// requests, asked as AttendeeType Room, and no GetMailTips (rooms set no
// automatic replies).
func TestRoomsBatchIntoGetUserAvailability(t *testing.T) {
	for _, n := range []int{1, 100, 101, 250} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
				switch r.Operation {
				case "GetUserAvailability":
					docs := ewstest.DocumentedFreeBusyResponses()
					answers := map[string]string{}
					for _, m := range r.Mailboxes {
						answers[strings.ToLower(m)] = docs[0]
					}
					return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, answers)}
				case "GetMailTips":
					return fixture("getmailtips.xml")
				}
				return ewstest.Answer{Status: http.StatusBadRequest}
			})
			src, _ := NewSource(SourceOptions{Client: c, Location: pacific(t)})
			rooms := make([]calendar.Person, n)
			for i := range rooms {
				rooms[i] = calendar.Person{Name: fmt.Sprint("Room ", i), Email: fmt.Sprintf("room%d@contoso.com", i), Room: &calendar.Room{}}
			}
			w := calendar.Window{Start: time.Date(2006, 10, 16, 0, 0, 0, 0, pacific(t)), End: time.Date(2006, 10, 17, 0, 0, 0, 0, pacific(t))}
			av, err := calendar.FetchAll(context.Background(), src, rooms, w)
			if err != nil || len(av) != n {
				t.Fatalf("%v, %d answers", err, len(av))
			}
			gua, tips, asRoom := 0, 0, 0
			for _, r := range rs.Requests() {
				switch r.Operation {
				case "GetUserAvailability":
					gua++
					asRoom += len(r.Rooms)
				case "GetMailTips":
					tips++
				}
			}
			if want := (n + 99) / 100; gua != want {
				t.Fatalf("%d GetUserAvailability for %d rooms, want ceil(%d/100) = %d", gua, n, n, want)
			}
			if tips != 0 || asRoom != n {
				t.Fatalf("%d GetMailTips, %d of %d mailboxes asked as rooms", tips, asRoom, n)
			}
		})
	}
}
