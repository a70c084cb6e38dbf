package ui

import "github.com/frontdesk-app/frontdesk/calendar"

// ptrs is people as a snapshot holds them.
func ptrs(people ...calendar.PersonState) []*calendar.PersonState {
	out := make([]*calendar.PersonState, len(people))
	for i := range people {
		out[i] = &people[i]
	}
	return out
}

// ownCopy is people with every state copied: a test may change them without
// touching the snapshot they came from, which other snapshots share.
func ownCopy(people []*calendar.PersonState) []*calendar.PersonState {
	out := make([]*calendar.PersonState, len(people))
	for i, p := range people {
		c := *p
		out[i] = &c
	}
	return out
}

// values is the states people point at, copied.
func values(people []*calendar.PersonState) []calendar.PersonState {
	out := make([]calendar.PersonState, len(people))
	for i, p := range people {
		out[i] = *p
	}
	return out
}
