package ews

import (
	"archive/zip"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
	// The zone tests must load every zone they name on any machine: a
	// machine without /usr/share/zoneinfo (a Windows PC without Go, a slim
	// container) would otherwise skip them and pass.
	_ "time/tzdata"
)

func TestTimeZoneFor(t *testing.T) {
	rule := func(bias int, clock string, order, month int) timeZoneRuleSent {
		return timeZoneRuleSent{Bias: bias, Time: clock, DayOrder: order, Month: month, DayOfWeek: "Sunday"}
	}
	noRule := timeZoneRuleSent{Time: "00:00:00", DayOrder: 1, Month: 1, DayOfWeek: "Sunday"}
	for _, tc := range []struct {
		zone string
		year int
		want serializableTimeZone
	}{
		// The documented request: Pacific time under the 2006 US rules.
		{"America/Los_Angeles", 2006, serializableTimeZone{480, rule(0, "02:00:00", 5, 10), rule(-60, "02:00:00", 1, 4)}},
		// Since 2007: second Sunday of March, first Sunday of November.
		{"America/Los_Angeles", 2026, serializableTimeZone{480, rule(0, "02:00:00", 1, 11), rule(-60, "02:00:00", 2, 3)}},
		// EU: last Sundays, 01:00 UTC, so 02:00 CET and 03:00 CEST.
		{"Europe/Paris", 2026, serializableTimeZone{-60, rule(0, "03:00:00", 5, 10), rule(-60, "02:00:00", 5, 3)}},
		{"Europe/London", 2026, serializableTimeZone{0, rule(0, "02:00:00", 5, 10), rule(-60, "01:00:00", 5, 3)}},
		// Irish "negative DST" in the zone database: Windows sees GMT/IST.
		{"Europe/Dublin", 2026, serializableTimeZone{0, rule(0, "02:00:00", 5, 10), rule(-60, "01:00:00", 5, 3)}},
		// Southern hemisphere: daylight spans the new year.
		{"Australia/Sydney", 2026, serializableTimeZone{-600, rule(0, "03:00:00", 1, 4), rule(-60, "02:00:00", 1, 10)}},
		// Half-hour offset with daylight saving.
		{"Australia/Adelaide", 2026, serializableTimeZone{-570, rule(0, "03:00:00", 1, 4), rule(-60, "02:00:00", 1, 10)}},
		// No daylight saving at all.
		{"Asia/Tokyo", 2026, serializableTimeZone{-540, noRule, noRule}},
		{"Asia/Kolkata", 2026, serializableTimeZone{-330, noRule, noRule}},
		{"UTC", 2026, serializableTimeZone{0, noRule, noRule}},
		{"America/Phoenix", 2026, serializableTimeZone{420, noRule, noRule}},
	} {
		t.Run(tc.zone+"/"+itoa(tc.year), func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatalf("zone database lacks %s: %v", tc.zone, err)
			}
			if got := timeZoneFor(loc, time.Date(tc.year, 6, 1, 0, 0, 0, 0, loc)); got != tc.want {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// The rules we send must make the server compute the offsets Go computes,
// every hour of the year, for every zone whose year fits the Windows model:
// with the machine's zone database and with a slim one (testdata, from Go's
// own, as time/tzdata embeds it for a Windows PC), whose rules Go computes
// from each zone's TZ string.
func TestTimeZoneRulesAgreeWithTheZoneDatabase(t *testing.T) {
	zones := []string{
		"America/Los_Angeles", "America/New_York", "America/Chicago", "America/Denver", "America/Halifax",
		"America/St_Johns", "America/Santiago", "America/Sao_Paulo", "America/Mexico_City", "America/Havana",
		"Europe/Paris", "Europe/London", "Europe/Dublin", "Europe/Helsinki", "Europe/Lisbon", "Europe/Moscow",
		"Africa/Cairo", "Asia/Jerusalem", "Asia/Tehran", "Asia/Kolkata", "Asia/Tokyo",
		"Australia/Sydney", "Australia/Adelaide", "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham", "UTC",
	}
	slim := slimZones(t)
	for _, database := range []struct {
		name string
		load func(string) (*time.Location, error)
	}{
		{"machine", time.LoadLocation},
		{"slim", func(name string) (*time.Location, error) {
			data, ok := slim[name]
			if !ok {
				return nil, fmt.Errorf("not in testdata/zoneinfo-slim.zip")
			}
			return time.LoadLocationFromTZData(name, data)
		}},
	} {
		t.Run(database.name, func(t *testing.T) {
			for _, name := range zones {
				loc, err := database.load(name)
				if err != nil {
					t.Errorf("zone database lacks %s: %v", name, err)
					continue
				}
				checkRulesAgree(t, name, loc)
			}
		})
	}
}

// slimZones reads testdata/zoneinfo-slim.zip: the test's zones as Go's
// lib/time/zoneinfo.zip (and so time/tzdata) carries them, built "slim".
func slimZones(t *testing.T) map[string][]byte {
	t.Helper()
	r, err := zip.OpenReader(filepath.Join("testdata", "zoneinfo-slim.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	zones := map[string][]byte{}
	for _, f := range r.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		zones[strings.TrimPrefix(f.Name, "./")] = data
	}
	return zones
}

func checkRulesAgree(t *testing.T, name string, loc *time.Location) {
	t.Helper()
	for _, year := range []int{2006, 2024, 2026} {
		// Rules are derived per year, and Chile's "first Saturday, 24:00"
		// is the first or the second Sunday depending on the year: check
		// the year the rules were made for.
		start := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
		tz := timeZoneFor(loc, start).received()
		if n := transitionsIn(loc, year); n != 0 && n != 2 {
			// Outside the model (Havana 2006 never fell back): only the
			// window's start is promised.
			if _, want := start.In(loc).Zone(); tz.offsetAt(start) != want {
				t.Errorf("%s %d: offset at the start %d, want %d", name, year, tz.offsetAt(start), want)
			}
			continue
		}
		// Every 5 hours walks through every hour of the day over the year.
		// Lord Howe's 30-minute daylight saving fits the model too.
		for h := 12; h < 365*24-12; h += 5 {
			instant := start.Add(time.Duration(h) * time.Hour)
			_, want := instant.In(loc).Zone()
			if got := tz.offsetAt(instant); got != want {
				t.Errorf("%s %d at %s: rules give %+d s, zone database %+d s (rules %+v)", name, year, instant, got, want, tz)
				break
			}
		}
	}
}

// transitionsIn counts the instants in year where loc's offset changes,
// sampling it every hour (no zone switches twice within one), which needs no
// ZoneBounds, whose answers timeZoneFor is checked against.
func transitionsIn(loc *time.Location, year int) int {
	n := 0
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	_, offset := t.Zone()
	for ; t.Before(end); t = t.Add(time.Hour) {
		if _, o := t.Zone(); o != offset {
			n, offset = n+1, o
		}
	}
	return n
}

func TestWorkingHoursZone(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	la := pacific(t)
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	laRules := timeZoneFor(la, at).received()
	// A colleague in the operator's zone gets the operator's location.
	if got := laRules.location(at, la); got != la {
		t.Errorf("same rules: %v", got)
	}
	// Elsewhere: a fixed zone at their offset then (PDT, UTC-7).
	got := laRules.location(at, paris)
	if _, off := at.In(got).Zone(); off != -7*3600 {
		t.Errorf("other zone: offset %d", off)
	}
}
