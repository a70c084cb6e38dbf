package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// bigSnapshot is a demo company of n people (directory only: search reads no calendar).
func bigSnapshot(b testing.TB, n int) calendar.Snapshot {
	b.Helper()
	people, err := calendar.NewDemoOfSize(paris, n).Directory(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	s := calendar.Snapshot{At: time.Date(2026, 11, 23, 10, 0, 0, 0, paris), People: make([]*calendar.PersonState, n)}
	for i, p := range people {
		s.People[i] = &calendar.PersonState{Person: &p, Status: calendar.StatusFree}
	}
	return s
}

// typedQueries are the search field's contents as the operator types
// "chloe gupta" and deletes it again, one keystroke each.
func typedQueries() []string {
	query := "chloe gupta"
	var typed []string
	for i := 1; i <= len(query); i++ {
		typed = append(typed, query[:i])
	}
	for i := len(query) - 1; i >= 0; i-- {
		typed = append(typed, query[:i])
	}
	return typed
}

// BenchmarkSearchKeystroke10k is the search of one keystroke over 10,000
// people, as the console runs it: match every word against each person's text
// folded once per snapshot, pin favourites on top, keep or pick the selection.
// (Drawing the few visible rows is BenchmarkSearchKeystrokeWidgets10k.)
func BenchmarkSearchKeystroke10k(b *testing.B) {
	test.NewTempApp(b)
	c := NewConsole(Options{Favourites: []string{"ada.abbott@demo.example"}})
	c.Apply(bigSnapshot(b, 10_000))
	typed := typedQueries()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.search.Text = typed[i%len(typed)]
		c.narrow(true)
	}
}

// BenchmarkSearchKeystrokeWidgets10k is one keystroke end to end in the test
// driver: the entry's text changes, the console narrows, and the list, the count
// and the details are refreshed (text shaping of the visible rows included).
func BenchmarkSearchKeystrokeWidgets10k(b *testing.B) {
	test.NewTempApp(b)
	c := NewConsole(Options{Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, paris) }})
	w := test.NewTempWindow(b, c.Content())
	w.Resize(fyne.NewSize(900, 600))
	c.Apply(bigSnapshot(b, 10_000))
	typed := typedQueries()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.search.SetText(typed[i%len(typed)])
	}
}

// BenchmarkFilter10k is the filter alone, without the widgets.
func BenchmarkFilter10k(b *testing.B) {
	s := bigSnapshot(b, 10_000)
	ix := newSearchIndex(s.People, nil)
	var out []int
	for b.Loop() {
		out = ix.filter("chloe gu", out)
	}
}

// BenchmarkIndex10k is the once-per-snapshot folding.
func BenchmarkIndex10k(b *testing.B) {
	s := bigSnapshot(b, 10_000)
	for b.Loop() {
		newSearchIndex(s.People, nil)
	}
}

func TestSearchIndexOrdersByNameAndFindsEveryField(t *testing.T) {
	people := []*calendar.PersonState{
		{Person: &calendar.Person{Name: "Zoë Young", Email: "zoe@x.example", Department: "Sales", Office: "Milan", Phone: "+39 02 1234"}},
		{Person: &calendar.Person{Name: "Ádám Berg", Email: "adam@x.example", Department: "Finance", JobTitle: "Controller"}},
	}
	tests := []struct {
		query string
		want  []int
	}{
		{"", []int{1, 0}}, // by folded name: Adam before Zoe
		{"zoe", []int{0}},
		{"ADAM fin", []int{1}},
		{"controller", []int{1}},
		{"milan", []int{0}},
		{"02 1234", []int{0}},
		{"nobody", nil},
	}
	ix := newSearchIndex(people, nil)
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := ix.filter(tt.query, nil)
			if len(got) != len(tt.want) {
				t.Fatalf("filter(%q) = %v, want %v", tt.query, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("filter(%q) = %v, want %v", tt.query, got, tt.want)
				}
			}
		})
	}
}

// A receptionist types the first name, then the start of the surname: the
// colleague whose name that is comes first, ahead of namesakes whose "h" or
// "f" is in a department, a title or a mail address. Typed one key at a time
// into the console of the 5,000-person demo, as on the phone.
func TestSearchRanksTheTypedNameFirst(t *testing.T) {
	tests := []struct {
		typed, want string
	}{
		{"ben h", "Ben Holm"},
		{"liam f", "Liam Fontaine"},
		{"ben ho", "Ben Holm"},
		{"holm", "Ada Holm"},               // a surname alone: the first Holm in the list
		{"ada hol", "Ada Holm"},            // "hol" is a prefix of the surname, not of "Chief of Staff"
		{"chloe g", "Chloé Gupta"},         // accents folded
		{"finance", "Ada Abbott"},          // a department: its first member in the list's order
		{"+1 555 0103", "Dmitri Fontaine"}, // a number
	}
	test.NewTempApp(t)
	snap := bigSnapshot(t, 5_000)
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			c := NewConsole(Options{Now: func() time.Time { return snap.At }})
			t.Cleanup(c.search.stopIdle)
			c.Apply(snap)
			for i := range tt.typed {
				c.search.SetText(tt.typed[:i+1])
			}
			p, ok := c.Selected()
			if !ok || p.Person.Name != tt.want {
				t.Fatalf("typed %q: selected %q, want %q", tt.typed, p.Person.Name, tt.want)
			}
			// Namesakes stay in the list's order: the first of them in
			// the list is the one selected, and the order of the namesakes
			// is the snapshot's, whatever a refresh does.
			first := -1
			for i, idx := range c.visible {
				if snap.People[idx].Person.Name == tt.want {
					first = i
					break
				}
			}
			if c.rowOf(c.chosen) != 0 || first != 0 {
				t.Fatalf("typed %q: selection on row %d, first %s on row %d", tt.typed, c.rowOf(c.chosen), tt.want, first)
			}
			before := slices.Clone(c.visible)
			c.Apply(snap)
			if !slices.Equal(before, c.visible) || c.chosen != p.Person.Key() {
				t.Errorf("typed %q: a refresh reordered the matches or moved the selection", tt.typed)
			}
		})
	}
}

// How each kind of match ranks: the typed word in its place in the name,
// another name word, then department, title, number and address, every
// prefix above every match inside a word; equals keep the list's order.
func TestSearchRankOrder(t *testing.T) {
	person := func(name, dept, title, phone, email, office string) calendar.PersonState {
		return calendar.PersonState{Person: &calendar.Person{Name: name, Department: dept, JobTitle: title, Phone: phone, Email: email, Office: office}}
	}
	people := ptrs(
		person("Ben Abbott", "People & HR", "Recruiter", "+1 555 0101", "ben.abbott@x.example", "London"),
		person("Ben Holm", "Sales", "Account Manager", "+1 555 0102", "ben.holm@x.example", "Milan"),
		person("Hanna Bennett", "Sales", "Sales Lead", "+1 555 0103", "hanna.bennett@x.example", "Munich"),
		person("Ben Castillo", "Legal", "Head of Legal", "+1 555 0104", "ben.c@x.example", "Remote"),
		person("Ben Dahl", "Finance", "Controller", "+1 555 0105", "bd@hq.example", "Milan"),
		person("Ben Eriksen", "Finance", "Accountant", "+1 555 0106", "ben.e@x.example", "Hamburg"),
		person("Ben Fischer", "Finance", "Accountant", "+1 555 0107", "ben.f@x.example", "London"),
		person("Ben Holm", "Legal", "Counsel", "+1 555 0108", "ben.holm2@x.example", "Remote"),
	)
	tests := []struct {
		query string
		want  []int
	}{
		// Holm in place (both namesakes, in the snapshot's order), then Hanna
		// (h of another name word), then the department HR, the title
		// Head, the address bd@hq, the office Hamburg, then h inside a name
		// (Fischer) before h inside another field.
		{"ben h", []int{1, 7, 2, 0, 3, 4, 5, 6}},
		{"h", []int{2, 1, 7, 0, 3, 4, 5, 6}}, // only Hanna has h first in place 0
		{"ben 555 0107", []int{6}},
		{"ann", []int{2}}, // inside a name
		{"", []int{0, 3, 4, 5, 6, 1, 7, 2}},
	}
	ix := newSearchIndex(people, nil)
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := ix.filter(tt.query, nil); !slices.Equal(got, tt.want) {
				t.Errorf("filter(%q) = %v, want %v", tt.query, names(people, got), names(people, tt.want))
			}
		})
	}
}

func names(people []*calendar.PersonState, idx []int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, people[i].Person.Name+" ("+people[i].Person.Department+")")
	}
	return out
}

// BenchmarkFilterBroad10k is the worst keystroke: one letter that nearly
// everyone's text holds, each of them ranked.
func BenchmarkFilterBroad10k(b *testing.B) {
	s := bigSnapshot(b, 10_000)
	ix := newSearchIndex(s.People, nil)
	var out []int
	for b.Loop() {
		out = ix.filter("e", out)
	}
}

// BenchmarkApplySnapshot50k is one snapshot applied to the window at 50,000
// people when the directory did not change and one person did, as after an
// Enter or a small batch: each publish is a new slice of the same people with
// their revisions, the one changed person with a new one and a new status.
// selected: the changed person is the selected colleague, on screen with
// their details; offscreen: someone far down the list; clock-moves: the
// selected one again, with the console's clock a second on at each apply, so
// every row on screen is drawn again; unnumbered: the selected one in
// snapshots without a directory revision, applied in full.
func BenchmarkApplySnapshot50k(b *testing.B) {
	for _, tc := range []struct {
		name       string
		changed    int // row of the list whose person changes
		clockMoves bool
	}{
		{"selected", 0, false},
		{"offscreen", 40_000, false},
		{"clock-moves", 0, true},
		{"unnumbered", 0, false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			test.NewTempApp(b)
			now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
			c := NewConsole(Options{Now: func() time.Time { return now }})
			w := test.NewTempWindow(b, c.Content())
			w.Resize(fyne.NewSize(900, 600))
			first := bigSnapshot(b, 50_000)
			first.DirectoryRevision = 1
			for i := range first.People {
				first.People[i].Revision = uint64(i + 1)
				first.People[i].FetchedAt = first.At.Add(-time.Duration(i%60) * time.Second)
			}
			c.Apply(first)
			c.choose(0, false)
			idx := c.visible[tc.changed]
			var snaps [2]calendar.Snapshot
			for k := range snaps {
				s := first
				s.People = slices.Clone(first.People)
				s.People[idx] = ptrs(*first.People[idx])[0]
				s.GeneratedAt = first.At.Add(time.Duration(k+1) * time.Minute)
				p := s.People[idx]
				p.Revision = uint64(len(s.People) + 1 + k)
				p.FetchedAt = s.GeneratedAt
				p.Status = []calendar.Status{calendar.StatusBusy, calendar.StatusFree}[k]
				if tc.name == "unnumbered" {
					s.DirectoryRevision = 0 // a full apply, as before the engine numbered its snapshots
				}
				snaps[k] = s
			}
			c.Apply(snaps[1])
			b.ReportAllocs()
			cpu := processCPU()
			for i := 0; b.Loop(); i++ {
				if tc.clockMoves {
					now = now.Add(time.Second)
				}
				c.Apply(snaps[i%2])
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// Every person's folded text is one string's slices, in the index's order,
// not a string each scattered among the garbage folding leaves.
func TestSearchIndexTextIsOneString(t *testing.T) {
	people := []*calendar.PersonState{
		{Person: &calendar.Person{Name: "Zoë Young", Email: "zoe@x.example", Department: "Sales"}},
		{Person: &calendar.Person{Name: "Ádám Berg", Email: "adam@x.example"}},
		{Person: &calendar.Person{Name: "Cleo Park", Email: "cleo@x.example", Phone: "+39 02 1234"}},
	}
	ix := newSearchIndex(people, map[string]DeskNote{"cleo@x.example": {Text: "back Monday"}})
	for i := 1; i < len(ix.hay); i++ {
		prev, this := ix.hay[i-1], ix.hay[i]
		if unsafe.Add(unsafe.Pointer(unsafe.StringData(prev)), len(prev)) != unsafe.Pointer(unsafe.StringData(this)) {
			t.Errorf("hay %d (%q) does not follow hay %d (%q) in one string", i, this, i-1, prev)
		}
	}
	if !strings.Contains(ix.hay[1], "cleo park") || !strings.Contains(ix.hay[1], "back monday") {
		t.Errorf("Cleo's hay %q, want her name and note in it", ix.hay[1])
	}
}
