package ews

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// GetRoomLists and GetRooms arrived with Exchange 2010. Neither carries a
// capacity or a floor: the room list's name (usually a building's) is the
// one place a room is known by besides its own name.

type getRoomListsRequest struct {
	XMLName xml.Name `xml:"m:GetRoomLists"`
}

type getRoomListsResponse struct {
	XMLName xml.Name `xml:"GetRoomListsResponse"`
	responseMessage
	Lists []mailbox `xml:"RoomLists>Address"`
}

type getRoomsRequest struct {
	XMLName      xml.Name `xml:"m:GetRooms"`
	EmailAddress string   `xml:"m:RoomList>t:EmailAddress"`
}

type getRoomsResponse struct {
	XMLName xml.Name `xml:"GetRoomsResponse"`
	responseMessage
	Rooms []struct {
		ID mailbox `xml:"Id"`
	} `xml:"Rooms>Room"`
}

// RoomList is one of the organisation's room lists (a distribution list of
// room mailboxes, usually one per building).
type RoomList struct {
	Name  string
	Email string
}

func parseGetRoomLists(data []byte) ([]RoomList, error) {
	const op = "ews.GetRoomLists"
	resp, fault, err := decodeEnvelope(data, "GetRoomListsResponse", func(r *getRoomListsResponse) xml.Name { return r.XMLName })
	if err != nil {
		return nil, err
	}
	if fault != nil {
		return nil, faultError(op, fault)
	}
	if err := responseError(op, resp.responseMessage); err != nil {
		return nil, err
	}
	var out []RoomList
	for _, l := range resp.Lists {
		if email := strings.TrimSpace(l.EmailAddress); email != "" {
			out = append(out, RoomList{Name: strings.TrimSpace(l.Name), Email: email})
		}
	}
	return out, nil
}

func parseGetRooms(data []byte, list RoomList) ([]calendar.Person, error) {
	const op = "ews.GetRooms"
	resp, fault, err := decodeEnvelope(data, "GetRoomsResponse", func(r *getRoomsResponse) xml.Name { return r.XMLName })
	if err != nil {
		return nil, err
	}
	if fault != nil {
		return nil, faultError(op, fault)
	}
	if err := responseError(op, resp.responseMessage); err != nil {
		return nil, err
	}
	var out []calendar.Person
	for _, r := range resp.Rooms {
		email := strings.TrimSpace(r.ID.EmailAddress)
		if rt := strings.TrimSpace(r.ID.RoutingType); email == "" || (rt != "" && !strings.EqualFold(rt, "SMTP")) {
			continue
		}
		name := strings.TrimSpace(r.ID.Name)
		if name == "" {
			name = email
		}
		out = append(out, calendar.Person{Name: name, Email: email, Office: list.Name, Room: &calendar.Room{Building: list.Name}})
	}
	return out, nil
}

// GetRoomLists lists the organisation's room lists.
func (c *Client) GetRoomLists(ctx context.Context) ([]RoomList, error) {
	body, err := c.call(ctx, "GetRoomLists", getRoomListsRequest{})
	if err != nil {
		return nil, err
	}
	lists, err := parseGetRoomLists(body)
	if err != nil {
		var ce *calendar.Error
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, parseError("GetRoomLists", err)
	}
	return lists, nil
}

// GetRooms lists the rooms of one room list.
func (c *Client) GetRooms(ctx context.Context, list RoomList) ([]calendar.Person, error) {
	body, err := c.call(ctx, "GetRooms", getRoomsRequest{EmailAddress: list.Email})
	if err != nil {
		return nil, err
	}
	rooms, err := parseGetRooms(body, list)
	if err != nil {
		var ce *calendar.Error
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, parseError("GetRooms", err)
	}
	return rooms, nil
}

// Rooms lists every room of every room list, each once (a room in two lists
// keeps the first). Exchange 2007 has no room lists: the rooms view says so.
// A list that fails is logged and skipped unless the account is rejected or
// the server asks to back off, which the engine must hear about.
func (s *Source) Rooms(ctx context.Context) ([]calendar.Person, error) {
	if s.client.Version() == "Exchange2007_SP1" {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.GetRoomLists",
			Hint: "Exchange 2007 does not list meeting rooms; Exchange 2010 or later does.",
			Err:  errors.New("GetRoomLists needs Exchange 2010 or later; ews.version is Exchange2007_SP1")}
	}
	lists, err := s.client.GetRoomLists(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var rooms []calendar.Person
	for _, l := range lists {
		got, err := s.client.GetRooms(ctx, l)
		if err != nil {
			switch calendar.KindOf(err) {
			case calendar.KindAuth, calendar.KindLocked, calendar.KindThrottled:
				return nil, err
			}
			s.log.Warn("ews: a room list could not be read; its rooms are left out", "list", l.Email, "err", err)
			continue
		}
		for _, r := range got {
			if k := strings.ToLower(r.Email); !seen[k] {
				seen[k] = true
				rooms = append(rooms, r)
			}
		}
	}
	return rooms, nil
}
