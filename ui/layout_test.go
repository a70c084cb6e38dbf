package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// At the smallest size the window supports, and a little above it, every
// visible text of the list, the details and the day either fits or ends in an
// ellipsis, stays inside the window, and no two texts draw over each other.
func TestNothingClipsOrOverlapsAtSmallSizes(t *testing.T) {
	snap := demoSnapshot(t)
	var busy, away string
	for _, p := range snap.People {
		if busy == "" && p.Status == calendar.StatusBusy && p.Current != nil && p.Current.Subject != "" {
			busy = p.Person.Name
		}
		if away == "" && p.Status == calendar.StatusOOF {
			away = p.Person.Name
		}
	}
	if busy == "" || away == "" {
		t.Fatalf("the demo day has no busy (%q) or out-of-office (%q) colleague", busy, away)
	}
	for _, size := range []fyne.Size{{Width: 600, Height: 400}, {Width: 800, Height: 500}} {
		for _, name := range []string{"", busy, away} {
			t.Run(fmt.Sprintf("%vx%v %s", size.Width, size.Height, name), func(t *testing.T) {
				c, w := newTestConsole(t, true)
				w.Resize(size)
				c.Apply(snap)
				if name != "" {
					test.Type(c.search, name)
					c.open()
				}
				checkTexts(t, w.Canvas(), size)
			})
		}
	}
	// At 960x640 at every text size and in every language, the details and
	// the day too; TestNumbersAndTimesAreNeverCut checks that what is read
	// out there is whole.
	for _, language := range []string{"en_US.UTF-8", "it_IT.UTF-8", "de_DE.UTF-8"} {
		for _, ts := range TextSizes() {
			size := atTextSize(fyne.NewSize(960, 640), ts)
			t.Run(fmt.Sprintf("960x640 %s %v", language[:2], ts), func(t *testing.T) {
				inLanguage(t, language)
				for _, name := range []string{busy, away} {
					c, w := newTestConsole(t, true)
					w.Resize(size)
					c.Apply(snap)
					test.Type(c.search, name)
					c.open()
					checkTexts(t, w.Canvas(), size)
				}
			})
		}
	}
}

type placedText struct {
	text     *canvas.Text
	pos      fyne.Position // top left of the part that is drawn
	size     fyne.Size
	fullSize fyne.Size
}

func checkTexts(t *testing.T, c fyne.Canvas, size fyne.Size) {
	t.Helper()
	test.LaidOutObjects(c.Content()) // lays the tree out
	var texts []placedText
	walkDrawn(c.Content(), fyne.NewPos(0, 0), fyne.NewPos(0, 0), size, func(txt *canvas.Text, pos, clipPos fyne.Position, clipSize fyne.Size) {
		if strings.TrimSpace(txt.Text) == "" {
			return
		}
		// What is drawn is the text's box cut by its scroll container's clip.
		x1, y1 := max(pos.X, clipPos.X), max(pos.Y, clipPos.Y)
		x2 := min(pos.X+txt.Size().Width, clipPos.X+clipSize.Width)
		y2 := min(pos.Y+txt.Size().Height, clipPos.Y+clipSize.Height)
		if x2-x1 < 1 || y2-y1+0.5 < txt.Size().Height {
			return // scrolled out of view, or a row cut at the edge of a scrolled list
		}
		texts = append(texts, placedText{txt, fyne.NewPos(x1, y1), fyne.NewSize(x2-x1, y2-y1), txt.Size()})
		if pos.X < -0.5 || pos.X+txt.Size().Width > size.Width+0.5 {
			t.Errorf("%q runs outside the window: x %.0f..%.0f of %.0f", txt.Text, pos.X, pos.X+txt.Size().Width, size.Width)
		}
		if x2-x1+0.5 < txt.MinSize().Width && !strings.HasSuffix(txt.Text, "…") {
			t.Errorf("%q is cut without an ellipsis: %.0f px shown of %.0f", txt.Text, x2-x1, txt.MinSize().Width)
		}
	})
	if len(texts) < 5 {
		t.Fatalf("only %d texts on screen", len(texts))
	}
	for i, a := range texts {
		for _, b := range texts[i+1:] {
			if overlaps(a, b) {
				t.Errorf("%q at %v and %q at %v draw over each other", a.text.Text, a.pos, b.text.Text, b.pos)
			}
		}
	}
}

func overlaps(a, b placedText) bool {
	const slack = 1 // anti-aliasing: touching is not overlapping
	ax2, ay2 := a.pos.X+a.size.Width, a.pos.Y+a.size.Height
	bx2, by2 := b.pos.X+b.size.Width, b.pos.Y+b.size.Height
	return a.pos.X+slack < bx2 && b.pos.X+slack < ax2 && a.pos.Y+slack < by2 && b.pos.Y+slack < ay2
}

// walkDrawn visits every shown text with its position in the window and the
// clip of the innermost scroll container around it (what the GL painter does).
func walkDrawn(o fyne.CanvasObject, parent, clipPos fyne.Position, clipSize fyne.Size, visit func(*canvas.Text, fyne.Position, fyne.Position, fyne.Size)) {
	if o == nil || !o.Visible() {
		return
	}
	pos := parent.Add(o.Position())
	if _, scrolls := o.(*container.Scroll); scrolls {
		x1, y1 := max(pos.X, clipPos.X), max(pos.Y, clipPos.Y)
		x2 := min(pos.X+o.Size().Width, clipPos.X+clipSize.Width)
		y2 := min(pos.Y+o.Size().Height, clipPos.Y+clipSize.Height)
		clipPos, clipSize = fyne.NewPos(x1, y1), fyne.NewSize(max(0, x2-x1), max(0, y2-y1))
	}
	var children []fyne.CanvasObject
	switch v := o.(type) {
	case *canvas.Text:
		visit(v, pos, clipPos, clipSize)
		return
	case *fyne.Container:
		children = v.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(v).Objects()
	}
	for _, ch := range children {
		walkDrawn(ch, pos, clipPos, clipSize, visit)
	}
}
