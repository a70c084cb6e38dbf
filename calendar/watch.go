package calendar

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Watches are the operator's "tell me when free" requests (Ctrl+B): each
// colleague watched today is told about once, when they can take a call.
// A watch ends when it fires, when the operator removes it, or when the
// operator's day ends. Keys are Person.Key, compared without case. Not safe
// for concurrent use: the window keeps it on the Fyne goroutine.
type Watches struct {
	day  string   // the operator's date the watches were set on, "2006-01-02"
	keys []string // normKey, in the order they were set
}

// watchDay is the operator's date at now, in now's zone.
func watchDay(now time.Time) string { return now.Format(time.DateOnly) }

// FreeToCall reports whether a colleague can take a call now: their
// calendar says Free, it is within the working hours they shared, and their
// Teams presence, where known, is not Busy, In a call, Presenting or Do not
// disturb. Away and Offline do not block: a desk phone may still ring.
func FreeToCall(p PersonState, now time.Time) bool {
	if p.Status != StatusFree {
		return false
	}
	if _, off := p.OffHours(now); off {
		return false
	}
	return !PresenceBusy(p.Presence)
}

// PresenceBusy reports whether a Graph presence ("Availability (Activity)")
// says the colleague must not be disturbed now.
func PresenceBusy(presence string) bool {
	availability, activity, _ := strings.Cut(presence, " (")
	activity = strings.TrimSuffix(activity, ")")
	switch activity {
	case "InACall", "InAConferenceCall", "Presenting", "InAMeeting", "DoNotDisturb":
		return true
	}
	switch availability {
	case "Busy", "BusyIdle", "DoNotDisturb":
		return true
	}
	return false
}

// Watching reports whether key is watched.
func (w *Watches) Watching(key string) bool { return slices.Contains(w.keys, normKey(key)) }

// Keys are the watched keys in the order they were set.
func (w *Watches) Keys() []string { return slices.Clone(w.keys) }

// Len is how many colleagues are watched.
func (w *Watches) Len() int { return len(w.keys) }

// Add watches p from now. A colleague who can take a call now (on data that
// is not stale) is not watched: the watch would fire at once, and the
// operator can put the call through instead; Add then returns false.
func (w *Watches) Add(p PersonState, now time.Time, stale bool) bool {
	k := normKey(p.Person.Key())
	if k == "" {
		return false
	}
	w.expire(now)
	if !stale && FreeToCall(p, now) {
		return false
	}
	if !slices.Contains(w.keys, k) {
		w.keys = append(w.keys, k)
	}
	w.day = watchDay(now)
	return true
}

// Remove ends the watch on key; false when there was none.
func (w *Watches) Remove(key string) bool {
	k := normKey(key)
	i := slices.Index(w.keys, k)
	if i < 0 {
		return false
	}
	w.keys = slices.Delete(w.keys, i, i+1)
	return true
}

// expire drops the watches of an earlier day; true when it dropped any.
func (w *Watches) expire(now time.Time) bool {
	if w.day == watchDay(now) || len(w.keys) == 0 {
		w.day = watchDay(now)
		return false
	}
	w.keys, w.day = nil, watchDay(now)
	return true
}

// Check reads a snapshot at now: the watches of an earlier day end, and
// every watched colleague who can take a call now, on data that is not
// stale, is returned once and no longer watched. changed reports whether the
// watches changed (to keep them, and to tell the engine).
func (w *Watches) Check(s Snapshot, now time.Time) (fired []PersonState, changed bool) {
	changed = w.expire(now)
	if len(w.keys) == 0 {
		return nil, changed
	}
	for _, p := range s.People {
		k := normKey(p.Person.Key())
		if !slices.Contains(w.keys, k) || s.Stale(p, now) || !FreeToCall(*p, now) {
			continue
		}
		fired = append(fired, *p)
		w.Remove(k)
		changed = true
	}
	return fired, changed
}

// savedWatches is what survives a restart: the keys and the day, nothing else.
type savedWatches struct {
	Day  string   `json:"day"`
	Keys []string `json:"keys"`
}

// Save is the watches as a short JSON text for the preferences; "" when none.
func (w *Watches) Save() string {
	if len(w.keys) == 0 {
		return ""
	}
	b, _ := json.Marshal(savedWatches{Day: w.day, Keys: w.keys})
	return string(b)
}

// RestoreWatches reads what Save wrote. Watches of another day than now's,
// and text that does not read, restore as none.
func RestoreWatches(saved string, now time.Time) *Watches {
	w := &Watches{day: watchDay(now)}
	var s savedWatches
	if saved == "" || json.Unmarshal([]byte(saved), &s) != nil || s.Day != w.day {
		return w
	}
	for _, k := range s.Keys {
		if k = normKey(k); k != "" && !slices.Contains(w.keys, k) {
			w.keys = append(w.keys, k)
		}
	}
	return w
}
