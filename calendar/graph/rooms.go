package graph

import (
	"context"
	"strconv"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// roomsPath lists the tenant's meeting rooms (Place.Read.All). Their mail
// addresses are mailboxes getSchedule answers for like anyone's.
const roomsPath = "/places/microsoft.graph.room"

// roomsPageSize asks for large pages: a campus has hundreds of rooms, and
// the listing is read once a day.
const roomsPageSize = "100"

// place is one room of /places/microsoft.graph.room, the fields shown.
type place struct {
	ID           string `json:"id"`
	DisplayName  string `json:"displayName"`
	EmailAddress string `json:"emailAddress"`
	Capacity     *int   `json:"capacity"`
	Building     string `json:"building"`
	FloorLabel   string `json:"floorLabel"`
	FloorNumber  *int   `json:"floorNumber"`
	Phone        string `json:"phone"`
	IsWheelChair bool   `json:"isWheelChairAccessible"`
}

type placePage struct {
	Value    []place `json:"value"`
	NextLink string  `json:"@odata.nextLink"`
}

// Rooms lists the organisation's meeting rooms, following every page. With
// Options.Rooms off it lists none and asks nothing. A tenant that has not
// approved Place.Read.All answers with a KindPermission error (consent
// missing for the scope, or 403), which the engine shows in the rooms view
// and nowhere else.
func (s *Source) Rooms(ctx context.Context) ([]calendar.Person, error) {
	if !s.opts.Rooms {
		return nil, nil
	}
	const op = "graph.rooms"
	u, err := s.endpoint(roomsPath, nil)
	if err != nil {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
	}
	u.RawQuery = "$top=" + roomsPageSize
	pages := s.newPager(op)
	var rooms []calendar.Person
	seen := map[string]bool{}
	for {
		var page placePage
		if err := s.getPage(ctx, op, u, &page); err != nil {
			return nil, err
		}
		for _, p := range page.Value {
			room, ok := roomOf(p)
			if !ok || seen[strings.ToLower(room.Email)] {
				continue
			}
			seen[strings.ToLower(room.Email)] = true
			rooms = append(rooms, room)
		}
		next, stop := pages.next(page.NextLink)
		if stop != nil {
			return nil, stop
		}
		if next == nil {
			return rooms, nil
		}
		u = next
	}
}

// roomOf is a place as the console shows it; a room without a mailbox has no
// calendar to read and is left out.
func roomOf(p place) (calendar.Person, bool) {
	email := strings.TrimSpace(p.EmailAddress)
	if email == "" {
		return calendar.Person{}, false
	}
	name := strings.TrimSpace(p.DisplayName)
	if name == "" {
		name = email
	}
	room := &calendar.Room{Building: strings.TrimSpace(p.Building), Floor: strings.TrimSpace(p.FloorLabel)}
	if p.Capacity != nil && *p.Capacity > 0 {
		room.Capacity = *p.Capacity
	}
	if room.Floor == "" && p.FloorNumber != nil {
		room.Floor = strconv.Itoa(*p.FloorNumber)
	}
	// No directory id: the place's id is not a user's, and presence is asked
	// by user id, so rooms never cost a presence lookup.
	return calendar.Person{Name: name, Email: email, Phone: strings.TrimSpace(p.Phone), Office: room.Building, Room: room}, true
}
