package ews

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// addFixtures seeds a fuzz target with every documented answer, so the seeds
// run in the normal `go test` as well.
func addFixtures(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte("<"))
	f.Add([]byte(`<Envelope><Body><GetUserAvailabilityResponse><FreeBusyResponseArray><FreeBusyResponse><FreeBusyView><MergedFreeBusy>01234</MergedFreeBusy></FreeBusyView></FreeBusyResponse></FreeBusyResponseArray></GetUserAvailabilityResponse></Body></Envelope>`))
	// One record that does not read among good ones: a value of the wrong
	// form, bytes that are not UTF-8, a control character XML forbids.
	f.Add([]byte(`<Envelope><Body><GetUserAvailabilityResponse><FreeBusyResponseArray><FreeBusyResponse><FreeBusyView><WorkingHours><WorkingPeriodArray><WorkingPeriod><StartTimeInMinutes>eight</StartTimeInMinutes></WorkingPeriod></WorkingPeriodArray></WorkingHours></FreeBusyView></FreeBusyResponse><FreeBusyResponse><FreeBusyView><MergedFreeBusy>0220</MergedFreeBusy></FreeBusyView></FreeBusyResponse></FreeBusyResponseArray></GetUserAvailabilityResponse></Body></Envelope>`))
	f.Add([]byte("<Envelope><Body><ResolveNamesResponse><ResponseMessages><ResolveNamesResponseMessage ResponseClass=\"Success\"><ResolutionSet><Resolution><Mailbox><Name>Dan P\xe4rk</Name><EmailAddress>d@example.com</EmailAddress></Mailbox></Resolution><Resolution><Mailbox><Name>Jeff\x01</Name><EmailAddress>j@example.com</EmailAddress></Mailbox></Resolution></ResolutionSet></ResolveNamesResponseMessage></ResponseMessages></ResolveNamesResponse></Body></Envelope>"))
}

func FuzzParseGetUserAvailability(f *testing.F) {
	addFixtures(f)
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		f.Fatal(err)
	}
	start := time.Date(2026, 3, 29, 0, 0, 0, 0, loc) // a DST day
	window := calendar.Window{Start: start, End: start.AddDate(0, 0, 5)}
	f.Fuzz(func(t *testing.T, data []byte) {
		responses, err := parseGetUserAvailability(data)
		if err != nil {
			return
		}
		for _, r := range responses {
			a := r.availability(calendar.Person{Email: "x@example.com"}, window, loc)
			for _, s := range a.Slots {
				if !s.End.After(s.Start) {
					t.Fatalf("empty or reversed slot %+v", s)
				}
				if s.Private && (s.Subject != "" || s.Location != "") {
					t.Fatalf("private slot keeps details %+v", s)
				}
			}
			if wh := a.WorkingHours; !wh.IsZero() && wh.Location == nil {
				t.Fatalf("working hours without a zone %+v", wh)
			}
			// What the engine does next with it must not panic either.
			_ = calendar.Evaluate(a, start.Add(10*time.Hour), calendar.DayOf(start, loc))
		}
	})
}

func FuzzParseResolveNames(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := parseResolveNames(data)
		if err != nil {
			return
		}
		for _, p := range res.People {
			if p.Email == "" {
				t.Fatalf("person without an address %+v", p)
			}
		}
	})
}

func FuzzParseExpandDL(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := parseExpandDL(data)
		if err != nil {
			return
		}
		for _, p := range exp.People {
			if p.Email == "" {
				t.Fatalf("member without an address %+v", p)
			}
		}
	})
}

func FuzzParseGetMailTips(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		tips, err := parseGetMailTips(data)
		if err != nil {
			return
		}
		for _, tip := range tips {
			if tip.Active && tip.Message == "" {
				t.Fatalf("active automatic reply without text %+v", tip)
			}
		}
	})
}

func FuzzParseFault(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fault := parseFault(data)
		if fault == nil {
			return
		}
		err := faultError("ews.Test", fault)
		if calendar.RetryAfterOf(err) < 0 {
			t.Fatalf("negative back-off from %q", data)
		}
	})
}
