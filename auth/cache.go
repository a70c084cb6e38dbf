package auth

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/gofrs/flock"

	"github.com/frontdesk-app/frontdesk/calendar"

	"github.com/frontdesk-app/frontdesk/calendar/atomicfile"
)

// Token cache storage.
//
// MSAL's serialized cache holds the refresh token, access tokens and ID tokens
// of every account: about 7.5 KB for one account. That does not fit one keyring
// item on Windows (2,560 bytes) or macOS (about 3,000), and splitting it into
// chunks would make every write several keyring round trips that can be torn
// half-way (a crash between chunks leaves a cache that decodes to garbage).
// So the cache lives in a file in the state directory, encrypted with
// AES-256-GCM, and only its random 32-byte key (44 bytes of base64) is kept in
// the keyring, which fits everywhere. The file is replaced atomically (temp
// file + rename) under a cross-process lock, so the console and a headless
// command never interleave writes. Without the keyring there is no key and no
// cache: there is deliberately no plaintext fallback.

const (
	cacheFileName = "msal-cache.bin"
	// cacheKeyName is the keyring item holding the file's encryption key.
	cacheKeyName = "msal-cache-key"
	// cacheAAD binds the ciphertext to its purpose and format version.
	cacheAAD = "frontdesk msal cache v1"
	// cacheLockTimeout bounds waiting for another Frontdesk process's write.
	cacheLockTimeout = 10 * time.Second
	// cacheDefaultTimeout applies when MSAL hands us a context without deadline
	// (the ExportReplace contract asks implementors for one).
	cacheDefaultTimeout = 30 * time.Second
)

// EncryptedCache is MSAL's cache.ExportReplace over an encrypted file whose
// key lives in the keyring.
//
// MSAL calls Replace before and Export after every token request. The decoded
// cache is kept in memory: Replace reads the file again only when it changed
// on disk (another process wrote it), and Export writes only when the bytes
// differ from what was last stored, so a silent request served from the cache
// touches neither the keyring nor the disk.
type EncryptedCache struct {
	path    string
	keyring Keyring

	mu sync.Mutex
	// key is the AES key once fetched from (or stored in) the keyring.
	key []byte
	// plain is the decoded cache as last read or written; nil when none.
	plain []byte
	// sum is the SHA-256 of plain, compared on Export.
	sum [32]byte
	// stamp identifies the file version plain came from (size and mtime).
	stamp fileStamp

	// fileWrites counts encrypted file writes (tests assert write-through-on-change).
	fileWrites int
}

type fileStamp struct {
	size    int64
	modTime time.Time
	exists  bool
}

// NewEncryptedCache stores the cache in stateDir, encrypted with a key from kr.
func NewEncryptedCache(stateDir string, kr Keyring) *EncryptedCache {
	return &EncryptedCache{path: filepath.Join(stateDir, cacheFileName), keyring: kr}
}

// Path is the encrypted cache file.
func (c *EncryptedCache) Path() string { return c.path }

func withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, cacheDefaultTimeout)
}

func statFile(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileStamp{}, nil
	}
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{size: fi.Size(), modTime: fi.ModTime(), exists: true}, nil
}

// Replace loads the stored cache into MSAL's in-memory cache.
func (c *EncryptedCache) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.refreshLocked(ctx); err != nil {
		return err
	}
	if c.plain == nil {
		return nil
	}
	return u.Unmarshal(c.plain)
}

// refreshLocked rereads the file if it changed since it was last read or written.
func (c *EncryptedCache) refreshLocked(ctx context.Context) error {
	stamp, err := statFile(c.path)
	if err != nil {
		return cacheFileError(err)
	}
	if stamp == c.stamp {
		return nil
	}
	if !stamp.exists {
		// Signed out elsewhere: forget what we had.
		c.plain, c.sum, c.stamp = nil, [32]byte{}, stamp
		return nil
	}
	sealed, err := os.ReadFile(c.path)
	if err != nil {
		return cacheFileError(err)
	}
	key, err := c.keyLocked(ctx, false)
	if errors.Is(err, ErrNotFound) {
		// The key is gone (keyring reset, signed out elsewhere): the file can
		// never be read again. Treat it as no cache; the next sign-in replaces it.
		c.plain, c.sum, c.stamp = nil, [32]byte{}, stamp
		return nil
	}
	if err != nil {
		return err
	}
	plain, err := open(key, sealed)
	if err != nil {
		// Tampered with or written under another key: unusable, not fatal.
		c.plain, c.sum, c.stamp = nil, [32]byte{}, stamp
		return nil
	}
	c.plain, c.sum, c.stamp = plain, sha256.Sum256(plain), stamp
	registerCacheSecrets(plain)
	return nil
}

// Export stores MSAL's cache when it differs from what is stored.
func (c *EncryptedCache) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plain != nil && sha256.Sum256(data) == c.sum {
		return nil
	}
	key, err := c.keyLocked(ctx, true)
	if err != nil {
		return err
	}
	sealed, err := seal(key, data)
	if err != nil {
		return err
	}
	if err := c.writeLocked(ctx, sealed); err != nil {
		return err
	}
	c.plain = bytes.Clone(data)
	c.sum = sha256.Sum256(data)
	registerCacheSecrets(data)
	c.fileWrites++
	stamp, err := statFile(c.path)
	if err != nil {
		return cacheFileError(err)
	}
	c.stamp = stamp
	return nil
}

// EnsureKey makes sure the encryption key exists in the keyring, creating it if
// needed. Sign-in calls it before opening the browser, so a locked keyring is
// reported before the operator types a password for nothing.
func (c *EncryptedCache) EnsureKey(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.keyLocked(ctx, true)
	return err
}

// keyLocked returns the AES key, from memory or the keyring; create makes a new
// one when the keyring has none.
func (c *EncryptedCache) keyLocked(ctx context.Context, create bool) ([]byte, error) {
	if c.key != nil {
		return c.key, nil
	}
	encoded, err := c.keyring.Get(ctx, KeyringService, cacheKeyName)
	if err == nil {
		key, decErr := base64.StdEncoding.DecodeString(encoded)
		if decErr == nil && len(key) == 32 {
			c.key = key
			return key, nil
		}
		// A damaged key is as good as none: replace it below (when creating).
		err = ErrNotFound
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if !create {
		return nil, ErrNotFound
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := c.keyring.Set(ctx, KeyringService, cacheKeyName, base64.StdEncoding.EncodeToString(key)); err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrTooBig) {
			return nil, keyringUnavailable("set", err)
		}
		return nil, err
	}
	c.key = key
	return key, nil
}

func (c *EncryptedCache) writeLocked(ctx context.Context, sealed []byte) error {
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return cacheFileError(err)
	}
	lock := flock.New(c.path + ".lock")
	lockCtx, cancel := context.WithTimeout(ctx, cacheLockTimeout)
	defer cancel()
	locked, err := lock.TryLockContext(lockCtx, 50*time.Millisecond)
	if err != nil || !locked {
		return &calendar.Error{Kind: calendar.KindTransient, Op: "token cache", Hint: "Another Frontdesk window is busy saving the sign-in: try again in a moment.", Err: fmt.Errorf("lock %s: %v", lock.Path(), err)}
	}
	defer lock.Unlock()
	if err := WriteFileAtomic(c.path, sealed); err != nil {
		return cacheFileError(err)
	}
	return nil
}

// Clear forgets the cache: the file, its key in memory and (deleteKey) in the keyring.
func (c *EncryptedCache) Clear(ctx context.Context, deleteKey bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.plain, c.sum, c.stamp, c.key = nil, [32]byte{}, fileStamp{}, nil
	if err := os.Remove(c.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return cacheFileError(err)
	}
	if deleteKey {
		if err := c.keyring.Delete(ctx, KeyringService, cacheKeyName); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

func cacheFileError(err error) error {
	return &calendar.Error{Kind: calendar.KindConfig, Op: "token cache", Hint: "Frontdesk cannot use its sign-in file: check that the Frontdesk folder in your profile is writable.", Err: err}
}

func seal(key, plain []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, plain, []byte(cacheAAD)), nil
}

func open(key, sealed []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, errors.New("token cache file is truncated")
	}
	nonce, ciphertext := sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():]
	return gcm.Open(nil, nonce, ciphertext, []byte(cacheAAD))
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// WriteFileAtomic replaces path (mode 0600, folder created 0700) so that a
// crash leaves either the old or the new file whole, never a torn one. The app
// uses it for its config too.
func WriteFileAtomic(path string, data []byte) error {
	return WriteFileAtomicMode(path, data, 0o600, 0o700)
}

// WriteFileAtomicMode is WriteFileAtomic for a file others may read, such as
// the admin policy (not secret, read by every operator's Frontdesk).
func WriteFileAtomicMode(path string, data []byte, mode, dirMode os.FileMode) error {
	return atomicfile.Write(path, data, atomicfile.Options{Perm: mode, DirPerm: dirMode})
}

// registerCacheSecrets registers every token in MSAL's serialised cache
// (access, refresh and ID tokens: each entry's "secret") with the process's
// one scrubber, so a token the identity server or Graph echoes back is hidden
// wherever it would come out. It runs only when the cache changed.
func registerCacheSecrets(plain []byte) {
	var sections map[string]json.RawMessage
	if json.Unmarshal(plain, &sections) != nil {
		return // a cache MSAL cannot read either holds nothing it will send
	}
	for _, name := range []string{"AccessToken", "RefreshToken", "IdToken"} {
		var entries map[string]struct {
			Secret string `json:"secret"`
		}
		if json.Unmarshal(sections[name], &entries) != nil {
			continue
		}
		for _, entry := range entries {
			calendar.RegisterSecret(Secret(entry.Secret))
		}
	}
}
