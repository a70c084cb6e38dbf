package ui

import (
	"context"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// memoryNotes is the notes file as another desk and this one see it.
type memoryNotes struct {
	mu      sync.Mutex
	notes   map[string]DeskNote
	problem error
	changed bool
	saves   []string // key=text per save
	merge   bool     // the next save finds the note changed at another desk
	fail    error
}

func (m *memoryNotes) Notes() (map[string]DeskNote, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.notes), m.problem
}

func (m *memoryNotes) Reload(context.Context) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.changed
	m.changed = false
	return c
}

func (m *memoryNotes) Save(_ context.Context, key, text, base string) (DeskNote, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return DeskNote{}, false, m.fail
	}
	m.saves = append(m.saves, key+"="+text)
	merged := m.merge
	if merged {
		text = "Edited at two desks at once; both kept:\n" + m.notes[key].Text + "\n—\n" + text
	}
	n := DeskNote{Text: text, Author: "DESK-1 (maria)", At: time.Date(2026, 11, 23, 9, 14, 0, 0, paris), Version: "v" + text}
	m.notes[key] = n
	return n, merged, nil
}

// otherDesk writes a note as another desk would; the next refresh's look finds it.
func (m *memoryNotes) otherDesk(key, text string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.notes[key] = DeskNote{Text: text, Author: "DESK-2 (luca)", At: time.Date(2026, 11, 23, 9, 0, 0, 0, paris), Version: "v" + text}
	m.changed = true
}

type notesConsole struct {
	t     *testing.T
	c     *Console
	w     fyne.Window
	store *memoryNotes
	ui    chan func()
}

func newNotesConsole(t *testing.T) *notesConsole {
	t.Helper()
	test.NewTempApp(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	n := &notesConsole{t: t, store: &memoryNotes{notes: map[string]DeskNote{}}, ui: make(chan func(), 8)}
	// Work the console hands to the Fyne goroutine runs on the test's.
	old := doOnUI
	doOnUI = func(f func()) { n.ui <- f }
	t.Cleanup(func() { doOnUI = old })
	n.c = NewConsole(Options{Now: func() time.Time { return now }, Notes: n.store})
	t.Cleanup(n.c.search.stopIdle)
	n.w = test.NewTempWindow(t, n.c.Content())
	n.w.Resize(fyne.NewSize(900, 600))
	InstallConsoleKeys(n.w.Canvas(), func() *Console { return n.c })
	n.apply()
	return n
}

// apply publishes a refresh and runs what it handed to the Fyne goroutine.
func (n *notesConsole) apply() {
	n.c.Apply(demoSnapshot(n.t))
	n.runUI()
}

func (n *notesConsole) runUI() {
	n.t.Helper()
	select {
	case f := <-n.ui:
		f()
	case <-time.After(10 * time.Second):
		n.t.Fatal("nothing came back to the Fyne goroutine")
	}
}

func (n *notesConsole) selectName(name string) string {
	n.t.Helper()
	test.Type(n.c.search, name)
	p, ok := n.c.Selected()
	if !ok {
		n.t.Fatalf("%q selects nobody", name)
	}
	return strings.ToLower(p.Person.Key())
}

func (n *notesConsole) rowOf(key string) *row {
	n.t.Helper()
	r := newRow(n.c)
	r.update(n.c, n.c.rowOf(key))
	return r
}

func TestNoteWrittenWithTheKeyboard(t *testing.T) {
	n := newNotesConsole(t)
	key := n.selectName("chloe gupta")
	block := n.c.detail.deskNote
	if block.root.Hidden || block.text.Visible() || n.rowOf(key).note.Visible() {
		t.Fatal("a colleague without a note shows one")
	}
	shortcut(n.w.Canvas(), shortcutNote)
	if !block.editing || n.w.Canvas().Focused() != block.entry {
		t.Fatal("Ctrl+N did not open the note's editor with the cursor in it")
	}
	test.Type(block.entry, "no calls before 10")
	if len(n.store.saves) != 0 {
		t.Fatal("saved before Save")
	}
	shortcut(n.w.Canvas(), shortcutSaveNote)
	n.runUI()
	if want := []string{key + "=no calls before 10"}; !slicesEqual(n.store.saves, want) {
		t.Fatalf("saves %v, want %v", n.store.saves, want)
	}
	if block.editing || !block.text.Visible() || block.text.Text != "no calls before 10" {
		t.Errorf("after Save: editing %v, text %q", block.editing, block.text.Text)
	}
	if !strings.Contains(block.byline.Text, "DESK-1 (maria)") {
		t.Errorf("byline %q lacks the author", block.byline.Text)
	}
	if !n.rowOf(key).note.Visible() {
		t.Error("the row has no note mark")
	}

	// Esc gives the edit up: nothing saved, the note as it was.
	shortcut(n.w.Canvas(), shortcutNote)
	test.Type(block.entry, " or after 4")
	press(n.w.Canvas(), fyne.KeyEscape)
	if block.editing || len(n.store.saves) != 1 || block.text.Text != "no calls before 10" {
		t.Errorf("after Esc: editing %v, saves %v, text %q", block.editing, n.store.saves, block.text.Text)
	}
}

// An edit left for another colleague is not lost: Ctrl+N on the first one
// brings the text back, with the version it was typed on.
func TestNoteDraftSurvivesMovingOn(t *testing.T) {
	n := newNotesConsole(t)
	first := n.selectName("chloe gupta")
	shortcut(n.w.Canvas(), shortcutNote)
	test.Type(n.c.detail.deskNote.entry, "prefers mobile")
	n.c.escape() // the search
	n.c.escape() // the selection
	n.selectName("ada abbott")
	if n.c.detail.deskNote.editing {
		t.Fatal("still editing the first colleague's note on another")
	}
	n.c.escape()
	n.c.escape()
	if got := n.selectName("chloe gupta"); got != first {
		t.Fatalf("selected %s", got)
	}
	shortcut(n.w.Canvas(), shortcutNote)
	if got := n.c.detail.deskNote.entry.Text; got != "prefers mobile" {
		t.Errorf("the draft came back as %q", got)
	}
}

func TestNoteEditedAtTwoDesksSaysBothKept(t *testing.T) {
	n := newNotesConsole(t)
	key := n.selectName("chloe gupta")
	n.store.otherDesk(key, "prefers mobile")
	n.store.merge = true
	shortcut(n.w.Canvas(), shortcutNote)
	test.Type(n.c.detail.deskNote.entry, "ask for Maria")
	n.c.detail.deskNote.commit()
	n.runUI()
	block := n.c.detail.deskNote
	if !strings.Contains(block.text.Text, "prefers mobile") || !strings.Contains(block.text.Text, "ask for Maria") {
		t.Errorf("note %q lost a text", block.text.Text)
	}
	if !strings.Contains(block.problem.Text, "both texts are kept") {
		t.Errorf("no word of the merge: %q", block.problem.Text)
	}
}

// A failed save keeps the editor open with the text typed, and says why.
func TestNoteSaveFailureLosesNothing(t *testing.T) {
	n := newNotesConsole(t)
	n.selectName("chloe gupta")
	n.store.fail = &NoteError{Kind: NoteBusy, File: "notes.json"}
	shortcut(n.w.Canvas(), shortcutNote)
	test.Type(n.c.detail.deskNote.entry, "prefers mobile")
	n.c.detail.deskNote.commit()
	n.runUI()
	block := n.c.detail.deskNote
	if !block.editing || block.entry.Text != "prefers mobile" {
		t.Errorf("editing %v, text %q", block.editing, block.entry.Text)
	}
	if !strings.Contains(block.problem.Text, "another desk is saving") {
		t.Errorf("problem %q", block.problem.Text)
	}
	n.store.fail = nil
	block.commit()
	n.runUI()
	if block.editing || block.text.Text != "prefers mobile" {
		t.Errorf("retry: editing %v, text %q", block.editing, block.text.Text)
	}
}

// A note made at another desk shows after the next refresh: in the details,
// as the row's mark and in the search.
func TestNoteFromAnotherDeskAppearsOnRefresh(t *testing.T) {
	n := newNotesConsole(t)
	key := n.selectName("chloe gupta")
	n.store.otherDesk(key, "ask for Maria instead")
	if n.c.detail.deskNote.text.Text != "" {
		t.Fatal("shown before any refresh")
	}
	n.apply()
	if got := n.c.detail.deskNote.text.Text; got != "ask for Maria instead" {
		t.Errorf("details show %q", got)
	}
	if !n.rowOf(key).note.Visible() {
		t.Error("no row mark")
	}
	test.AssertRendersToMarkup(t, "notes_from_another_desk.xml", n.w.Canvas())
	n.store.problem = &NoteError{Kind: NoteUnreadable, File: "/srv/notes.json"}
	n.store.changed = true
	n.apply()
	if got := n.c.detail.deskNote.text.Text; got != "ask for Maria instead" {
		t.Errorf("an unreadable file dropped the note: %q", got)
	}
	if !strings.Contains(n.c.detail.deskNote.problem.Text, "cannot be read") {
		t.Errorf("the unreadable file is not said: %q", n.c.detail.deskNote.problem.Text)
	}
}

// A note's words find the colleague, below everyone whose name or
// department starts with them.
func TestSearchFindsNoteWordsBelowNames(t *testing.T) {
	s := demoSnapshot(t)
	var target, named int = -1, -1
	for i, p := range s.People {
		if target < 0 && !strings.HasPrefix(strings.ToLower(p.Person.Name), "s") {
			target = i
		}
	}
	notes := map[string]DeskNote{strings.ToLower(s.People[target].Person.Key()): {Text: "Speaks Portuguese, ask Maria"}}
	ix := newSearchIndex(s.People, notes)
	got := ix.filter("portug", nil)
	if len(got) != 1 || got[0] != target {
		t.Fatalf("\"portug\" found %v, want only %d", got, target)
	}
	got = ix.filter("s", nil)
	for i, idx := range got {
		if idx == target {
			named = i
		}
	}
	if named < 0 {
		t.Fatal("\"s\" does not find the colleague by their note")
	}
	for _, idx := range got[:named] {
		if ix.score[idx] > ix.score[target] {
			t.Errorf("%s ranks above a worse match", s.People[idx].Person.Name)
		}
	}
	if first := s.People[got[0]].Person.Name; !strings.HasPrefix(strings.ToLower(first), "s") {
		t.Errorf("first for \"s\" is %s, not a name starting with S", first)
	}
	if ix.score[target] <= ix.score[got[0]] {
		t.Error("a note word ranks with a name")
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A colleague without a note costs the details no line: the "Desk note"
// button waits in the action row, and the title line appears only with a
// note, an open editor or a problem (the day below stays in view).
func TestAnEmptyNoteTakesNoLine(t *testing.T) {
	n := newNotesConsole(t)
	key := n.selectName("chloe gupta")
	block := n.c.detail.deskNote
	if block.header.Visible() || !block.add.Visible() {
		t.Fatalf("no note: title line shown %v, action-row button shown %v; want false, true", block.header.Visible(), block.add.Visible())
	}
	test.Tap(block.add)
	if !block.editing || !block.header.Visible() || block.add.Visible() {
		t.Fatalf("editing: editing %v, title line %v, button %v; want true, true, false", block.editing, block.header.Visible(), block.add.Visible())
	}
	test.Type(block.entry, "prefers mobile")
	shortcut(n.w.Canvas(), shortcutSaveNote)
	n.runUI()
	if !block.header.Visible() || block.add.Visible() || !n.rowOf(key).note.Visible() {
		t.Errorf("with a note: title line %v, button %v, row mark %v; want true, false, true", block.header.Visible(), block.add.Visible(), n.rowOf(key).note.Visible())
	}
}
