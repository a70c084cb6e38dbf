package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// newProcessGuard is the guard of one Frontdesk process: its own record
// handle (its own lock file descriptors) on the shared state folder and
// keyring, for the server spelt as that process's config spells it.
func newProcessGuard(t *testing.T, dir string, kr Keyring, server, password string) *RejectionGuard {
	t.Helper()
	g := newTestGuard(t, dir, kr, password)
	g.opts.Server = server
	return g
}

// While one process waits for the server's verdict on a password, another
// sends nothing: it waits for the lock, and once the verdict is recorded it
// reads a rejection (nothing sent) or, after an acceptance, may send.
func TestSecondProcessWaitsForTheVerdict(t *testing.T) {
	tests := []struct {
		name     string
		rejected bool
	}{
		{"rejected", true},
		{"accepted", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir, kr := t.TempDir(), newMemKeyring(0)
			const password = "Winter2026!stale"
			first := newProcessGuard(t, dir, kr, testServer, password)
			second := newProcessGuard(t, dir, kr, testServer, password)

			release, err := first.Admit(ctx, true)
			if err != nil {
				t.Fatalf("first process: %v", err)
			}
			// The first request is on the wire: the second process must
			// not be admitted, however long it waits within its deadline.
			waitCtx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			_, err = second.Admit(waitCtx, true)
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("second process while the first waits for the server: %v, want it to wait (deadline exceeded)", err)
			}

			if tt.rejected {
				_ = first.Rejected(ctx, errServer401)
			} else {
				first.Accepted(ctx)
			}
			release()

			releaseSecond, err := second.Admit(ctx, true)
			if tt.rejected {
				if _, ok := calendar.PasswordRejection(err); !ok {
					t.Fatalf("second process after the rejection: %v, want the recorded rejection", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("second process after the acceptance: %v, want it admitted", err)
			}
			releaseSecond()
		})
	}
}

// Five status runs and a watch started together with a stale password: one
// request, one failed logon, in all.
func TestConcurrentProcessesSendAStalePasswordOnce(t *testing.T) {
	ctx := context.Background()
	dir, kr := t.TempDir(), newMemKeyring(0)
	var (
		mu   sync.Mutex
		sent int
		wg   sync.WaitGroup
	)
	refused := make([]error, 6)
	for i := range refused {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := newProcessGuard(t, dir, kr, testServer, "Winter2026!stale")
			release, err := g.Admit(ctx, true)
			if err != nil {
				refused[i] = err
				return
			}
			defer release()
			mu.Lock()
			sent++
			mu.Unlock()
			_ = g.Rejected(ctx, errServer401)
		}()
	}
	wg.Wait()
	if sent != 1 {
		t.Errorf("%d processes sent the stale password, want 1", sent)
	}
	for i, err := range refused {
		if err != nil && calendar.KindOf(err) != calendar.KindAuth {
			t.Errorf("process %d: %v, want the rejection", i, err)
		}
	}
}

// failingWriter stands in for a full or read-only state folder.
type failingWriter struct {
	mu     sync.Mutex
	err    error
	writes int
}

func (w *failingWriter) write(path string, data []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	if w.err != nil {
		return &os.PathError{Op: "write", Path: path, Err: w.err}
	}
	return WriteFileAtomic(path, data)
}

// A state folder that cannot take the record: a password with no verdict on
// record is not sent at all (else every new process would send it once), and
// the operator reads which folder and why.
func TestUnwritableStateFolderSendsNothing(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		reason string
	}{
		{"disk full", syscall.ENOSPC, "(disk full)"},
		{"quota", syscall.EDQUOT, "(disk full)"},
		{"read-only", syscall.EROFS, "(the folder cannot be written)"},
		{"permission", syscall.EACCES, "(the folder cannot be written)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir, kr := t.TempDir(), newMemKeyring(0)
			g := newProcessGuard(t, dir, kr, testServer, "Winter2026!stale")
			w := &failingWriter{err: tt.err}
			g.opts.Rejections.writeFile = w.write
			_, err := g.Admit(ctx, true)
			var ce *calendar.Error
			if !errors.As(err, &ce) || ce.Code != "state_unwritable" || calendar.KindOf(err) != calendar.KindAuth {
				t.Fatalf("Admit: %v, want state_unwritable (nothing sent)", err)
			}
			if !strings.Contains(ce.Hint, tt.reason) || ce.HintArgs["Dir"] != dir {
				t.Errorf("hint %q with %v, want %s and the folder %s", ce.Hint, ce.HintArgs, tt.reason, dir)
			}
			if w.writes != 1 {
				t.Errorf("%d writes, want the one probe", w.writes)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".write-probe") {
					t.Errorf("the probe %s was left behind", e.Name())
				}
			}
		})
	}
}

// A rejection that cannot be recorded (the disk filled between the probe and
// the answer) stops this process sending the password, says so in words, and
// still reads as a rejected password (the window asks for a new one).
func TestRejectionThatCannotBeRecordedStopsThisProcess(t *testing.T) {
	ctx := context.Background()
	dir, kr := t.TempDir(), newMemKeyring(0)
	g := newProcessGuard(t, dir, kr, testServer, "Winter2026!stale")
	w := &failingWriter{}
	g.opts.Rejections.writeFile = w.write
	release, err := g.Admit(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	w.err = syscall.ENOSPC
	err = g.Rejected(ctx, errServer401)
	release()
	var ce *calendar.Error
	if !errors.As(err, &ce) || ce.Code != "state_unwritable" || !strings.Contains(ce.Hint, "(disk full): it will not try this password again") {
		t.Fatalf("Rejected: %v, want the unsaved-state sentence", err)
	}
	if _, ok := calendar.PasswordRejection(err); !ok {
		t.Error("the error no longer carries the password rejection")
	}
	for _, alone := range []bool{true, false} {
		if _, err := g.Admit(ctx, alone); err == nil {
			t.Errorf("Admit(alone=%v) after an unrecorded rejection let the password out", alone)
		}
	}
}

// Once the server accepted the password in this process, a lone request no
// longer writes a probe: the state folder is not written every cycle.
func TestAcceptedPasswordIsNotProbedEveryCycle(t *testing.T) {
	ctx := context.Background()
	dir, kr := t.TempDir(), newMemKeyring(0)
	g := newProcessGuard(t, dir, kr, testServer, "Winter2026!right")
	w := &failingWriter{}
	g.opts.Rejections.writeFile = w.write
	for range 3 {
		release, err := g.Admit(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		g.Accepted(ctx)
		release()
	}
	if w.writes != 1 {
		t.Errorf("%d writes for 3 accepted cycles, want 1 (the first probe)", w.writes)
	}
}

// Spellings of one server are one account: a password rejected under one is
// not sent under another; a record written before servers were normalised
// (lower-cased, trailing "/" trimmed) is read the same way.
func TestSpellingsOfOneServerShareTheRecord(t *testing.T) {
	const base = "https://mail.contoso.com/EWS/Exchange.asmx"
	spellings := []string{
		"https://mail.contoso.com/EWS/Exchange.asmx?",
		"https://mail.contoso.com//EWS/Exchange.asmx",
		"https://MAIL.contoso.com:443/EWS/Exchange.asmx",
		"https://mail.contoso.com/EWS/Exchange.asmx/.",
		"https://mail.contoso.com./ews/exchange.asmx/",
		"HTTPS://mail.contoso.com/EWS/./Exchange.asmx#top",
	}
	const password = "Winter2026!stale"
	t.Run("recorded under the plain URL", func(t *testing.T) {
		ctx := context.Background()
		dir, kr := t.TempDir(), newMemKeyring(0)
		_ = newProcessGuard(t, dir, kr, base, password).Rejected(ctx, errServer401)
		for _, s := range spellings {
			release, err := newProcessGuard(t, dir, kr, s, password).Admit(ctx, true)
			release()
			if calendar.KindOf(err) != calendar.KindAuth {
				t.Errorf("%s: %v, want the rejection of %s", s, err, base)
			}
		}
	})
	t.Run("an older record", func(t *testing.T) {
		ctx := context.Background()
		dir, kr := t.TempDir(), newMemKeyring(0)
		r := NewRejections(dir, kr)
		legacy := strings.ToLower(spellings[2]) // the key as older versions wrote it
		fp, err := r.fingerprint(ctx, legacy, testUser, Secret(password), true)
		if err != nil {
			t.Fatal(err)
		}
		doc := fmt.Sprintf(`{"version":1,"rejections":[{"server":%q,"user":%q,"fingerprint":%q,"at":"2026-11-30T09:02:00Z"}]}`,
			legacy, strings.ToLower(testUser), fp)
		if err := os.WriteFile(filepath.Join(dir, RejectionsFile), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, s := range append(spellings, base) {
			release, err := newProcessGuard(t, dir, kr, s, password).Admit(ctx, true)
			release()
			if calendar.KindOf(err) != calendar.KindAuth {
				t.Errorf("%s: %v, want the older record's rejection", s, err)
			}
		}
		release, err := newProcessGuard(t, dir, kr, base, "Winter2026!new").Admit(ctx, true)
		release()
		if err != nil {
			t.Errorf("another password against the older record: %v, want it admitted", err)
		}
	})
}

func TestServerKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://mail.contoso.com/EWS/Exchange.asmx", "https://mail.contoso.com/ews/exchange.asmx"},
		{"https://mail.contoso.com:443/EWS/Exchange.asmx?", "https://mail.contoso.com/ews/exchange.asmx"},
		{"http://mail.contoso.com:80/EWS/Exchange.asmx", "http://mail.contoso.com/ews/exchange.asmx"},
		{"https://mail.contoso.com:8443/EWS/Exchange.asmx", "https://mail.contoso.com:8443/ews/exchange.asmx"},
		{"http://mail.contoso.com:443/EWS/Exchange.asmx", "http://mail.contoso.com:443/ews/exchange.asmx"},
		{"https://127.0.0.1:4443//EWS/Exchange.asmx/.", "https://localhost:4443/ews/exchange.asmx"},
		{"https://localhost:4443/EWS/Exchange.asmx", "https://localhost:4443/ews/exchange.asmx"},
		{"https://[::1]:4443/EWS/Exchange.asmx", "https://localhost:4443/ews/exchange.asmx"},
		{"https://[2001:db8::1]/EWS/Exchange.asmx", "https://[2001:db8::1]/ews/exchange.asmx"},
		{"https://mail.contoso.com/EWS/Exchange.asmx?x=1", "https://mail.contoso.com/ews/exchange.asmx?x=1"},
		{"https://graph.microsoft.com", "https://graph.microsoft.com"},
		{" not a url/ ", "not a url"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ServerKey(tt.in); got != tt.want {
				t.Errorf("ServerKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
