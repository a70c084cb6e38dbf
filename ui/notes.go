package ui

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DeskNote is what the desk knows about a colleague that no calendar says:
// "no calls before 10", "ask for Maria instead". It is personal data: it stays
// in the notes file and never reaches a log file or the diagnostics bundle.
type DeskNote struct {
	Text   string
	Author string // the desk (host and OS user) that wrote it last
	At     time.Time
	// Version names this text as stored; a save says which version it
	// edited, so a note another desk changed meanwhile is merged, not lost.
	Version string
}

// NoteMaxRunes caps one note as typed: a note is a line or two for the
// caller, not a file.
const NoteMaxRunes = 1000

// DeskNotes keeps the desk's notes, in a file of this PC or one shared by
// every desk. Notes is in memory; Reload and Save do file I/O and are called
// off the Fyne goroutine.
type DeskNotes interface {
	// Notes are the notes as last read, by person key in lower case (do
	// not change the map), and why the file could not be read at the last
	// look (nil when it could).
	Notes() (map[string]DeskNote, error)
	// Reload reads the file again when it changed since the last look and
	// reports whether the notes or the problem changed.
	Reload(ctx context.Context) bool
	// Save keeps text (empty: no note) as the note on key, edited from the
	// note of version base ("" for none). merged: another desk changed the
	// note meanwhile, and both texts are kept in note.
	Save(ctx context.Context, key, text, base string) (note DeskNote, merged bool, err error)
}

// NoteErrorKind sorts why a note could not be kept or read.
type NoteErrorKind int

const (
	NoteBusy       NoteErrorKind = iota + 1 // another desk held the file's lock too long
	NoteUnreadable                          // the file holds something that is not notes
	NoteTooLong                             // over NoteMaxRunes
	NoteFileFull                            // the file would grow over its cap
	NoteUnwritable                          // the folder or share cannot be written
)

// NoteError is a failure of the notes file, with its kind.
type NoteError struct {
	Kind NoteErrorKind
	File string
	Err  error
}

func (e *NoteError) Error() string {
	if e.Err == nil {
		return "desk notes " + e.File
	}
	return "desk notes " + e.File + ": " + e.Err.Error()
}

func (e *NoteError) Unwrap() error { return e.Err }

// noteProblem is a notes failure in the operator's words.
func noteProblem(err error) string {
	var ne *NoteError
	if !errors.As(err, &ne) {
		return lang.L("The note was not saved. Try again; if it keeps failing, tell IT.")
	}
	args := map[string]any{"File": ne.File, "Max": NoteMaxRunes}
	switch ne.Kind {
	case NoteBusy:
		return lang.L("The note was not saved: another desk is saving notes. Try again in a moment.")
	case NoteUnreadable:
		return lang.L("The notes file {{.File}} cannot be read: showing the notes as last read, and saving is paused so nothing in it is lost. Tell IT.", args)
	case NoteTooLong:
		return lang.L("The note is too long: at most {{.Max}} characters.", args)
	case NoteFileFull:
		return lang.L("The note was not saved: the notes file {{.File}} is full. Shorten or remove old notes.", args)
	}
	return lang.L("The note was not saved: {{.File}} cannot be written. Tell IT.", args)
}

var shortcutNote = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}

// noteBlock is the desk's note in the details: the text with who wrote it
// and when, an Edit button (Ctrl+N), and while editing a small multi-line
// entry with Save and Cancel (Esc).
type noteBlock struct {
	console *Console
	root    *fyne.Container

	text    *widget.Label
	byline  *widget.Label
	edit    *widget.Button
	problem *widget.Label
	// header is the title line; add stands in the details' action row
	// instead while the colleague has no note, so an empty note costs the
	// day below no line.
	header *fyne.Container
	add    *widget.Button

	editor   *fyne.Container
	entry    *noteEntry
	save     *widget.Button
	key      string // whose note is in the editor
	base     string // the version it was edited from
	editing  bool
	saving   bool
	shownFor string // the colleague on show
	// drafts are edits left unsaved when the selection moved on, by
	// person key: Ctrl+N on that colleague again brings the text back.
	drafts map[string]noteDraft
}

type noteDraft struct{ text, base string }

func newNoteBlock(c *Console) *noteBlock {
	b := &noteBlock{console: c,
		text:    widget.NewLabel(""),
		byline:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		problem: widget.NewLabel(""),
	}
	b.text.Wrapping = fyne.TextWrapWord
	b.byline.Truncation = fyne.TextTruncateEllipsis
	b.byline.SizeName = theme.SizeNameCaptionText
	b.problem.Wrapping = fyne.TextWrapWord
	b.problem.Importance = widget.WarningImportance
	b.edit = widget.NewButtonWithIcon(lang.L("Add a desk note"), theme.DocumentCreateIcon(), b.startEdit)
	b.edit.Importance = widget.LowImportance
	b.entry = newNoteEntry(b)
	b.entry.SetMinRowsVisible(3)
	b.entry.Wrapping = fyne.TextWrapWord
	b.entry.SetPlaceHolder(lang.L("For the desk: \"no calls before 10\", \"ask for Maria instead\""))
	b.save = widget.NewButton(lang.L("Save"), b.commit)
	b.save.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), b.cancel)
	b.editor = container.NewVBox(b.entry, container.NewHBox(b.save, cancel))
	b.editor.Hide()
	title := widget.NewLabelWithStyle(lang.L("Desk note"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	// Who wrote it and when shares the title's line: the note costs the
	// details as few lines as it can, the day below stays in view.
	b.header = container.NewBorder(nil, nil, title, b.edit, b.byline)
	b.root = container.NewVBox(b.header, b.text, b.editor, b.problem)
	b.root.Hidden = c.opts.Notes == nil
	b.add = widget.NewButtonWithIcon(lang.L("Desk note"), noteMark, b.startEdit)
	b.add.Hidden = c.opts.Notes == nil
	return b
}

// show puts key's note on screen; an edit under way is left as typed, and
// one for another colleague is given up (its text was never saved).
func (b *noteBlock) show(key string) {
	key = strings.ToLower(key)
	if b.editing && b.key != key && !b.saving {
		if b.drafts == nil {
			b.drafts = map[string]noteDraft{}
		}
		b.drafts[b.key] = noteDraft{text: b.entry.Text, base: b.base}
		b.stopEdit()
	}
	if b.shownFor != key {
		b.problem.SetText("")
	}
	b.shownFor = key
	note, ok := b.console.notes[key]
	b.text.SetText(note.Text)
	b.text.Hidden = !ok || b.editing
	b.byline.SetText("")
	if ok {
		b.byline.SetText(lang.L("{{.Author}}, {{.Time}}", map[string]any{"Author": note.Author, "Time": shortTime(note.At, b.console.opts.Now())}))
	}
	b.byline.Hidden = b.byline.Text == "" || b.editing
	if ok {
		b.edit.SetText(lang.L("Edit note"))
	} else {
		b.edit.SetText(lang.L("Add a desk note"))
	}
	b.edit.Hidden = b.editing || b.console.opts.Notes == nil
	if b.console.notesProblem != nil && b.problem.Text == "" {
		b.problem.SetText(noteProblem(b.console.notesProblem))
	}
	b.problem.Hidden = b.problem.Text == ""
	empty := !ok && !b.editing && b.problem.Hidden
	b.header.Hidden = empty
	b.add.Hidden = !empty || b.console.opts.Notes == nil
	b.root.Refresh()
	b.add.Refresh()
}

// startEdit opens the editor on the selected colleague's note (Ctrl+N).
func (b *noteBlock) startEdit() {
	c := b.console
	if c.opts.Notes == nil || b.saving {
		return
	}
	p, ok := c.Selected()
	if !ok {
		return
	}
	if !b.editing {
		b.key = strings.ToLower(p.Person.Key())
		note := c.notes[b.key]
		b.base = note.Version
		b.entry.SetText(note.Text)
		if d, ok := b.drafts[b.key]; ok {
			// Saved against the version it was typed on: a change made
			// meanwhile at another desk is merged, not overwritten.
			b.base = d.base
			b.entry.SetText(d.text)
			delete(b.drafts, b.key)
		}
		b.editing = true
		b.problem.SetText("")
		b.editor.Show()
		b.show(b.key)
	}
	if cv := c.canvas(); cv != nil {
		cv.Focus(b.entry)
	}
}

func (b *noteBlock) stopEdit() {
	b.editing = false
	b.editor.Hide()
	if cv := b.console.canvas(); cv != nil && cv.Focused() == b.entry {
		cv.Focus(b.console.search)
	}
}

// cancel closes the editor without saving (Esc).
func (b *noteBlock) cancel() {
	if b.saving {
		return
	}
	b.stopEdit()
	delete(b.drafts, b.key)
	b.problem.SetText("")
	b.show(b.shownFor)
}

// commit saves the editor's text off the Fyne goroutine; the editor stays
// open with the text until the file took it, so a failure loses nothing.
func (b *noteBlock) commit() {
	c := b.console
	if !b.editing || b.saving {
		return
	}
	text := strings.TrimSpace(b.entry.Text)
	if utf8.RuneCountInString(text) > NoteMaxRunes {
		b.problem.SetText(noteProblem(&NoteError{Kind: NoteTooLong}))
		b.show(b.key)
		return
	}
	b.saving = true
	b.save.Disable()
	key, base, store := b.key, b.base, c.opts.Notes
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), noteSaveTimeout)
		defer cancel()
		note, merged, err := store.Save(ctx, key, text, base)
		doOnUI(func() { b.saved(key, note, merged, err) })
	}()
}

// noteSaveTimeout bounds a save: the lock's wait and the write to a share.
const noteSaveTimeout = 20 * time.Second

func (b *noteBlock) saved(key string, note DeskNote, merged bool, err error) {
	c := b.console
	b.saving = false
	b.save.Enable()
	if err != nil {
		b.problem.SetText(noteProblem(err))
		b.show(b.shownFor)
		return
	}
	b.stopEdit()
	b.problem.SetText("")
	c.setNote(key, note)
	if merged {
		b.problem.SetText(lang.L("Another desk changed this note at the same time: both texts are kept. Tidy it up with Edit note."))
	}
	c.say(lang.L("Note saved"))
	b.show(b.shownFor)
}

// noteEntry is the note's editor: Esc cancels, Ctrl+S saves; every other
// key is the entry's own.
type noteEntry struct {
	widget.Entry
	block *noteBlock
}

func newNoteEntry(b *noteBlock) *noteEntry {
	e := &noteEntry{block: b}
	e.MultiLine = true
	e.ExtendBaseWidget(e)
	return e
}

var shortcutSaveNote = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}

func (e *noteEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		e.block.cancel()
		return
	}
	e.Entry.TypedKey(ev)
}

func (e *noteEntry) TypedShortcut(s fyne.Shortcut) {
	if s.ShortcutName() == shortcutSaveNote.ShortcutName() {
		e.block.commit()
		return
	}
	e.Entry.TypedShortcut(s)
}

// setNote puts a note just saved at this desk in the console's copy, the
// search and the row's mark.
func (c *Console) setNote(key string, note DeskNote) {
	notes := maps.Clone(c.notes)
	if notes == nil {
		notes = map[string]DeskNote{}
	}
	if note.Text == "" {
		delete(notes, key)
	} else {
		notes[key] = note
	}
	c.notes = notes
	c.notesApplied()
}

// reloadNotes looks at the notes file again, once per refresh and never two
// looks at once, and shows what changed: a note made at another desk appears
// within one refresh.
func (c *Console) reloadNotes() {
	store := c.opts.Notes
	if store == nil || c.notesReloading {
		return
	}
	c.notesReloading = true
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), noteSaveTimeout)
		defer cancel()
		changed := store.Reload(ctx)
		notes, problem := store.Notes()
		doOnUI(func() {
			c.notesReloading = false
			if changed || !maps.EqualFunc(notes, c.notes, func(a, b DeskNote) bool { return a == b }) {
				c.notes, c.notesProblem = notes, problem
				c.notesApplied()
			}
		})
	}()
}

// notesApplied rebuilds what the notes show in: the search, the rows' marks
// and the details.
func (c *Console) notesApplied() {
	c.notesGen++
	c.shown = shown{}
	c.filter(false) // the marks and details now; the search when its index is built
	people := c.snap.People
	if c.waiting != nil {
		people = c.waiting.People
	}
	c.indexFor(people)
}

// hasNote reports whether the desk has a note on the person with key.
func (c *Console) hasNote(key string) bool {
	_, ok := c.notes[strings.ToLower(key)]
	return ok
}

// noteMark is the row's sign of a desk note: a page with a folded corner,
// in the text colour of the theme.
var noteMark = theme.NewThemedResource(fyne.NewStaticResource("note-mark.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="none" stroke="#000" stroke-width="2" stroke-linejoin="round" d="M5 3h10l4 4v14H5z M15 3v4h4 M8 11h8 M8 15h8"/></svg>`)))
