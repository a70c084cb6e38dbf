package app

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

// A computer's zone is found by its name, the way the C library picks it:
// TZ, then the /etc/localtime link, then /etc/timezone; what names no zone is
// skipped (and logged), and with nothing left the zone is Go's time.Local.
func TestResolveUnixZoneByName(t *testing.T) {
	type system struct {
		tz    *string
		links map[string]string // path -> link target
		files map[string]string
	}
	tzIs := func(s string) *string { return &s }
	romeLink := map[string]string{"/etc/localtime": "/usr/share/zoneinfo/Europe/Rome"}
	tests := []struct {
		name     string
		sys      system
		wantZone string // "Local": Go's unnamed time.Local
		wantFrom string
		ignored  int
	}{
		{"link into zoneinfo", system{links: romeLink}, "Europe/Rome", "/etc/localtime", 0},
		{"link into zoneinfo/posix", system{links: map[string]string{"/etc/localtime": "/usr/share/zoneinfo/posix/Europe/Rome"}}, "Europe/Rome", "/etc/localtime", 0},
		{"link into zoneinfo/right", system{links: map[string]string{"/etc/localtime": "/usr/share/zoneinfo/right/Asia/Tokyo"}}, "Asia/Tokyo", "/etc/localtime", 0},
		{"relative link", system{links: map[string]string{"/etc/localtime": "../usr/share/zoneinfo/America/New_York"}}, "America/New_York", "/etc/localtime", 0},
		{"macOS link", system{links: map[string]string{"/etc/localtime": "/var/db/timezone/zoneinfo/Europe/Rome"}}, "Europe/Rome", "/etc/localtime", 0},
		{"link to a link", system{links: map[string]string{"/etc/localtime": "/etc/alternatives/localtime", "/etc/alternatives/localtime": "/usr/share/zoneinfo/Europe/Rome"}}, "Europe/Rome", "/etc/localtime", 0},
		{"link loop", system{links: map[string]string{"/etc/localtime": "/etc/a", "/etc/a": "/etc/localtime"}}, "Local", "", 0},
		{"/etc/timezone when localtime is a copy", system{files: map[string]string{"/etc/timezone": "Europe/Rome\n"}}, "Europe/Rome", "/etc/timezone", 0},
		{"/etc/timezone when the link names nothing", system{links: map[string]string{"/etc/localtime": "/usr/share/zoneinfo/Nowhere/Atall"}, files: map[string]string{"/etc/timezone": " Europe/Rome \n"}}, "Europe/Rome", "/etc/timezone", 0},
		{"garbage /etc/timezone", system{files: map[string]string{"/etc/timezone": "\x00\xffnot a zone"}}, "Local", "", 1},
		{"nothing at all", system{}, "Local", "", 0},
		{"TZ with a colon", system{tz: tzIs(":Europe/Rome"), links: map[string]string{"/etc/localtime": "/usr/share/zoneinfo/Etc/UTC"}}, "Europe/Rome", "TZ", 0},
		{"TZ as a name", system{tz: tzIs("America/New_York"), links: romeLink}, "America/New_York", "TZ", 0},
		{"TZ as a path", system{tz: tzIs("/usr/share/zoneinfo/posix/Asia/Tokyo"), links: romeLink}, "Asia/Tokyo", "TZ", 0},
		{"TZ as a colon path", system{tz: tzIs(":/usr/share/zoneinfo/Asia/Tokyo"), links: romeLink}, "Asia/Tokyo", "TZ", 0},
		{"TZ naming /etc/localtime", system{tz: tzIs(":/etc/localtime"), links: romeLink}, "Europe/Rome", "/etc/localtime", 0},
		{"TZ empty is UTC", system{tz: tzIs(""), links: romeLink}, "UTC", "TZ", 0},
		{"TZ garbage name", system{tz: tzIs("Mars/Olympus"), links: romeLink}, "Europe/Rome", "/etc/localtime", 1},
		{"TZ POSIX rule", system{tz: tzIs("CET-1CEST,M3.5.0,M10.5.0/3"), links: romeLink}, "Europe/Rome", "/etc/localtime", 1},
		{"TZ path outside zoneinfo", system{tz: tzIs("/home/op/my-zone"), links: romeLink}, "Europe/Rome", "/etc/localtime", 1},
		{"TZ Local", system{tz: tzIs("Local"), links: romeLink}, "Europe/Rome", "/etc/localtime", 1},
		{"TZ escaping the folder", system{tz: tzIs("/usr/share/zoneinfo/../../../etc/passwd"), links: romeLink}, "Europe/Rome", "/etc/localtime", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolveUnixZone(zoneFiles{
				lookupEnv: func(k string) (string, bool) {
					if k != "TZ" || tt.sys.tz == nil {
						return "", false
					}
					return *tt.sys.tz, true
				},
				readlink: func(p string) (string, error) {
					if target, ok := tt.sys.links[p]; ok {
						return target, nil
					}
					return "", &fs.PathError{Op: "readlink", Path: p, Err: errors.New("invalid argument")}
				},
				readFile: func(p string) ([]byte, error) {
					if data, ok := tt.sys.files[p]; ok {
						return []byte(data), nil
					}
					return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
				},
			})
			if got.Location.String() != tt.wantZone || got.From != tt.wantFrom || len(got.Ignored) != tt.ignored {
				t.Errorf("zone %q from %q, ignored %q; want %q from %q with %d ignored", got.Location, got.From, got.Ignored, tt.wantZone, tt.wantFrom, tt.ignored)
			}
			if tt.wantZone == "Local" && got.Location != time.Local {
				t.Errorf("unnamed zone is %p, want time.Local", got.Location)
			}
		})
	}
}

// The registry's Windows name is what Graph wants; Go computes with the IANA
// zone of the same rules. A name Frontdesk cannot map, or clocks that do not
// follow daylight saving time, keep Go's time.Local.
func TestZoneFromWindowsKey(t *testing.T) {
	tests := []struct {
		key         string
		noDST       bool
		wantZone    string
		wantFrom    string
		wantIgnored bool
	}{
		{"W. Europe Standard Time", false, "Europe/Berlin", "registry", false},
		{"Eastern Standard Time ", false, "America/New_York", "registry", false},
		{"GMT Standard Time", false, "Europe/London", "registry", false},
		{"UTC", false, "UTC", "registry", false},
		{"W. Europe Standard Time", true, "Local", "", true},
		{"Mars Standard Time", false, "Local", "", true},
		{"", false, "Local", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got := zoneFromWindowsKey(tt.key, tt.noDST)
			if got.Location.String() != tt.wantZone || got.From != tt.wantFrom || (len(got.Ignored) > 0) != tt.wantIgnored {
				t.Errorf("zone %q from %q, ignored %q", got.Location, got.From, got.Ignored)
			}
		})
	}
}

// config.toml's time_zone wins over the computer's.
func TestLocationConfigOverridesSystem(t *testing.T) {
	if got := location(Config{TimeZone: "America/New_York"}); got.String() != "America/New_York" {
		t.Errorf("location = %q", got)
	}
	if got, sys := location(Config{}), systemZone().Location; got != sys {
		t.Errorf("without time_zone: %q, want the system's %q", got, sys)
	}
}
