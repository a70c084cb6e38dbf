package graph

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"time"
)

// windowsZones maps the Windows time zone names Exchange uses to IANA zones
// (CLDR windowsZones, territory 001).
var windowsZones = map[string]string{
	"Dateline Standard Time":          "Etc/GMT+12",
	"UTC-11":                          "Etc/GMT+11",
	"Aleutian Standard Time":          "America/Adak",
	"Hawaiian Standard Time":          "Pacific/Honolulu",
	"Marquesas Standard Time":         "Pacific/Marquesas",
	"Alaskan Standard Time":           "America/Anchorage",
	"UTC-09":                          "Etc/GMT+9",
	"Pacific Standard Time (Mexico)":  "America/Tijuana",
	"UTC-08":                          "Etc/GMT+8",
	"Pacific Standard Time":           "America/Los_Angeles",
	"US Mountain Standard Time":       "America/Phoenix",
	"Mountain Standard Time (Mexico)": "America/Mazatlan",
	"Mountain Standard Time":          "America/Denver",
	"Yukon Standard Time":             "America/Whitehorse",
	"Central America Standard Time":   "America/Guatemala",
	"Central Standard Time":           "America/Chicago",
	"Easter Island Standard Time":     "Pacific/Easter",
	"Central Standard Time (Mexico)":  "America/Mexico_City",
	"Canada Central Standard Time":    "America/Regina",
	"SA Pacific Standard Time":        "America/Bogota",
	"Eastern Standard Time (Mexico)":  "America/Cancun",
	"Eastern Standard Time":           "America/New_York",
	"Haiti Standard Time":             "America/Port-au-Prince",
	"Cuba Standard Time":              "America/Havana",
	"US Eastern Standard Time":        "America/Indiana/Indianapolis",
	"Turks And Caicos Standard Time":  "America/Grand_Turk",
	"Paraguay Standard Time":          "America/Asuncion",
	"Atlantic Standard Time":          "America/Halifax",
	"Venezuela Standard Time":         "America/Caracas",
	"Central Brazilian Standard Time": "America/Cuiaba",
	"SA Western Standard Time":        "America/La_Paz",
	"Pacific SA Standard Time":        "America/Santiago",
	"Newfoundland Standard Time":      "America/St_Johns",
	"Tocantins Standard Time":         "America/Araguaina",
	"E. South America Standard Time":  "America/Sao_Paulo",
	"SA Eastern Standard Time":        "America/Cayenne",
	"Argentina Standard Time":         "America/Argentina/Buenos_Aires",
	"Greenland Standard Time":         "America/Nuuk",
	"Montevideo Standard Time":        "America/Montevideo",
	"Magallanes Standard Time":        "America/Punta_Arenas",
	"Saint Pierre Standard Time":      "America/Miquelon",
	"Bahia Standard Time":             "America/Bahia",
	"UTC-02":                          "Etc/GMT+2",
	"Azores Standard Time":            "Atlantic/Azores",
	"Cape Verde Standard Time":        "Atlantic/Cape_Verde",
	"UTC":                             "UTC",
	"GMT Standard Time":               "Europe/London",
	"Greenwich Standard Time":         "Atlantic/Reykjavik",
	"Sao Tome Standard Time":          "Africa/Sao_Tome",
	"Morocco Standard Time":           "Africa/Casablanca",
	"W. Europe Standard Time":         "Europe/Berlin",
	"Central Europe Standard Time":    "Europe/Budapest",
	"Romance Standard Time":           "Europe/Paris",
	"Central European Standard Time":  "Europe/Warsaw",
	"W. Central Africa Standard Time": "Africa/Lagos",
	"Jordan Standard Time":            "Asia/Amman",
	"GTB Standard Time":               "Europe/Bucharest",
	"Middle East Standard Time":       "Asia/Beirut",
	"Egypt Standard Time":             "Africa/Cairo",
	"E. Europe Standard Time":         "Europe/Chisinau",
	"Syria Standard Time":             "Asia/Damascus",
	"West Bank Standard Time":         "Asia/Hebron",
	"South Africa Standard Time":      "Africa/Johannesburg",
	"FLE Standard Time":               "Europe/Kiev",
	"Israel Standard Time":            "Asia/Jerusalem",
	"South Sudan Standard Time":       "Africa/Juba",
	"Kaliningrad Standard Time":       "Europe/Kaliningrad",
	"Sudan Standard Time":             "Africa/Khartoum",
	"Libya Standard Time":             "Africa/Tripoli",
	"Namibia Standard Time":           "Africa/Windhoek",
	"Arabic Standard Time":            "Asia/Baghdad",
	"Turkey Standard Time":            "Europe/Istanbul",
	"Arab Standard Time":              "Asia/Riyadh",
	"Belarus Standard Time":           "Europe/Minsk",
	"Russian Standard Time":           "Europe/Moscow",
	"E. Africa Standard Time":         "Africa/Nairobi",
	"Volgograd Standard Time":         "Europe/Volgograd",
	"Iran Standard Time":              "Asia/Tehran",
	"Arabian Standard Time":           "Asia/Dubai",
	"Astrakhan Standard Time":         "Europe/Astrakhan",
	"Azerbaijan Standard Time":        "Asia/Baku",
	"Russia Time Zone 3":              "Europe/Samara",
	"Mauritius Standard Time":         "Indian/Mauritius",
	"Saratov Standard Time":           "Europe/Saratov",
	"Georgian Standard Time":          "Asia/Tbilisi",
	"Caucasus Standard Time":          "Asia/Yerevan",
	"Afghanistan Standard Time":       "Asia/Kabul",
	"West Asia Standard Time":         "Asia/Tashkent",
	"Ekaterinburg Standard Time":      "Asia/Yekaterinburg",
	"Pakistan Standard Time":          "Asia/Karachi",
	"Qyzylorda Standard Time":         "Asia/Qyzylorda",
	"India Standard Time":             "Asia/Kolkata",
	"Sri Lanka Standard Time":         "Asia/Colombo",
	"Nepal Standard Time":             "Asia/Kathmandu",
	"Central Asia Standard Time":      "Asia/Bishkek",
	"Bangladesh Standard Time":        "Asia/Dhaka",
	"Omsk Standard Time":              "Asia/Omsk",
	"Myanmar Standard Time":           "Asia/Yangon",
	"SE Asia Standard Time":           "Asia/Bangkok",
	"Altai Standard Time":             "Asia/Barnaul",
	"W. Mongolia Standard Time":       "Asia/Hovd",
	"North Asia Standard Time":        "Asia/Krasnoyarsk",
	"N. Central Asia Standard Time":   "Asia/Novosibirsk",
	"Tomsk Standard Time":             "Asia/Tomsk",
	"China Standard Time":             "Asia/Shanghai",
	"North Asia East Standard Time":   "Asia/Irkutsk",
	"Singapore Standard Time":         "Asia/Singapore",
	"W. Australia Standard Time":      "Australia/Perth",
	"Taipei Standard Time":            "Asia/Taipei",
	"Ulaanbaatar Standard Time":       "Asia/Ulaanbaatar",
	"Aus Central W. Standard Time":    "Australia/Eucla",
	"Transbaikal Standard Time":       "Asia/Chita",
	"Tokyo Standard Time":             "Asia/Tokyo",
	"North Korea Standard Time":       "Asia/Pyongyang",
	"Korea Standard Time":             "Asia/Seoul",
	"Yakutsk Standard Time":           "Asia/Yakutsk",
	"Cen. Australia Standard Time":    "Australia/Adelaide",
	"AUS Central Standard Time":       "Australia/Darwin",
	"E. Australia Standard Time":      "Australia/Brisbane",
	"AUS Eastern Standard Time":       "Australia/Sydney",
	"West Pacific Standard Time":      "Pacific/Port_Moresby",
	"Tasmania Standard Time":          "Australia/Hobart",
	"Vladivostok Standard Time":       "Asia/Vladivostok",
	"Lord Howe Standard Time":         "Australia/Lord_Howe",
	"Bougainville Standard Time":      "Pacific/Bougainville",
	"Russia Time Zone 10":             "Asia/Srednekolymsk",
	"Magadan Standard Time":           "Asia/Magadan",
	"Norfolk Standard Time":           "Pacific/Norfolk",
	"Sakhalin Standard Time":          "Asia/Sakhalin",
	"Central Pacific Standard Time":   "Pacific/Guadalcanal",
	"Russia Time Zone 11":             "Asia/Kamchatka",
	"New Zealand Standard Time":       "Pacific/Auckland",
	"UTC+12":                          "Etc/GMT-12",
	"Fiji Standard Time":              "Pacific/Fiji",
	"Chatham Islands Standard Time":   "Pacific/Chatham",
	"UTC+13":                          "Etc/GMT-13",
	"Tonga Standard Time":             "Pacific/Tongatapu",
	"Samoa Standard Time":             "Pacific/Apia",
	"Line Islands Standard Time":      "Pacific/Kiritimati",
}

// ianaToWindows is the reverse map, so the Prefer header can name the zone the
// way every Exchange version understands.
var ianaToWindows = func() map[string]string {
	m := make(map[string]string, len(windowsZones))
	for w, iana := range windowsZones {
		m[iana] = w
	}
	return m
}()

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
	case windowsZones[name] != "":
		l, err := time.LoadLocation(windowsZones[name])
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

// preferZoneName is the zone the operator's times are asked in: the Windows
// name where one exists, else the IANA name, else UTC (the process's "Local"
// has no name Graph knows).
func preferZoneName(loc *time.Location) (string, *time.Location) {
	name := loc.String()
	if w, ok := ianaToWindows[name]; ok {
		return w, loc
	}
	if name == "" || name == "Local" {
		return "UTC", time.UTC
	}
	return name, loc
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
