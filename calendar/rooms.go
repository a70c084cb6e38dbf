package calendar

import (
	"context"
	"time"
)

// DefaultRoomsInterval is how often the list of meeting rooms is read again:
// rooms are built and retired far more rarely than people join and leave, and
// their calendars are refreshed with everyone's in between.
const DefaultRoomsInterval = 24 * time.Hour

// RoomLister is implemented by sources that can list the organisation's
// meeting rooms (Graph /places/microsoft.graph.room, EWS GetRoomLists and
// GetRooms). Each Person it returns has Room set and a mail address; their
// calendars are then asked for in the same Availability batches as everyone's.
type RoomLister interface {
	Rooms(ctx context.Context) ([]Person, error)
}

// roomList is the rooms last listed and why the latest listing failed.
// Not safe for concurrent use: the Refresher's lock guards it.
type roomList struct {
	rooms []Person
	err   error     // why the rooms are not (all) shown; nil when listed
	due   time.Time // when they are next listed; zero: at the next directory load
}

// roomsDueLocked reports whether the directory load about to run lists the rooms too.
func (r *Refresher) roomsDueLocked(now time.Time) (RoomLister, bool) {
	rl, ok := r.src.(RoomLister)
	if !ok || r.roomsOff {
		return nil, false
	}
	return rl, r.rooms.due.IsZero() || !now.Before(r.rooms.due)
}

// listRooms asks the source for its rooms. A failure never stops the engine
// or the colleagues' calendars: the last rooms listed stay, and the snapshot
// says why the list may be missing. A refusal (the organisation has not
// approved Place.Read.All) waits a whole interval or the next sign-in; any
// other failure is tried again with the next directory retry.
func (r *Refresher) listRooms(ctx context.Context, rl RoomLister) {
	rooms, err := rl.Rooms(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		r.rooms.err = err
		switch KindOf(err) {
		case KindPermission, KindConfig:
			r.rooms.due = now.Add(r.roomsEvery)
		default:
			r.rooms.due = now.Add(min(directoryRetry, r.roomsEvery))
		}
		r.log.Warn("meeting rooms could not be listed; the colleagues are not affected", "rooms_kept", len(r.rooms.rooms), "retry_at", r.rooms.due, "err", err)
		return
	}
	kept := rooms[:0:0]
	for _, p := range rooms {
		if p.Room == nil {
			p.Room = &Room{}
		}
		if p.Email != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) != len(r.rooms.rooms) || r.rooms.err != nil {
		r.log.Info("meeting rooms listed", "rooms", len(kept), "before", len(r.rooms.rooms))
	}
	r.rooms = roomList{rooms: kept, due: now.Add(r.roomsEvery)}
}

// rooms is how many of the roster's people are meeting rooms.
func (ro *roster) rooms() int {
	n := 0
	for _, p := range ro.people {
		if p.IsRoom() {
			n++
		}
	}
	return n
}

// withRooms is the directory the engine polls: the colleagues, then the rooms.
func withRooms(people, rooms []Person) []Person {
	if len(rooms) == 0 {
		return people
	}
	all := make([]Person, 0, len(people)+len(rooms))
	return append(append(all, people...), rooms...)
}

// Colleagues is the people of a snapshot that are not rooms, in its order.
func (s Snapshot) Colleagues() []*PersonState {
	out := make([]*PersonState, 0, len(s.People))
	for _, p := range s.People {
		if !p.Person.IsRoom() {
			out = append(out, p)
		}
	}
	return out
}

// MeetingRooms is the rooms of a snapshot, in its order.
func (s Snapshot) MeetingRooms() []*PersonState {
	var out []*PersonState
	for _, p := range s.People {
		if p.Person.IsRoom() {
			out = append(out, p)
		}
	}
	return out
}
