package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// allOf are the controls of kind T drawn in o, as the window drew them.
func allOf[T any](o fyne.CanvasObject) []T {
	var out []T
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if f, ok := o.(T); ok && o.Visible() {
			out = append(out, f)
		}
		switch c := o.(type) {
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child)
			}
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		}
	}
	walk(o)
	return out
}

// After Connect the list holds only the operator: a hint says how to add
// colleagues, and its button searches the directory, lists the matches (the
// operator ticked already) and adds the ones ticked (issue 21).
func TestAddColleaguesFromTheDirectory(t *testing.T) {
	own := calendar.Person{Name: "Reception", Email: "reception@contoso.com"}
	ben := calendar.Person{Name: "Ben Holm", Email: "ben.holm@contoso.com", Department: "Sales"}
	benB := calendar.Person{Name: "Ben Berger", Email: "ben.berger@contoso.com", Department: "Finance"}
	var queries []string
	var added [][]string
	m, w := newTestWindow(t, Actions{
		SearchDirectory: func(_ context.Context, q string) ([]calendar.Person, error) {
			queries = append(queries, q)
			return []calendar.Person{ben, benB, own}, nil
		},
		AddColleagues: func(_ context.Context, emails []string) error {
			added = append(added, emails)
			return nil
		},
	}, false)
	snap := calendar.Snapshot{Source: "ews", At: testNow, GeneratedAt: testNow,
		People: []*calendar.PersonState{{Person: &own, FetchedAt: testNow}}}
	m.Apply(snap)
	if !m.hint.root.Visible() {
		t.Fatal("no hint over a list that holds only the operator")
	}
	test.Tap(findButton(t, m.hint.root, "Add colleagues…"))
	if m.modal == nil || m.modal.name != "colleagues" {
		t.Fatal("the picker did not open")
	}
	picker := w.Canvas().Overlays().Top()
	query := firstFocusable[*keyEntry](t, picker)
	if w.Canvas().Focused() != query {
		t.Error("the search box does not have the keyboard")
	}
	test.Type(query, "ben")
	query.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !slices.Equal(queries, []string{"ben"}) {
		t.Fatalf("searched %q", queries)
	}
	checks := allOf[*keyCheck](picker)
	if len(checks) != 3 {
		t.Fatalf("%d matches listed, want 3", len(checks))
	}
	if !checks[2].Checked || !checks[2].Disabled() {
		t.Error("the operator, on the list already, is not shown ticked and fixed")
	}
	checks[0].SetChecked(true) // Ben Holm ticked
	var add *keyButton
	for _, b := range allOf[*keyButton](picker) {
		if b.Text == "Add 1" {
			add = b
		}
	}
	if add == nil || add.Disabled() {
		for _, b := range allOf[*keyButton](picker) {
			t.Logf("button %q", b.Text)
		}
		t.Fatal("no Add 1 after ticking one")
	}
	test.Tap(add)
	if len(added) != 1 || !slices.Equal(added[0], []string{"ben.holm@contoso.com"}) {
		t.Errorf("added %q, want Ben Holm", added)
	}
	if openDialogs(w) != 0 {
		t.Error("the picker stayed open after Add")
	}

	snap.People = append(snap.People, &calendar.PersonState{Person: &ben})
	m.Apply(snap)
	if m.hint.root.Visible() {
		t.Error("the hint stays once colleagues are on the list")
	}
}
