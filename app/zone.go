package app

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	// The zone database goes into the binary: a Windows PC without Go has
	// none, and a Linux container may lack /usr/share/zoneinfo. Without it
	// time_zone = "Europe/Rome" would be refused there, and every colleague's
	// working-hours zone would fall back.
	_ "time/tzdata"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// zoneResolution is the operator's zone as the computer names it, and where
// the name came from, for the log.
type zoneResolution struct {
	Location *time.Location
	// From says where the name was read: "TZ", "/etc/localtime",
	// "/etc/timezone", "registry"; empty when nothing named the zone and
	// Location is Go's unnamed time.Local.
	From string
	// Ignored lists what was looked at and could not be used, for the log.
	Ignored []string
}

// location is the operator's zone: config.toml's time_zone, else the system's
// zone by its name.
func location(cfg Config) *time.Location {
	if cfg.TimeZone != "" {
		if loc, err := time.LoadLocation(cfg.TimeZone); err == nil {
			return loc
		}
		// Validate already refused it; belt and braces for the UI.
	}
	return systemZone().Location
}

// systemZone resolves the computer's zone once per process: it does not change
// under a running console in a way Frontdesk could follow anyway.
var systemZone = sync.OnceValue(func() zoneResolution { return resolveSystemZone() })

// logZone says in the log which zone the operator's day is in and why, and
// warns when the computer's zone has no name: then Graph is asked in a zone
// with the same clocks, or in UTC.
func logZone(log *slog.Logger, cfg Config) {
	if cfg.TimeZone != "" {
		log.Info("time zone", "zone", location(cfg).String(), "from", "config time_zone")
		return
	}
	z := systemZone()
	for _, why := range z.Ignored {
		log.Warn("time zone: ignored", "why", why)
	}
	if z.From == "" {
		log.Warn("time zone: the computer's zone has no name Frontdesk could read; using the system's clock rules (set time_zone in config.toml to name it)")
		return
	}
	log.Info("time zone", "zone", z.Location.String(), "from", z.From)
}

// zoneFiles is what a Unix zone lookup reads, so tests can hand it any
// system.
type zoneFiles struct {
	lookupEnv func(string) (string, bool)
	readlink  func(string) (string, error)
	readFile  func(string) ([]byte, error)
}

// maxLocaltimeLinks bounds a chain of links from /etc/localtime (a loop must
// end somewhere).
const maxLocaltimeLinks = 8

// resolveUnixZone names the zone the way the C library and Go pick it, by
// name: TZ when set (":Europe/Rome", "Europe/Rome" or a path into a zoneinfo
// folder; empty means UTC), else the zone /etc/localtime links to
// (…/zoneinfo/Europe/Rome, also under posix/ or right/), else /etc/timezone
// (Debian's). A value that names no zone is noted in Ignored and the next
// place is asked; when none names one, the zone is Go's time.Local.
func resolveUnixZone(f zoneFiles) zoneResolution {
	var ignored []string
	named := func(loc *time.Location, from string) zoneResolution {
		return zoneResolution{Location: loc, From: from, Ignored: ignored}
	}
	if tz, set := f.lookupEnv("TZ"); set {
		spec := strings.TrimPrefix(strings.TrimSpace(tz), ":")
		switch {
		case spec == "":
			return named(time.UTC, "TZ")
		case spec == "/etc/localtime":
			// The system's zone after all: read its link below.
		case strings.HasPrefix(spec, "/"):
			if loc, ok := zoneFromPath(spec); ok {
				return named(loc, "TZ")
			}
			ignored = append(ignored, "TZ="+tz+" is not a file in a zoneinfo folder")
		default:
			if loc, ok := loadZoneName(spec); ok {
				return named(loc, "TZ")
			}
			ignored = append(ignored, "TZ="+tz+" names no time zone")
		}
	}
	link := "/etc/localtime"
	for range maxLocaltimeLinks {
		target, err := f.readlink(link)
		if err != nil {
			break
		}
		if loc, ok := zoneFromPath(target); ok {
			return named(loc, "/etc/localtime")
		}
		if !strings.HasPrefix(target, "/") {
			target = link[:strings.LastIndex(link, "/")+1] + target
		}
		link = target
	}
	if data, err := f.readFile("/etc/timezone"); err == nil {
		name, _, _ := strings.Cut(string(data), "\n")
		name = strings.TrimSpace(name)
		if loc, ok := loadZoneName(name); ok {
			return named(loc, "/etc/timezone")
		}
		ignored = append(ignored, "/etc/timezone says "+quoteForLog(name)+", which names no time zone")
	}
	return zoneResolution{Location: time.Local, Ignored: ignored}
}

// zoneFromPath reads the zone name from a path into a zoneinfo folder, such as
// /usr/share/zoneinfo/Europe/Rome, ../usr/share/zoneinfo/posix/Europe/Rome or
// macOS's /var/db/timezone/zoneinfo/Europe/Rome.
func zoneFromPath(path string) (*time.Location, bool) {
	const folder = "zoneinfo/"
	i := strings.LastIndex(path, folder)
	if i < 0 {
		return nil, false
	}
	name := path[i+len(folder):]
	for _, variant := range []string{"posix/", "right/"} {
		name = strings.TrimPrefix(name, variant)
	}
	return loadZoneName(name)
}

// loadZoneName loads an IANA name; "Local" and names with a path in them are
// not names.
func loadZoneName(name string) (*time.Location, bool) {
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	return loc, true
}

// zoneFromWindowsKey is the zone of the registry's TimeZoneKeyName (such as
// "W. Europe Standard Time": already the name Graph and Exchange want),
// through the CLDR table to the IANA zone Go computes with. When the operator
// turned off "Adjust for daylight saving time automatically" the named zone's
// rules are not the clock's, so Go's time.Local (which follows that setting)
// is kept instead.
func zoneFromWindowsKey(key string, dynamicDSTDisabled bool) zoneResolution {
	key = strings.TrimSpace(key)
	if key == "" {
		return zoneResolution{Location: time.Local, Ignored: []string{"the registry names no time zone (TimeZoneKeyName is empty)"}}
	}
	if dynamicDSTDisabled {
		return zoneResolution{Location: time.Local, Ignored: []string{"Windows adjusts no clocks for daylight saving time, so " + quoteForLog(key) + " is not the clock's zone"}}
	}
	iana, ok := calendar.IANAForWindowsZone(key)
	if !ok {
		return zoneResolution{Location: time.Local, Ignored: []string{"the Windows time zone " + quoteForLog(key) + " is not in Frontdesk's table"}}
	}
	loc, ok := loadZoneName(iana)
	if !ok {
		return zoneResolution{Location: time.Local, Ignored: []string{"the zone database has no " + iana}}
	}
	return zoneResolution{Location: loc, From: "registry"}
}

// quoteForLog quotes a value read from the system, cut short: a broken file
// must not flood the log.
func quoteForLog(s string) string {
	const limit = 64
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}
