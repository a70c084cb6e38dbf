package graph

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

var zoneCache sync.Map // name -> *time.Location

// zoneByName resolves a Windows or IANA zone name as Graph writes it. ok is
// false when the name is unknown to both tables.
func zoneByName(name string) (*time.Location, bool) {
	name = strings.TrimSpace(name)
	if cached, ok := zoneCache.Load(name); ok {
		return cached.(*time.Location), true
	}
	var loc *time.Location
	switch {
	case name == "" || strings.EqualFold(name, "UTC") || name == "tzone://Microsoft/Utc" || name == "Coordinated Universal Time":
		loc = time.UTC
	case isWindowsZone(name):
		iana, _ := calendar.IANAForWindowsZone(name)
		l, err := time.LoadLocation(iana)
		if err != nil {
			return nil, false
		}
		loc = l
	default:
		l, err := time.LoadLocation(name)
		if err != nil {
			return nil, false
		}
		loc = l
	}
	zoneCache.Store(name, loc)
	return loc, true
}

func isWindowsZone(name string) bool {
	_, ok := calendar.IANAForWindowsZone(name)
	return ok
}

// preferZoneName is the zone the operator's times are asked in and the
// location to read the answer's zone-less times in: the Windows name where
// one exists, else the IANA name. A zone without a name a server knows (Go's
// "Local", from /etc/localtime or the Windows registry, when the app could
// not tell its name) is asked as the zone of the table whose clocks agree with
// it, so all-day items and working hours still come back in the operator's
// day; only when none agrees is it UTC.
func preferZoneName(loc *time.Location) (string, *time.Location) {
	if loc == nil {
		loc = time.Local
	}
	name := loc.String()
	if w, ok := calendar.WindowsZoneForIANA(name); ok {
		return w, loc
	}
	if name == "" || name == "Local" {
		if w, ok := windowsZoneLike(loc); ok {
			return w, loc
		}
		return "UTC", time.UTC
	}
	return name, loc
}

var zoneLikeCache sync.Map // *time.Location -> string ("" for none)

// windowsZoneLike is the Windows zone whose offsets match loc's at every
// change of loc's offset from last year to the year after next (the first
// of the matches by name, so the choice is the same on every run).
func windowsZoneLike(loc *time.Location) (string, bool) {
	if cached, ok := zoneLikeCache.Load(loc); ok {
		return cached.(string), cached.(string) != ""
	}
	now := time.Now()
	from, to := time.Date(now.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(now.Year()+2, 1, 1, 0, 0, 0, 0, time.UTC)
	instants := offsetChanges(loc, from, to)
	names := calendar.WindowsZoneNames()
	sort.Strings(names)
	found := ""
	for _, w := range names {
		iana, _ := calendar.IANAForWindowsZone(w)
		cand, err := time.LoadLocation(iana)
		if err != nil || !sameOffsets(loc, cand, instants) || !sameOffsets(loc, cand, offsetChanges(cand, from, to)) {
			continue
		}
		found = w
		break
	}
	zoneLikeCache.Store(loc, found)
	return found, found != ""
}

// offsetChanges lists from and every instant in [from, to) where loc's
// offset changes.
func offsetChanges(loc *time.Location, from, to time.Time) []time.Time {
	out := []time.Time{from}
	for t := from.In(loc); t.Before(to); {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.After(t) {
			break
		}
		out = append(out, end)
		t = end
	}
	return out
}

// sameOffsets reports whether a and b have the same UTC offset at each
// instant and just before it.
func sameOffsets(a, b *time.Location, instants []time.Time) bool {
	for _, t := range instants {
		for _, u := range []time.Time{t, t.Add(-time.Second)} {
			_, oa := u.In(a).Zone()
			_, ob := u.In(b).Zone()
			if oa != ob {
				return false
			}
		}
	}
	return true
}

// transitionRule is one customTimeZone offset: when in the year the clocks change.
type transitionRule struct {
	Month         int // 1..12; 0 = none
	DayOccurrence int // 1..5, 5 = last
	DayOfWeek     time.Weekday
	Time          time.Duration // local wall clock
}

// customZone builds a Location from Exchange's customTimeZone. Bias is minutes
// west of UTC (UTC = local + bias); DaylightBias is added during daylight time.
// The rules become a POSIX TZ string inside a minimal TZif, so Go applies them
// every year with the real DST transitions. Without usable rules the zone is a
// fixed offset.
func customZone(name string, bias, daylightBias int, standard, daylight transitionRule) *time.Location {
	if name == "" {
		name = "Custom"
	}
	fixed := time.FixedZone(name, -bias*60)
	if daylightBias == 0 || standard.Month == 0 || daylight.Month == 0 {
		return fixed
	}
	tz := fmt.Sprintf("<STD>%s<DST>%s,%s,%s", posixOffset(bias), posixOffset(bias+daylightBias), posixRule(daylight), posixRule(standard))
	loc, err := time.LoadLocationFromTZData(name, tzifWithRule(-bias*60, tz))
	if err != nil {
		return fixed
	}
	return loc
}

func posixOffset(minutesWest int) string {
	sign := ""
	if minutesWest < 0 {
		sign, minutesWest = "-", -minutesWest
	}
	return fmt.Sprintf("%s%d:%02d", sign, minutesWest/60, minutesWest%60)
}

func posixRule(r transitionRule) string {
	occ := min(max(r.DayOccurrence, 1), 5)
	secs := int(r.Time / time.Second)
	return fmt.Sprintf("M%d.%d.%d/%d:%02d:%02d", r.Month, occ, int(r.DayOfWeek), secs/3600, secs/60%60, secs%60)
}

// tzifWithRule is a version-2 TZif with no transitions and one standard type,
// whose footer rule governs every instant.
func tzifWithRule(stdOffsetSeconds int, rule string) []byte {
	var b bytes.Buffer
	block := func() {
		b.WriteString("TZif2")
		b.Write(make([]byte, 15))
		// isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
		for _, n := range []uint32{0, 0, 0, 0, 1, 4} {
			_ = binary.Write(&b, binary.BigEndian, n)
		}
		_ = binary.Write(&b, binary.BigEndian, int32(stdOffsetSeconds))
		b.WriteByte(0) // isdst
		b.WriteByte(0) // abbreviation index
		b.WriteString("STD\x00")
	}
	block() // version 1 data
	block() // version 2 data, identical: no transitions to widen
	b.WriteString("\n" + rule + "\n")
	return b.Bytes()
}
