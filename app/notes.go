package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/app/linefile"
	"github.com/frontdesk-app/frontdesk/calendar/atomicfile"
	"github.com/frontdesk-app/frontdesk/ui"
)

// The desk's notes live in one JSON file: in the state folder by default, or
// where the policy's notes_file says (a shared folder, so every receptionist
// reads the same notes). Every desk writes it the same way: under the lock
// file next to it, it reads the file as it is now, changes its own colleague's
// note only and replaces the file whole (temporary file, fsync, rename). A desk
// never writes what it has in memory, so other desks' notes on other
// colleagues are kept, and a note another desk changed since it was read is
// merged: both texts stay, under a line that says so.

// notesFileName is the notes file in the state folder when the policy names none.
const notesFileName = "desk-notes.json"

const (
	// notesFormat is the file's layout; a file of another is not written over.
	notesFormat = 1
	// notesFileMax caps the file: about 4,000 notes of 1,000 characters.
	notesFileMax = 4 << 20
	// notesLockWait bounds the wait for another desk's save: a write of a
	// few KB to a share, with room to spare.
	notesLockWait = 5 * time.Second
)

type notesFileData struct {
	Format int                   `json:"format"`
	Notes  map[string]storedNote `json:"notes"`
	// sum names the bytes read, for the log: which version of the file a
	// desk has, without a word of it.
	sum string
}

type storedNote struct {
	Text   string    `json:"text"`
	Author string    `json:"author"`
	At     time.Time `json:"at"`
}

// version names a note's text, author and time: what a save says it edited.
func (n storedNote) version() string {
	sum := sha256.Sum256([]byte(n.Text + "\x00" + n.Author + "\x00" + n.At.UTC().Format(time.RFC3339Nano)))
	return hex.EncodeToString(sum[:8])
}

func (n storedNote) deskNote() ui.DeskNote {
	return ui.DeskNote{Text: n.Text, Author: n.Author, At: n.At, Version: n.version()}
}

// NotesStore is the desk's notes: the file's last good reading in memory and
// the locked read-modify-write that saves one note.
type NotesStore struct {
	path     string
	author   string
	now      func() time.Time
	lockWait time.Duration
	// logger hears when the file was read or refused: never a note's words.
	logger *slog.Logger

	mu      sync.Mutex
	notes   map[string]ui.DeskNote // replaced whole, never changed in place
	seen    os.FileInfo            // the file as last read; nil: not read or absent
	problem error                  // why the file could not be read at the last look
}

// NewNotesStore keeps notes in path, signed by author.
func NewNotesStore(path, author string, now func() time.Time) *NotesStore {
	if now == nil {
		now = time.Now
	}
	return &NotesStore{path: path, author: author, now: now, lockWait: notesLockWait, notes: map[string]ui.DeskNote{}, logger: discardLogger()}
}

// notesPath is where the desk's notes are kept: notes_file, else the state folder.
func notesPath(p Paths, cfg Config) string {
	if cfg.NotesFile != "" {
		return cfg.NotesFile
	}
	return filepath.Join(p.StateDir, notesFileName)
}

// deskAuthor signs a note: the PC's name and the operator's account, which
// tell desks apart on a shared file.
func deskAuthor() string {
	host, _ := os.Hostname()
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
		if i := strings.LastIndexAny(name, `\`); i >= 0 {
			name = name[i+1:]
		}
	}
	switch {
	case host != "" && name != "":
		return host + " (" + name + ")"
	case host != "":
		return host
	}
	return name
}

// Path is the notes file.
func (s *NotesStore) Path() string { return s.path }

// Notes are the notes as last read and the problem of the last look.
func (s *NotesStore) Notes() (map[string]ui.DeskNote, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notes, s.problem
}

// Reload reads the file when it is another file, or has another size or
// time, than at the last look: a stat per refresh, no more. A file that
// cannot be read keeps the last good notes in memory.
func (s *NotesStore) Reload(ctx context.Context) bool {
	info, err := os.Stat(s.path)
	s.mu.Lock()
	seen, problem := s.seen, s.problem
	s.mu.Unlock()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if seen == nil && problem == nil {
			return false
		}
		// Removed (an admin starting over): nothing to show.
		s.mu.Lock()
		defer s.mu.Unlock()
		s.notes, s.seen, s.problem = map[string]ui.DeskNote{}, nil, nil
		return true
	case err != nil:
		return s.setProblem(&ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: err})
	case seen != nil && os.SameFile(seen, info) && seen.Size() == info.Size() && seen.ModTime().Equal(info.ModTime()):
		return false
	}
	data, info, err := s.read()
	if err != nil {
		return s.setProblem(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen != seen {
		return true // a save here adopted a newer file meanwhile: it stands
	}
	s.logger.Info("desk notes read", "file", s.path, "notes", len(data.Notes), "file_sum", data.sum)
	s.notes, s.seen, s.problem = deskNotes(data), info, nil
	return true
}

// setProblem records why the file cannot be read, logged once per kind of
// problem; the parser's words are left out, since they may quote a note.
func (s *NotesStore) setProblem(err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := s.problem == nil || s.problem.Error() != err.Error()
	if changed {
		s.logger.Warn("desk notes file cannot be read; the last good notes stay on screen and saving waits", "file", s.path)
	}
	s.problem = err
	return changed
}

// SetLogger sets where the store says what it read or refused.
func (s *NotesStore) SetLogger(l *slog.Logger) { s.logger = l }

// read reads and checks the file; an absent one is empty.
func (s *NotesStore) read() (notesFileData, os.FileInfo, error) {
	empty := notesFileData{Format: notesFormat, Notes: map[string]storedNote{}}
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil, nil
	}
	if err != nil {
		return empty, nil, &ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: err}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return empty, nil, &ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: err}
	}
	if !info.Mode().IsRegular() {
		return empty, nil, &ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: errors.New("not a regular file")}
	}
	raw, err := io.ReadAll(io.LimitReader(f, notesFileMax+1))
	if err != nil {
		return empty, nil, &ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: err}
	}
	if len(raw) > notesFileMax {
		return empty, nil, &ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: fmt.Errorf("over %d bytes", notesFileMax)}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return empty, info, nil
	}
	var data notesFileData
	sum := sha256.Sum256(raw)
	data.sum = hex.EncodeToString(sum[:8])
	if err := json.Unmarshal(raw, &data); err != nil {
		return empty, nil, &ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: err}
	}
	if data.Format != notesFormat {
		return empty, nil, &ui.NoteError{Kind: ui.NoteUnreadable, File: s.path, Err: fmt.Errorf("format %d, not %d", data.Format, notesFormat)}
	}
	if data.Notes == nil {
		data.Notes = map[string]storedNote{}
	}
	return data, info, nil
}

func deskNotes(data notesFileData) map[string]ui.DeskNote {
	out := make(map[string]ui.DeskNote, len(data.Notes))
	for k, n := range data.Notes {
		if n.Text != "" {
			out[strings.ToLower(k)] = n.deskNote()
		}
	}
	return out
}

// conflictLine heads a note two desks edited at once.
func conflictLine() string { return lang.L("Edited at two desks at once; both kept:") }

// Save keeps text as key's note, under the lock, in the file as it is now.
// When the note there is no longer the version base the operator edited,
// another desk changed it meanwhile: both texts are kept. A file that
// cannot be read is never written over: it may hold another desk's notes,
// or a newer Frontdesk's, that this one cannot see; the operator is told,
// and the text stays in the editor.
func (s *NotesStore) Save(ctx context.Context, key, text, base string) (ui.DeskNote, bool, error) {
	key = strings.ToLower(key)
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > ui.NoteMaxRunes {
		return ui.DeskNote{}, false, &ui.NoteError{Kind: ui.NoteTooLong, File: s.path}
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return ui.DeskNote{}, false, err
	}
	defer unlock()
	data, _, err := s.read()
	if err != nil {
		s.setProblem(err)
		return ui.DeskNote{}, false, err
	}
	current, had := data.Notes[key]
	currentVersion := ""
	if had {
		currentVersion = current.version()
	}
	merged := false
	switch {
	case currentVersion == base:
	case current.Text == text:
		return current.deskNote(), false, nil // the same words from two desks
	case current.Text != "" && text != "":
		text = conflictLine() + "\n" + current.Text + "\n—\n" + text
		merged = true
	case current.Text != "":
		// Removed here, changed there: the change is kept.
		return current.deskNote(), true, s.adopt(data)
	}
	note := storedNote{Text: text, Author: s.author, At: s.now().UTC()}
	if text == "" {
		delete(data.Notes, key)
	} else {
		data.Notes[key] = note
	}
	data.Format = notesFormat
	raw, err := json.MarshalIndent(data, "", " ")
	if err != nil {
		return ui.DeskNote{}, false, err
	}
	if len(raw) > notesFileMax {
		return ui.DeskNote{}, false, &ui.NoteError{Kind: ui.NoteFileFull, File: s.path}
	}
	if err := atomicfile.Write(s.path, raw, atomicfile.Options{Perm: s.mode(), PermBestEffort: true}); err != nil {
		return ui.DeskNote{}, false, &ui.NoteError{Kind: ui.NoteUnwritable, File: s.path, Err: err}
	}
	s.logger.Info("desk note saved", "file", s.path, "merged", merged)
	if err := s.adopt(data); err != nil {
		return ui.DeskNote{}, false, err
	}
	if text == "" {
		return ui.DeskNote{}, merged, nil
	}
	return note.deskNote(), merged, nil
}

// adopt makes data, just read or written under the lock, the notes in memory.
func (s *NotesStore) adopt(data notesFileData) error {
	info, _ := os.Stat(s.path)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes, s.seen, s.problem = deskNotes(data), info, nil
	return nil
}

// mode keeps the file's permissions as an admin set them on a share; a new
// file is the operator's own.
func (s *NotesStore) mode() os.FileMode {
	if info, err := os.Stat(s.path); err == nil {
		return info.Mode().Perm()
	}
	return 0o600
}

// lock takes the lock file next to the notes file, waiting at most
// lockWait (and never past ctx): a desk whose share hangs gets an answer.
func (s *NotesStore) lock(ctx context.Context) (func(), error) {
	waitCtx, cancel := context.WithTimeout(ctx, s.lockWait)
	defer cancel()
	unlock, err := linefile.Lock(waitCtx, s.path+".lock")
	switch {
	case err == nil:
		return unlock, nil
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return nil, &ui.NoteError{Kind: ui.NoteBusy, File: s.path, Err: err}
	}
	return nil, &ui.NoteError{Kind: ui.NoteUnwritable, File: s.path, Err: err}
}

// checkDeskNotes says whether the desk's notes file reads: how many notes and
// how full, never a word of them (the report goes into the bundle).
func (d *doctor) checkDeskNotes(ctx context.Context) {
	path := notesPath(d.env.Paths, d.loaded.Config)
	d.step(ctx, "desk notes", doctorLocalTimeout, func(context.Context) CheckResult {
		data, info, err := NewNotesStore(path, "", nil).read()
		switch {
		case err != nil:
			return CheckResult{Status: CheckWarn, Detail: path + " cannot be read",
				Action: "Fix or remove that file: Frontdesk never writes over a notes file it cannot read, so no desk can save a note until then."}
		case info == nil:
			return CheckResult{Status: CheckOK, Detail: path + ": no notes yet"}
		}
		return CheckResult{Status: CheckOK, Detail: fmt.Sprintf("%s: %d notes, %d KB of the %d MB allowed", path, len(data.Notes), (info.Size()+1023)/1024, notesFileMax>>20)}
	})
}
