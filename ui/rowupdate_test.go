package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// drawnSegment is the text segment a row's label draws: the RichText Fyne's
// label lays out (the label's own Text is what it was given).
func drawnSegment(t *testing.T, r *row, label string) *widget.TextSegment {
	t.Helper()
	var rt *widget.RichText
	switch label {
	case "name", "dept", "what":
		l := map[string]*fullTextLabel{"name": r.name, "dept": r.dept, "what": r.what}[label]
		for _, o := range test.WidgetRenderer(l).Objects() {
			if o, ok := o.(*widget.RichText); ok {
				rt = o
			}
		}
	case "status":
		rt = r.status.text
	}
	if rt == nil || len(rt.Segments) == 0 {
		t.Fatalf("the row's %s label draws no text", label)
	}
	return rt.Segments[0].(*widget.TextSegment)
}

// A refresh of the list that changes nobody on screen leaves the rows'
// labels as they are drawn: Fyne lays a truncating label's text out again at
// each SetText (a new HarfBuzz shaper each time), and the list sets up every
// row twice at its first showing and once at every refresh. Marked drawn
// texts survive a refresh; a row that shows someone else draws them anew.
func TestListRefreshLeavesUnchangedLabelsAlone(t *testing.T) {
	c, _ := newTestConsole(t, true)
	c.Apply(demoSnapshot(t))
	if len(c.rows) == 0 {
		t.Fatal("no list row drew a colleague")
	}
	labels := []string{"name", "dept", "status", "what"}
	mark := func() {
		for _, r := range c.rows {
			for _, l := range labels {
				drawnSegment(t, r, l).Text = "marked " + l
			}
		}
	}
	mark()
	for _, tc := range []struct {
		name    string
		refresh func()
	}{
		{"list refresh", func() { c.list.Refresh() }},
		{"filter again", func() { c.filter(false) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.refresh()
			for i, r := range c.rows {
				for _, l := range labels {
					if got := drawnSegment(t, r, l).Text; got != "marked "+l {
						t.Errorf("row %d's %s label was set again to %q", i, l, got)
					}
				}
			}
		})
	}

	test.Type(c.search, "dmitri")
	if len(c.onScreen) == 0 {
		t.Fatal("no row on screen after the search")
	}
	for r, i := range c.onScreen {
		if got := drawnSegment(t, r, "name").Text; got != r.name.Text {
			t.Errorf("row %d draws the name %q, want %q", i, got, r.name.Text)
		}
	}
}

// The show of a new directory counts and searches everyone on one turn of
// the UI thread and draws on the next: at the start the two held it 30-45 ms
// of CPU in one callback. Until the draw the window shows the last snapshot
// whole (here the loading state, no rows); after it, the same screen as one
// turn drew.
func TestShowDrawsOnTheNextTurn(t *testing.T) {
	c, w := newTestConsole(t, true)
	var held []func()
	old := drawShown
	drawShown = func(_ int, draw func()) { held = append(held, draw) }
	t.Cleanup(func() { drawShown = old })
	stateBefore, countBefore := c.stateLine.Text, c.count.Text

	c.Apply(demoSnapshot(t))
	if len(held) != 1 {
		t.Fatalf("%d draws left for the next turn, want 1", len(held))
	}
	if len(c.visible) == 0 {
		t.Error("the first turn found nobody to list")
	}
	if len(c.rows) != 0 || c.stateLine.Text != stateBefore || c.count.Text != countBefore {
		t.Errorf("the first turn drew: %d rows, state %q (was %q), count %q (was %q)",
			len(c.rows), c.stateLine.Text, stateBefore, c.count.Text, countBefore)
	}

	held[0]()
	if len(c.rows) == 0 {
		t.Error("the second turn drew no row")
	}
	test.AssertRendersToMarkup(t, "console_demo.xml", w.Canvas())
}
