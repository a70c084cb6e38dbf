package calendar

import (
	"math"
	"time"
	"unsafe"
)

// packedSlot is a Slot as the roster keeps it: its start as Unix
// nanoseconds and its length in whole seconds, its zone held once for the
// answer (answerItems.loc), its status in a byte. 48 bytes where a Slot is
// 96 (two time.Time, each with its zone pointer, and a word for the
// status). The window's items are most of what the console holds: 14 a
// colleague on a Monday's four days, 69 MB at 50,000 colleagues as Slots.
type packedSlot struct {
	start             int64
	subject, location string
	seconds           int32
	status            uint8
	private, allDay   bool
}

// end is when the item ends, as Unix nanoseconds.
func (p packedSlot) end() int64 { return p.start + int64(p.seconds)*int64(time.Second) }

// answerItems is one answer's items as the roster keeps them: packed where
// every item packs and unpacks to exactly itself (one zone, no monotonic
// reading, instants Unix nanoseconds reach, a status a byte holds), else as
// they came.
type answerItems struct {
	slots  []Slot // nil when packed
	packed []packedSlot
	loc    *time.Location // the zone of every packed item
}

// len is how many items there are.
func (it answerItems) len() int { return len(it.slots) + len(it.packed) }

// unpack is the item packed as p in loc.
func (p packedSlot) unpack(loc *time.Location) Slot {
	return Slot{Start: time.Unix(0, p.start).In(loc), End: time.Unix(0, p.end()).In(loc), Status: Status(p.status),
		Subject: p.subject, Location: p.location, Private: p.private, AllDay: p.allDay}
}

// packs reports whether s packs in loc to itself, and how.
func packs(s Slot, loc *time.Location) (packedSlot, bool) {
	length := s.End.Sub(s.Start)
	if s.Status < 0 || s.Status > math.MaxUint8 || s.Start.Location() != loc || s.End.Location() != loc ||
		length < 0 || length%time.Second != 0 || length/time.Second > math.MaxInt32 {
		return packedSlot{}, false
	}
	p := packedSlot{start: s.Start.UnixNano(), seconds: int32(length / time.Second), subject: s.Subject, location: s.Location,
		status: uint8(s.Status), private: s.Private, allDay: s.AllDay}
	// UnixNano is undefined past 2262 and a time with a monotonic reading
	// or another encoding of the same instant would not come back as ==:
	// whatever does not come back as itself is kept as it came.
	return p, p.unpack(loc) == s
}

// slotsInto is the items as Slots: the answer's own when kept as they came,
// else unpacked into buf's room (buf is reused: the caller copies what it
// keeps).
func (it answerItems) slotsInto(buf []Slot) []Slot {
	if it.packed == nil {
		return it.slots
	}
	buf = buf[:0]
	for _, p := range it.packed {
		buf = append(buf, p.unpack(it.loc))
	}
	return buf
}

// slots is the items as Slots of their own.
func (it answerItems) slotsCopy() []Slot {
	if it.packed == nil {
		return it.slots
	}
	return it.slotsInto(make([]Slot, 0, len(it.packed)))
}

// batchItems is the items of a batch's answers as the roster keeps them,
// private ones without subject or location: out[j] is avail[j]'s. A source
// builds each answer among the garbage of reading it (a colleague's items
// grown by appending, a day laid out, a reply parsed), and answers kept one
// by one stay scattered among that garbage's freed room, which the heap can
// neither reuse nor give back (at 50,000 colleagues a third of the heap in
// use, 52 of 158 MiB). So the packed items are taken from the arena's
// chunks, side by side, and those that do not pack are one array a batch,
// each answer's a slice that ends with them (an append never writes into
// the next one's). An answer that keeps the last good data when the new one
// cannot be read takes its items out of them (roster.record). A nil arena
// gives each batch an array of its own.
func batchItems(avail []Availability, arena *itemArena) []answerItems {
	out := make([]answerItems, len(avail))
	unpacked := 0
	for j, a := range avail {
		if len(a.Slots) == 0 {
			continue
		}
		loc := a.Slots[0].Start.Location()
		out[j].loc = loc
		for _, s := range a.Slots {
			if s.Private {
				s.Subject, s.Location = "", ""
			}
			if _, ok := packs(s, loc); !ok {
				out[j].loc = nil
				break
			}
		}
		if out[j].loc == nil {
			unpacked += len(a.Slots)
		}
	}
	var slotsAll []Slot
	if unpacked > 0 {
		slotsAll = make([]Slot, 0, unpacked)
	}
	for j, a := range avail {
		if len(a.Slots) == 0 {
			continue
		}
		if loc := out[j].loc; loc != nil {
			// Room an answer at a time: a chunk's tail too short for a
			// whole batch would be room touched and never used.
			packed := arena.take(len(a.Slots))
			for _, s := range a.Slots {
				if s.Private {
					s.Subject, s.Location = "", ""
				}
				p, _ := packs(s, loc)
				packed = append(packed, p)
			}
			out[j].packed = packed
			continue
		}
		start := len(slotsAll)
		for _, s := range a.Slots {
			if s.Private {
				s.Subject, s.Location = "", ""
			}
			slotsAll = append(slotsAll, s)
		}
		out[j].slots = slotsAll[start:len(slotsAll):len(slotsAll)]
	}
	return out
}

// ownCopy is the items in arrays of their own length.
func (it answerItems) ownCopy() answerItems {
	if it.packed != nil {
		it.packed = append(make([]packedSlot, 0, len(it.packed)), it.packed...)
	} else if it.slots != nil {
		it.slots = append(make([]Slot, 0, len(it.slots)), it.slots...)
	}
	return it
}

// dayItems are the packed items that touch day, in their order: a view of
// packed when they lie side by side, else a copy. The same items daySlots
// picks from their Slots (private ones have no subject or location left:
// batchItems cleared them).
func dayItems(packed []packedSlot, day Window) []packedSlot {
	from, to := day.Start.UnixNano(), day.End.UnixNano()
	inDay := func(p packedSlot) bool { return p.end() > from && p.start < to }
	first, last, together := -1, -1, true
	for i, p := range packed {
		if !inDay(p) {
			continue
		}
		if first < 0 {
			first = i
		} else if last != i-1 {
			together = false
		}
		last = i
	}
	switch {
	case first < 0:
		return nil
	case together:
		return packed[first : last+1 : last+1]
	}
	var out []packedSlot
	for _, p := range packed[first : last+1] {
		if inDay(p) {
			out = append(out, p)
		}
	}
	return out
}

// itemArena hands out room for packed items from chunks of 64 KiB, each a
// large object of its own that the heap frees whole. A cycle asks everyone
// again, so the chunks one cycle filled go once the next has replaced their
// answers. Arrays a batch, as before, were 7-14 KiB: a size class with two or
// three to a span, where one array still in use kept the others' room, and
// a console at 50,000 colleagues held 20 MiB more after its second refresh
// than after its first. Not safe for concurrent use: the roster's lock
// guards it.
type itemArena struct {
	free []packedSlot
}

// arenaChunkItems is how many packed items a chunk holds (64 KiB).
const arenaChunkItems = 64 << 10 / int(unsafe.Sizeof(packedSlot{}))

// take is room for n packed items: an empty slice with capacity n that
// nothing else is given.
func (a *itemArena) take(n int) []packedSlot {
	if a == nil || n > arenaChunkItems {
		return make([]packedSlot, 0, n)
	}
	if n > cap(a.free)-len(a.free) {
		a.free = make([]packedSlot, 0, arenaChunkItems)
	}
	start := len(a.free)
	a.free = a.free[:start+n]
	return a.free[start : start : start+n]
}
