package app

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/frontdesk-app/frontdesk/ui"
)

func notesAt(t *testing.T, path, author string) *NotesStore {
	t.Helper()
	return NewNotesStore(path, author, time.Now)
}

func noteKind(err error) ui.NoteErrorKind {
	var ne *ui.NoteError
	if errors.As(err, &ne) {
		return ne.Kind
	}
	return 0
}

func TestNotesSaveMerge(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		// first is saved at desk A, then desk B saves second from the base it read before A's save.
		before, first, second string
		wantMerged            bool
		want                  []string // substrings of the final note, in order
		wantGone              bool
	}{
		{"two desks, two colleagues' notes", "", "", "", false, nil, true},
		{"edited at both desks", "no calls before 10", "no calls before 11", "ask for Maria instead", true,
			[]string{"Edited at two desks at once; both kept:", "no calls before 11", "ask for Maria instead"}, false},
		{"both new at once", "", "prefers mobile", "ask for Maria", true,
			[]string{"Edited at two desks at once; both kept:", "prefers mobile", "ask for Maria"}, false},
		{"the same words at both", "x", "prefers mobile", "prefers mobile", false, []string{"prefers mobile"}, false},
		{"removed here, changed there", "x", "changed there", "", true, []string{"changed there"}, false},
		{"changed here, removed there", "x", "", "changed here", false, []string{"changed here"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "notes.json")
			a, b := notesAt(t, path, "DESK-A"), notesAt(t, path, "DESK-B")
			if tc.name == "two desks, two colleagues' notes" {
				// Each desk writes what is in the file, not what it read
				// earlier: the other desk's note stays.
				b.Reload(ctx)
				if _, _, err := a.Save(ctx, "ann@x", "ask for Maria", ""); err != nil {
					t.Fatal(err)
				}
				if _, _, err := b.Save(ctx, "bob@x", "no calls before 10", ""); err != nil {
					t.Fatal(err)
				}
				c := notesAt(t, path, "DESK-C")
				c.Reload(ctx)
				notes, _ := c.Notes()
				if notes["ann@x"].Text != "ask for Maria" || notes["bob@x"].Text != "no calls before 10" {
					t.Fatalf("notes %+v", notes)
				}
				return
			}
			base := ""
			if tc.before != "" {
				n, _, err := a.Save(ctx, "Ann@X", tc.before, "")
				if err != nil {
					t.Fatal(err)
				}
				base = n.Version
			}
			b.Reload(ctx)
			if notes, _ := b.Notes(); notes["ann@x"].Version != base {
				t.Fatalf("desk B read version %q, want %q", notes["ann@x"].Version, base)
			}
			if _, merged, err := a.Save(ctx, "ann@x", tc.first, base); err != nil || merged {
				t.Fatalf("first save: merged %v, %v", merged, err)
			}
			note, merged, err := b.Save(ctx, "ann@x", tc.second, base)
			if err != nil {
				t.Fatal(err)
			}
			if merged != tc.wantMerged {
				t.Errorf("merged = %v, want %v", merged, tc.wantMerged)
			}
			fresh := notesAt(t, path, "DESK-C")
			fresh.Reload(ctx)
			notes, _ := fresh.Notes()
			got := notes["ann@x"]
			if got.Text != note.Text {
				t.Errorf("file has %q, the save answered %q", got.Text, note.Text)
			}
			rest := got.Text
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("note %q lacks %q (in order)", got.Text, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestNotesKeepAuthorAndTime(t *testing.T) {
	at := time.Date(2026, 12, 5, 9, 14, 0, 0, time.UTC)
	s := NewNotesStore(filepath.Join(t.TempDir(), "notes.json"), "DESK-1 (maria)", func() time.Time { return at })
	n, _, err := s.Save(context.Background(), "ann@x", "  prefers mobile \n", "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Text != "prefers mobile" || n.Author != "DESK-1 (maria)" || !n.At.Equal(at) || n.Version == "" {
		t.Errorf("note %+v", n)
	}
}

// Desks saving at once from goroutines, each its own store as each desk
// has: every colleague's note is in the file, and the texts written on one
// colleague from stale bases all survive.
func TestNotesConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "notes.json")
	const desks = 8
	var wg sync.WaitGroup
	errs := make(chan error, 2*desks)
	for i := range desks {
		wg.Go(func() {
			s := notesAt(t, path, fmt.Sprintf("DESK-%d", i))
			if _, _, err := s.Save(ctx, fmt.Sprintf("p%d@x", i), fmt.Sprintf("own note %d", i), ""); err != nil {
				errs <- err
			}
			if _, _, err := s.Save(ctx, "shared@x", fmt.Sprintf("shared text %d", i), ""); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := notesAt(t, path, "READER")
	s.Reload(ctx)
	notes, problem := s.Notes()
	if problem != nil {
		t.Fatal(problem)
	}
	for i := range desks {
		if notes[fmt.Sprintf("p%d@x", i)].Text != fmt.Sprintf("own note %d", i) {
			t.Errorf("desk %d's own note lost: %+v", i, notes[fmt.Sprintf("p%d@x", i)])
		}
		if !strings.Contains(notes["shared@x"].Text, fmt.Sprintf("shared text %d", i)) {
			t.Errorf("desk %d's text on the shared colleague lost: %q", i, notes["shared@x"].Text)
		}
	}
}

// notesWriterEnv makes the test binary a second desk (see TestMain).
const notesWriterEnv = "FRONTDESK_TEST_NOTES_WRITER"

// runNotesWriter is the other process of TestNotesTwoProcesses: it saves
// notes in the file spec names ("path|desk") and reports how it went.
func runNotesWriter(spec string) int {
	path, desk, _ := strings.Cut(spec, "|")
	s := NewNotesStore(path, desk, time.Now)
	for i := range 20 {
		if _, _, err := s.Save(context.Background(), fmt.Sprintf("%s-%d@x", desk, i), "note from "+desk, ""); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, _, err := s.Save(context.Background(), "shared@x", fmt.Sprintf("%s says %d", desk, i), ""); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

func TestNotesTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.json")
	var procs []*exec.Cmd
	var outs []*bytes.Buffer
	for _, desk := range []string{"DESK-A", "DESK-B"} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), notesWriterEnv+"="+path+"|"+desk)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs, outs = append(procs, cmd), append(outs, &out)
	}
	for i, cmd := range procs {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("writer %d: %v\n%s", i, err, outs[i])
		}
	}
	s := notesAt(t, path, "READER")
	s.Reload(context.Background())
	notes, problem := s.Notes()
	if problem != nil {
		t.Fatal(problem)
	}
	for _, desk := range []string{"DESK-A", "DESK-B"} {
		for i := range 20 {
			key := strings.ToLower(fmt.Sprintf("%s-%d@x", desk, i))
			if notes[key].Text != "note from "+desk {
				t.Errorf("%s lost: %+v", key, notes[key])
			}
			if !strings.Contains(notes["shared@x"].Text, fmt.Sprintf("%s says %d", desk, i)) {
				t.Errorf("%s's text %d on the shared colleague lost", desk, i)
			}
		}
	}
}

// A garbled file keeps the last good notes in memory, says so, and is not
// written over by a save; once fixed, saving works again.
func TestNotesGarbledFileLosesNothing(t *testing.T) {
	ctx := context.Background()
	for _, garbage := range []string{"{\"format\":1,\"notes\":{\"ann@x\":", "not json at all", `{"format":2,"notes":{}}`} {
		t.Run(garbage[:8], func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "notes.json")
			s := notesAt(t, path, "DESK-A")
			if _, _, err := s.Save(ctx, "ann@x", "prefers mobile", ""); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(garbage), 0o600); err != nil {
				t.Fatal(err)
			}
			if !s.Reload(ctx) {
				t.Error("a garbled file is no change")
			}
			notes, problem := s.Notes()
			if noteKind(problem) != ui.NoteUnreadable {
				t.Errorf("problem %v, want unreadable", problem)
			}
			if notes["ann@x"].Text != "prefers mobile" {
				t.Errorf("the last good notes are gone: %+v", notes)
			}
			_, _, err := s.Save(ctx, "bob@x", "no calls before 10", "")
			if noteKind(err) != ui.NoteUnreadable {
				t.Errorf("save into a garbled file: %v", err)
			}
			if data, _ := os.ReadFile(path); string(data) != garbage {
				t.Errorf("the garbled file was written over: %q", data)
			}
			if s.Reload(ctx) {
				t.Error("the same garbled file again counts as a change")
			}
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Save(ctx, "bob@x", "no calls before 10", ""); err != nil {
				t.Errorf("save after the file was removed: %v", err)
			}
		})
	}
}

func TestNotesSizeCaps(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "notes.json")
	s := notesAt(t, path, "DESK-A")
	if _, _, err := s.Save(ctx, "ann@x", strings.Repeat("é", ui.NoteMaxRunes+1), ""); noteKind(err) != ui.NoteTooLong {
		t.Errorf("a note over the cap: %v", err)
	}
	if _, _, err := s.Save(ctx, "ann@x", strings.Repeat("é", ui.NoteMaxRunes), ""); err != nil {
		t.Errorf("a note at the cap: %v", err)
	}
	// A full file that parses: one more note takes it past the cap.
	note := storedNote{Text: strings.Repeat("a", ui.NoteMaxRunes), Author: "X"}
	big := notesFileData{Format: notesFormat, Notes: map[string]storedNote{"p0000@x": note}}
	one, _ := json.MarshalIndent(big, "", " ")
	big.Notes["p0001@x"] = note
	two, _ := json.MarshalIndent(big, "", " ")
	per := len(two) - len(one)
	for i := range (notesFileMax-len(one))/per + 1 {
		big.Notes[fmt.Sprintf("p%04d@x", i)] = note
	}
	raw, _ := json.MarshalIndent(big, "", " ")
	if len(raw) > notesFileMax || len(raw)+per <= notesFileMax {
		t.Fatalf("the full file is %d bytes", len(raw))
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if _, _, err := s.Save(ctx, "new@x", strings.Repeat("b", ui.NoteMaxRunes), ""); noteKind(err) != ui.NoteFileFull {
		t.Errorf("a note past the file's cap: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused save changed the file")
	}
}

// Another desk holding the lock past the wait: the save gives up with
// "busy" instead of hanging the editor.
func TestNotesLockTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.json")
	held := flock.New(path + ".lock")
	if ok, err := held.TryLock(); !ok || err != nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer held.Unlock()
	s := notesAt(t, path, "DESK-A")
	s.lockWait = 50 * time.Millisecond
	if _, _, err := s.Save(context.Background(), "ann@x", "prefers mobile", ""); noteKind(err) != ui.NoteBusy {
		t.Errorf("save under another desk's lock: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file was written without the lock: %v", err)
	}
	held.Unlock()
	if _, _, err := s.Save(context.Background(), "ann@x", "prefers mobile", ""); err != nil {
		t.Errorf("save once the lock is free: %v", err)
	}
}

// Reload reads only a file that changed: an unchanged one is one stat.
func TestNotesReloadOnlyOnChange(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "notes.json")
	a, b := notesAt(t, path, "DESK-A"), notesAt(t, path, "DESK-B")
	if b.Reload(ctx) {
		t.Error("no file, yet a change")
	}
	if _, _, err := a.Save(ctx, "ann@x", "prefers mobile", ""); err != nil {
		t.Fatal(err)
	}
	if !b.Reload(ctx) {
		t.Error("another desk's save is no change")
	}
	if b.Reload(ctx) {
		t.Error("the same file twice is a change")
	}
	if a.Reload(ctx) {
		t.Error("a desk's own save read back as a change")
	}
	if notes, _ := b.Notes(); notes["ann@x"].Text != "prefers mobile" {
		t.Errorf("desk B has %+v", notes)
	}
}

func TestNotesPath(t *testing.T) {
	p := testPaths(t)
	if got := notesPath(p, DefaultConfig()); got != filepath.Join(p.StateDir, "desk-notes.json") {
		t.Errorf("default %q", got)
	}
	cfg := DefaultConfig()
	cfg.NotesFile = "/srv/frontdesk/notes.json"
	if got := notesPath(p, cfg); got != cfg.NotesFile {
		t.Errorf("notes_file %q", got)
	}
	// The admin's notes_file wins over the operator's and is locked.
	write(t, p.ConfigFile, "provider = \"demo\"\nnotes_file = \"/home/op/notes.json\"\n")
	write(t, p.PolicyFile, "notes_file = \"/srv/frontdesk/notes.json\"\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := notesPath(p, l.Config); got != "/srv/frontdesk/notes.json" || !l.IsLocked("notes_file") {
		t.Errorf("with a policy: %q, locked %v", got, l.IsLocked("notes_file"))
	}
	cfg.Provider = ProviderDemo
	cfg.NotesFile = "notes.json"
	var ce *ConfigError
	if err := cfg.Validate(); !errors.As(err, &ce) || ce.Key != "notes_file" {
		t.Errorf("a relative notes_file: %v", err)
	}
}

// A note's words are in neither the diagnostics bundle nor the log, wherever
// the file is: the state folder (which is the log folder on Linux) or a
// shared notes_file.
func TestNotesNeverInTheBundle(t *testing.T) {
	const planted = "Zanzibarquetzal"
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			p := testPaths(t)
			p.LogDir = p.StateDir
			cfg := DefaultConfig()
			cfg.Provider = ProviderDemo
			if shared {
				cfg.NotesFile = filepath.Join(t.TempDir(), "share", "frontdesk-notes.json")
				write(t, p.ConfigFile, fmt.Sprintf("provider = \"demo\"\nnotes_file = %q\n", cfg.NotesFile))
			}
			lg, err := OpenLog(p.LogDir, slog.LevelDebug)
			if err != nil {
				t.Fatal(err)
			}
			defer lg.Close()
			env := &Env{Stdout: io.Discard, Stderr: io.Discard, Paths: p, Now: time.Now, Getenv: func(string) string { return "" }, Logger: lg.Logger}
			s := NewNotesStore(notesPath(p, cfg), "DESK-A", time.Now)
			s.logger = lg.Logger
			if _, _, err := s.Save(context.Background(), "ann@x", "ask for "+planted, ""); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.Path(), []byte("garbled "+planted), 0o600); err != nil {
				t.Fatal(err)
			}
			s.Reload(context.Background())
			path, err := env.WriteBundle(context.Background(), BundleInput{Config: &cfg})
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.OpenReader(path)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			logged := false
			for _, f := range zr.File {
				rc, _ := f.Open()
				data, _ := io.ReadAll(rc)
				rc.Close()
				if strings.Contains(string(data), planted) {
					t.Errorf("the note's words are in the bundle's %s", f.Name)
				}
				logged = logged || strings.Contains(string(data), "desk notes")
			}
			if !logged {
				t.Error("the bundle's log has no line about the notes file: the test proves nothing about the log")
			}
			logs, _ := filepath.Glob(filepath.Join(p.LogDir, "frontdesk*.log"))
			for _, l := range logs {
				if data, _ := os.ReadFile(l); strings.Contains(string(data), planted) {
					t.Errorf("the note's words are in the log %s", l)
				}
			}
		})
	}
}

// The doctor says whether the notes file reads, and never quotes it.
func TestDoctorChecksTheDeskNotes(t *testing.T) {
	const planted = "Zanzibarquetzal"
	useAuthTestKeyring(t)
	p := testPaths(t)
	writeDoctorConfig(t, p, "https://127.0.0.1:1/EWS/Exchange.asmx", "")
	path := notesPath(p, DefaultConfig())
	if _, _, err := NewNotesStore(path, "DESK-A", time.Now).Save(context.Background(), "ann@x", "ask for "+planted, ""); err != nil {
		t.Fatal(err)
	}
	report, checks := runDoctor(t, p, nil)
	if c := checks["desk notes"]; c.Status != CheckOK || !strings.Contains(c.Detail, path+": 1 notes") {
		t.Errorf("desk notes: %s %q", c.Status, c.Detail)
	}
	if err := os.WriteFile(path, []byte(`{"format":1,"notes":{"ann@x":{"text":"`+planted), 0o600); err != nil {
		t.Fatal(err)
	}
	report2, checks := runDoctor(t, p, nil)
	if c := checks["desk notes"]; c.Status != CheckWarn || !strings.Contains(c.Action, "never writes over") {
		t.Errorf("a garbled notes file: %s %q (%s)", c.Status, c.Detail, c.Action)
	}
	for _, r := range []*DoctorReport{report, report2} {
		if strings.Contains(r.Text(), planted) || strings.Contains(string(r.JSON()), planted) {
			t.Error("the doctor's report quotes a note")
		}
	}
}
