package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// With Basic authentication every request carries the password, and every
// rejected one is a failed logon on the Active Directory account. A console
// restarted by the operator, or a status run every minute from a scheduler,
// would each send the stale password once more and lock the account within
// minutes. So the rejection is remembered on disk, across processes, and the
// same password is never sent again until the operator enters one.
//
// What is remembered is a keyed fingerprint (HMAC-SHA256 with a random key
// kept in the keyring), never the password or an unkeyed hash of it: the file
// sits in the state folder, where an unkeyed hash of a password would be
// open to an offline guess.

const (
	// RejectionsFile is the record's name in the state folder.
	RejectionsFile = "ews-rejections.json"
	// rejectionKeyName is the keyring item holding the fingerprint key.
	rejectionKeyName = "ews-rejection-key"
	// rejectionsLockTimeout bounds waiting for another process's update.
	rejectionsLockTimeout = 5 * time.Second
)

type rejectionRecord struct {
	Server string `json:"server"`
	User   string `json:"user"`
	// Fingerprint is base64 HMAC-SHA256 of the credential; empty when the
	// keyring could not be used when the server rejected it.
	Fingerprint string    `json:"fingerprint,omitempty"`
	At          time.Time `json:"at"`
}

type rejectionsDoc struct {
	Version    int               `json:"version"`
	Rejections []rejectionRecord `json:"rejections"`
}

// Rejections is the record, in the state folder, of the EWS passwords the
// server rejected: one entry per server and user.
type Rejections struct {
	path    string
	keyring Keyring
	// writeFile is WriteFileAtomic; a test makes it fail as a full disk does.
	writeFile func(path string, data []byte) error
}

// NewRejections keeps the record in stateDir and its fingerprint key in kr
// (nil: the system keyring).
func NewRejections(stateDir string, kr Keyring) *Rejections {
	if kr == nil {
		kr = SystemKeyring{}
	}
	return &Rejections{path: filepath.Join(stateDir, RejectionsFile), keyring: kr, writeFile: WriteFileAtomic}
}

// Path is the record's file.
func (r *Rejections) Path() string { return r.path }

// Dir is the state folder the record is kept in.
func (r *Rejections) Dir() string { return filepath.Dir(r.path) }

// accountKey identifies an account across spellings of the same URL
// (ServerKey) and user name: IIS compares user names without regard to case.
func accountKey(server, user string) (string, string) {
	return ServerKey(server), strings.ToLower(strings.TrimSpace(user))
}

// lookup returns the rejection on record for the account, if any. A record
// written before servers were normalised (only lower-cased and trimmed of a
// trailing "/") is found all the same: its server is normalised on reading.
// Its Server stays as written, since its fingerprint was made over it.
func (r *Rejections) lookup(server, user string) (rejectionRecord, bool, error) {
	doc, err := r.read()
	if err != nil {
		return rejectionRecord{}, false, err
	}
	server, user = accountKey(server, user)
	for _, rec := range doc.Rejections {
		if recServer, recUser := accountKey(rec.Server, rec.User); recServer == server && recUser == user {
			return rec, true, nil
		}
	}
	return rejectionRecord{}, false, nil
}

func (r *Rejections) read() (rejectionsDoc, error) {
	data, err := os.ReadFile(r.path)
	if errors.Is(err, fs.ErrNotExist) {
		return rejectionsDoc{Version: 1}, nil
	}
	if err != nil {
		return rejectionsDoc{}, err
	}
	var doc rejectionsDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return rejectionsDoc{}, fmt.Errorf("%s is damaged: %w", r.path, err)
	}
	return doc, nil
}

// update applies change to the record under a file lock, so a console and a
// status run recording at the same moment do not lose each other's entry.
func (r *Rejections) update(ctx context.Context, change func(*rejectionsDoc)) error {
	if err := os.MkdirAll(filepath.Dir(r.path), 0o700); err != nil {
		return err
	}
	lock := flock.New(r.path + ".lock")
	ctx, cancel := context.WithTimeout(ctx, rejectionsLockTimeout)
	defer cancel()
	locked, err := lock.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !locked {
		return fmt.Errorf("lock %s: %v", lock.Path(), err)
	}
	defer lock.Unlock()
	doc, err := r.read()
	if err != nil {
		// A damaged record is replaced: clearing and recording are exactly
		// the operations that may start it afresh.
		doc = rejectionsDoc{}
	}
	doc.Version = 1
	change(&doc)
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return r.writeFile(r.path, append(data, '\n'))
}

// record remembers that the server rejected the credential with fingerprint
// fp (empty: unknown) at at.
func (r *Rejections) record(ctx context.Context, server, user, fp string, at time.Time) error {
	server, user = accountKey(server, user)
	return r.update(ctx, func(doc *rejectionsDoc) {
		doc.Rejections = withoutAccount(doc.Rejections, server, user)
		doc.Rejections = append(doc.Rejections, rejectionRecord{Server: server, User: user, Fingerprint: fp, At: at.UTC()})
	})
}

// Clear forgets the rejection on record for the account: the operator has
// entered a password, and it gets its one try.
func (r *Rejections) Clear(ctx context.Context, server, user string) error {
	if _, found, err := r.lookup(server, user); err == nil && !found {
		return nil
	}
	server, user = accountKey(server, user)
	return r.update(ctx, func(doc *rejectionsDoc) {
		doc.Rejections = withoutAccount(doc.Rejections, server, user)
	})
}

func withoutAccount(recs []rejectionRecord, server, user string) []rejectionRecord {
	out := recs[:0:0]
	for _, rec := range recs {
		if recServer, recUser := accountKey(rec.Server, rec.User); recServer != server || recUser != user {
			out = append(out, rec)
		}
	}
	return out
}

// fingerprint is HMAC-SHA256 over the account and the password, so the same
// password gives unrelated fingerprints for two accounts. create makes the
// key when the keyring has none (recording); checking never creates one.
// serverKey is taken as given: the record's own Server when checking (a
// record from before ServerKey was made over the older spelling), ServerKey
// when recording.
func (r *Rejections) fingerprint(ctx context.Context, serverKey, user string, password Secret, create bool) (string, error) {
	key, err := r.key(ctx, create)
	if err != nil {
		return "", err
	}
	server, user := serverKey, strings.ToLower(strings.TrimSpace(user))
	mac := hmac.New(sha256.New, key)
	for _, part := range []string{server, user, password.Reveal()} {
		// Length-prefixed, so no two different triples hash the same bytes.
		_ = binary.Write(mac, binary.BigEndian, uint32(len(part)))
		_, _ = io.WriteString(mac, part)
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

func (r *Rejections) key(ctx context.Context, create bool) ([]byte, error) {
	encoded, err := r.keyring.Get(ctx, KeyringService, rejectionKeyName)
	if err == nil {
		if key, decErr := base64.StdEncoding.DecodeString(encoded); decErr == nil && len(key) == 32 {
			return key, nil
		}
		// A damaged key is as good as none: no fingerprint made with it can
		// be checked anyway.
		err = ErrNotFound
	}
	if !errors.Is(err, ErrNotFound) || !create {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := r.keyring.Set(ctx, KeyringService, rejectionKeyName, base64.StdEncoding.EncodeToString(key)); err != nil {
		return nil, err
	}
	return key, nil
}

// GuardOptions configure a RejectionGuard for one account and password.
type GuardOptions struct {
	Rejections *Rejections
	// Server is the EWS URL, User the account name.
	Server, User string
	Password     Secret
	// Location is the operator's zone, for the time the operator reads.
	Location *time.Location
	// Now is time.Now unless a test says otherwise.
	Now    func() time.Time
	Logger *slog.Logger
	// Typed says the operator has just typed Password (the welcome page's
	// Connect, the window's password prompt). A record that cannot be
	// compared with it, made while the keyring was unavailable or under a
	// fingerprint key since lost, then does not hold it back while the
	// keyring works: if the server rejects it too, the rejection is recorded
	// with a fingerprint and the same password is not sent again. The same
	// password rejected before is refused all the same.
	Typed bool
}

// RejectionGuard stands between one EWS client and the server: a password
// the server rejected, in this process or any earlier one, is not sent again.
// It implements ews.CredentialGuard.
type RejectionGuard struct {
	opts GuardOptions

	mu sync.Mutex
	// rejected is set once the server rejected this password here: from then
	// on nothing is sent and the record is not read again.
	rejected error
	// replacing: a rejection of another password is on record; the first
	// answer that accepts this one clears it.
	replacing bool
	// accepted: the server took this password in this process, so Admit
	// no longer proves the state folder writable before each lone request.
	accepted bool
}

// NewRejectionGuard returns the guard for one account and password.
func NewRejectionGuard(o GuardOptions) *RejectionGuard {
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &RejectionGuard{opts: o}
}

const guardOp = "ews.signin"

// Check returns nil when the password may be sent. Otherwise it returns a
// KindAuth error carrying a *calendar.PasswordRejectedError: the same password
// was rejected before, or one was and this one cannot be compared with it.
func (g *RejectionGuard) Check(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.rejected != nil {
		return g.rejected
	}
	o := g.opts
	rec, found, err := o.Rejections.lookup(o.Server, o.User)
	if err != nil {
		// Fail safe: a record that cannot be read may hold this password.
		return &calendar.Error{Kind: calendar.KindAuth, Op: guardOp, Code: "rejections_unreadable",
			Hint: "Frontdesk cannot read its record of rejected passwords, so it sent nothing. Enter the password again: frontdesk ews-password", Err: err}
	}
	if !found {
		return nil
	}
	rejection := &calendar.PasswordRejectedError{At: rec.At.In(o.Location), Server: o.Server, User: o.User}
	if rec.Fingerprint == "" {
		if o.Typed && g.keyringWorks(ctx) {
			g.replacing = true
			return nil
		}
		rejection.Unchecked = true
		rejection.Err = errors.New("the rejection was recorded while the keyring was unavailable")
		return calendar.NewPasswordRejected(guardOp, rejection)
	}
	fp, err := o.Rejections.fingerprint(ctx, rec.Server, o.User, o.Password, false)
	if err != nil && o.Typed && errors.Is(err, ErrNotFound) {
		// The key is gone, so no password can be compared; the keyring
		// itself answers, so a rejection of this one would be recorded
		// under a new key.
		g.replacing = true
		return nil
	}
	if err != nil {
		rejection.Unchecked = true
		rejection.Err = err
		if errors.Is(err, ErrNotFound) {
			rejection.Err = errors.New("the fingerprint key is no longer in the keyring")
		}
		return calendar.NewPasswordRejected(guardOp, rejection)
	}
	if hmac.Equal([]byte(fp), []byte(rec.Fingerprint)) {
		g.rejected = calendar.NewPasswordRejected(guardOp, rejection)
		return g.rejected
	}
	// Another password was rejected; this one gets its try.
	g.replacing = true
	return nil
}

// keyringWorks reports whether the fingerprint key can be read or made now:
// the keyring answers, with the key or with "not found".
func (g *RejectionGuard) keyringWorks(ctx context.Context) bool {
	_, err := g.opts.Rejections.key(ctx, false)
	return err == nil || errors.Is(err, ErrNotFound)
}

// Rejected records the server's rejection of the password (cause is its
// answer) and returns the error to report instead. When the record cannot be
// written, this process sends the password no more all the same, and the
// error says that the state folder is the problem.
func (g *RejectionGuard) Rejected(ctx context.Context, cause error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	o := g.opts
	at := o.Now()
	fp, err := o.Rejections.fingerprint(ctx, ServerKey(o.Server), o.User, o.Password, true)
	if err != nil {
		// Recorded without a fingerprint: no later process can tell this
		// password from another, so none is sent until the operator acts.
		o.Logger.Warn("ews: keyring unavailable, the rejection is recorded without a fingerprint", "user", o.User, "err", err)
	}
	g.replacing = false
	g.rejected = calendar.NewPasswordRejected(guardOp, &calendar.PasswordRejectedError{
		At: at.In(o.Location), Server: o.Server, User: o.User, Err: cause})
	if err := o.Rejections.record(ctx, o.Server, o.User, fp, at); err != nil {
		o.Logger.Error("ews: cannot record the rejected password; this process sends it no more", "file", o.Rejections.Path(), "err", err)
		g.rejected = unsavedRejection(o.Rejections.Dir(), err, g.rejected)
	}
	return g.rejected
}

// Accepted is told that the server took the password: a rejection of an
// earlier one on record is cleared.
func (g *RejectionGuard) Accepted(ctx context.Context) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.accepted = true
	if !g.replacing {
		return
	}
	g.replacing = false
	if err := g.opts.Rejections.Clear(ctx, g.opts.Server, g.opts.User); err != nil {
		g.opts.Logger.Warn("ews: cannot clear the record of the earlier rejected password", "file", g.opts.Rejections.Path(), "err", err)
	}
}
