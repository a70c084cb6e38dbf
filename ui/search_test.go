package ui

import (
	"context"
	"testing"
	"time"

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
	s := calendar.Snapshot{At: time.Date(2026, 11, 23, 10, 0, 0, 0, paris), People: make([]calendar.PersonState, n)}
	for i, p := range people {
		s.People[i] = calendar.PersonState{Person: p, Status: calendar.StatusFree}
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
	ix := newSearchIndex(s.People)
	var out []int
	for b.Loop() {
		out = ix.filter("chloe gu", out)
	}
}

// BenchmarkIndex10k is the once-per-snapshot folding.
func BenchmarkIndex10k(b *testing.B) {
	s := bigSnapshot(b, 10_000)
	for b.Loop() {
		newSearchIndex(s.People)
	}
}

func TestSearchIndexOrdersByNameAndFindsEveryField(t *testing.T) {
	people := []calendar.PersonState{
		{Person: calendar.Person{Name: "Zoë Young", Email: "zoe@x.example", Department: "Sales", Office: "Milan", Phone: "+39 02 1234"}},
		{Person: calendar.Person{Name: "Ádám Berg", Email: "adam@x.example", Department: "Finance", JobTitle: "Controller"}},
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
	ix := newSearchIndex(people)
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
