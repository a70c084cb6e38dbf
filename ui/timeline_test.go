package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func workHours(days []time.Weekday, from, to time.Duration, loc *time.Location) calendar.WorkingHours {
	return calendar.WorkingHours{Days: days, Start: from, End: to, Location: loc}
}

var (
	monToFri = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	monToThu = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday}
)

// shade is one stretch of working time as drawn, in pixels from the left.
type shade struct{ x0, x1 float32 }

// The timeline shades the colleague's working time on the operator's clock
// and shows enough of the day to hold it. Widths are chosen so one hour is
// 100 pixels wide.
func TestTimelineShadesTheColleaguesHours(t *testing.T) {
	test.NewTempApp(t)
	newYork, losAngeles, kolkata := mustZone(t, "America/New_York"), mustZone(t, "America/Los_Angeles"), mustZone(t, "Asia/Kolkata")
	on := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	tuesday := calendar.DayOf(on(24, 12, 0), paris)
	friday := calendar.DayOf(on(27, 12, 0), paris)
	tests := []struct {
		name             string
		hours            calendar.WorkingHours
		day              calendar.Window
		slots            []calendar.Slot
		fromHour, toHour int // the hours shown
		want             []shade
	}{
		{
			name:  "New York, six hours behind: their 09:00-17:30 is 15:00-23:30 here, shown to midnight",
			hours: workHours(monToFri, 9*time.Hour, 17*time.Hour+30*time.Minute, newYork),
			day:   tuesday, fromHour: 7, toHour: 24,
			want: []shade{{800, 1650}},
		},
		{
			name:  "Los Angeles across midnight: the end of Monday's shift and the start of Tuesday's",
			hours: workHours(monToFri, 8*time.Hour, 16*time.Hour+30*time.Minute, losAngeles),
			day:   tuesday, fromHour: 0, toHour: 24,
			want: []shade{{0, 150}, {1700, 2400}},
		},
		{
			name:  "Bangalore: their day is our early morning, shown from 05:00",
			hours: workHours(monToFri, 9*time.Hour+30*time.Minute, 18*time.Hour, kolkata),
			day:   tuesday, fromHour: 5, toHour: 19,
			want: []shade{{0, 850}},
		},
		{
			name:  "a day they do not work has no working shade",
			hours: workHours(monToThu, 8*time.Hour+30*time.Minute, 13*time.Hour, paris),
			day:   friday, fromHour: 7, toHour: 19,
			want: nil,
		},
		{
			name:  "hours not shared: Outlook's 08:00-17:00 here",
			hours: calendar.WorkingHours{},
			day:   tuesday, fromHour: 7, toHour: 19,
			want: []shade{{100, 1000}},
		},
		{
			name:     "an evening meeting still widens the day beyond their hours",
			hours:    workHours(monToFri, 9*time.Hour, 17*time.Hour, paris),
			day:      tuesday,
			slots:    []calendar.Slot{{Start: on(24, 20, 0), End: on(24, 21, 0), Status: calendar.StatusBusy, Subject: "Dinner"}},
			fromHour: 7, toHour: 21,
			want: []shade{{200, 1000}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := NewTimeline()
			now := tt.day.Start.Add(11 * time.Hour)
			tl.Set(tt.slots, tt.day, now, tt.hours, "")
			tl.Resize(fyne.NewSize(float32(100*(tt.toHour-tt.fromHour)), 80))
			r := test.WidgetRenderer(tl).(*timelineRenderer)
			if got := int(r.from.Sub(tt.day.Start).Hours()); got != tt.fromHour || int(r.to.Sub(tt.day.Start).Hours()) != tt.toHour {
				t.Fatalf("shows %s-%s, want %02d:00-%02d:00", r.from.Format("15:04"), r.to.Format("15:04"), tt.fromHour, tt.toHour)
			}
			var got []shade
			for _, w := range r.work {
				if w.Visible() && w.Size().Width > 0 {
					got = append(got, shade{w.Position().X, w.Position().X + w.Size().Width})
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("shaded %v, want %v", got, tt.want)
			}
			for i := range got {
				if abs(got[i].x0-tt.want[i].x0) > 0.5 || abs(got[i].x1-tt.want[i].x1) > 0.5 {
					t.Errorf("shaded %v, want %v", got, tt.want)
				}
			}
			// The now marker and the items keep their places on the wider day.
			if r.nowLine == nil {
				t.Fatal("no now marker at 11:00")
			}
			if x, want := r.nowLine.Position().X+1, float32(100*(11-tt.fromHour)); abs(x-want) > 0.5 {
				t.Errorf("now marker at x=%v, want %v", x, want)
			}
			if len(r.blocks) != len(tt.slots) {
				t.Errorf("%d blocks for %d items", len(r.blocks), len(tt.slots))
			}
		})
	}
}

func abs(f float32) float32 { return max(f, -f) }

// The details line says the colleague's hours as the operator reads them out,
// with the operator's clock beside them when it differs.
func TestWorkingHoursLine(t *testing.T) {
	newYork, rome := mustZone(t, "America/New_York"), mustZone(t, "Europe/Rome")
	tuesday := calendar.DayOf(time.Date(2026, 11, 24, 12, 0, 0, 0, paris), paris)
	shared := func(wh calendar.WorkingHours) calendar.PersonState {
		return calendar.PersonState{WorkingHours: wh, WorkingHoursShared: true}
	}
	tests := []struct {
		name    string
		p       calendar.PersonState
		clock12 bool
		want    string
	}{
		{"another zone", shared(workHours(monToFri, 9*time.Hour, 17*time.Hour+30*time.Minute, newYork)), false, "Works 09:00–17:30 (15:00–23:30 here)"},
		{"another zone, 12-hour clock", shared(workHours(monToFri, 9*time.Hour, 17*time.Hour+30*time.Minute, newYork)), true, "Works 9:00 AM–5:30 PM (3:00 PM–11:30 PM here)"},
		{"another name for the same clock", shared(workHours(monToFri, 9*time.Hour, 17*time.Hour+30*time.Minute, rome)), false, "Works 09:00–17:30"},
		{"four days a week", shared(workHours(monToThu, 8*time.Hour+30*time.Minute, 13*time.Hour, paris)), false, "Works Mon–Thu 08:30–13:00"},
		{"scattered days", shared(workHours([]time.Weekday{time.Friday, time.Monday, time.Wednesday}, 9*time.Hour, 12*time.Hour, paris)), false, "Works Mon, Wed, Fri 09:00–12:00"},
		{"not shared: nothing said", calendar.PersonState{WorkingHours: calendar.DefaultWorkingHours(paris)}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(was bool) { clock12 = was }(clock12)
			clock12 = tt.clock12
			if got := workingHoursLine(tt.p, tuesday); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("in Italian", func(t *testing.T) {
		inLanguage(t, "it_IT.UTF-8")
		p := shared(workHours(monToFri, 9*time.Hour, 17*time.Hour+30*time.Minute, newYork))
		if got, want := workingHoursLine(p, tuesday), "Lavora 09:00–17:30 (qui 15:00–23:30)"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

// A demo colleague working from New York, seen from Paris: the details say
// their hours on both clocks and the timeline runs to midnight to shade them.
func TestDetailsOfAColleagueInAnotherZoneGolden(t *testing.T) {
	c, w := newTestConsole(t, true)
	c.Apply(demoSnapshot(t))
	c.chosen = "elena.berger@demo.example"
	c.filter(false)
	if got, want := c.detail.hours.Text, "Works 09:00–17:30 (15:00–23:30 here)"; got != want {
		t.Fatalf("details say %q, want %q", got, want)
	}
	test.AssertRendersToMarkup(t, "details_other_zone.xml", w.Canvas())
}
