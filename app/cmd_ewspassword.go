package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
)

// keyringLockedPasswordHint is what the operator reads when the password
// could not be stored; it fits the command and the window alike.
const keyringLockedPasswordHint = "The system keyring is locked or unavailable, so the password was not stored. Unlock the keyring, then enter the password again."

// maxPasswordBytes bounds what is read from stdin: a password, not a file.
const maxPasswordBytes = 4096

// StoreEWSPassword stores password in the keyring for the configured EWS user
// and clears the recorded rejection for that server and user, also when it is
// the password the server rejected: entering it is the operator's explicit
// retry, and it gets exactly one try. The window's password dialog and
// `frontdesk ews-password` both come through here.
//
// Errors: *ConfigError when the configuration has no EWS server or user; a
// KindAuth *calendar.Error with Code "keyring_unavailable" (auth.IsKeyringUnavailable)
// when the keyring is locked; a KindConfig one for an empty password.
func (env *Env) StoreEWSPassword(ctx context.Context, cfg Config, password string) error {
	e := cfg.EWS
	if strings.TrimSpace(e.URL) == "" {
		return &ConfigError{Key: "ews.url", Problem: "no Exchange server is configured"}
	}
	if strings.TrimSpace(e.Username) == "" {
		return &ConfigError{Key: "ews.username", Problem: "no Exchange user name is configured"}
	}
	if password == "" {
		return &calendar.Error{Kind: calendar.KindConfig, Op: "ews password", Hint: "The password is empty: nothing was stored."}
	}
	kr := newKeyring()
	if err := auth.NewCredentialStore(kr).SetEWSPassword(ctx, e.Username, auth.Secret(password)); err != nil {
		if auth.IsNoKeyringService(err) {
			return err // its own words: no keyring to unlock in this session
		}
		if auth.IsKeyringUnavailable(err) || errors.Is(err, auth.ErrNotFound) || errors.Is(err, auth.ErrTooBig) {
			return &calendar.Error{Kind: calendar.KindAuth, Op: "ews password", Code: "keyring_unavailable", Hint: keyringLockedPasswordHint, Err: err}
		}
		return err
	}
	rejections := auth.NewRejections(env.Paths.StateDir, kr)
	if err := rejections.Clear(ctx, e.URL, e.Username); err != nil {
		return &calendar.Error{Kind: calendar.KindConfig, Op: "ews password",
			Hint:     "The password is stored, but the record of the rejected one in {{.Path}} cannot be cleared: check that folder's permissions.",
			HintArgs: map[string]any{"Path": rejections.Path()}, Err: err}
	}
	if env.Logger != nil {
		env.Logger.Info("ews: password stored; a recorded rejection is cleared", "user", e.Username, "server", e.URL)
	}
	return nil
}

// cmdEWSPassword is `frontdesk ews-password [--config FILE]`: the password for
// the configured EWS user from stdin (no echo on a terminal) into the keyring.
func (env *Env) cmdEWSPassword(ctx context.Context, args []string) int {
	fs := env.newFlagSet("ews-password")
	var common commonFlags
	fs.StringVar(&common.configFile, "config", "", "config file (default: the per-user config.toml, or $FRONTDESK_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	if fs.NArg() > 0 {
		// A password on the command line would land in the shell history and
		// in every process listing.
		fmt.Fprintln(env.Stderr, "frontdesk ews-password: the password is read from standard input, not from the command line")
		return ExitConfig
	}
	l, err := env.loadConfig(common)
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk: configuration error: %v\n", err)
		return ExitConfig
	}
	cfg := l.Config
	if cfg.EWS.URL == "" || cfg.EWS.Username == "" {
		fmt.Fprintf(env.Stderr, "frontdesk ews-password: Exchange is not configured: set ews.url and ews.username in %s\n", env.Paths.ConfigFile)
		return ExitConfig
	}
	password, err := env.readPassword(fmt.Sprintf("Exchange password for %s: ", cfg.EWS.Username))
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk ews-password: cannot read the password: %v\n", err)
		return ExitConfig
	}
	if err := env.StoreEWSPassword(ctx, cfg, password); err != nil {
		env.Logger.Error("ews-password failed", "err", err)
		fmt.Fprintf(env.Stderr, "frontdesk ews-password: %s\n", OperatorMessage(err))
		return exitCodeFor(err)
	}
	fmt.Fprintf(env.Stdout, "Password stored for %s. The next refresh sends it once.\n", cfg.EWS.Username)
	return ExitOK
}

// readPassword reads one line from stdin. On a terminal it prompts on stderr
// and does not echo; from a pipe it takes the first line as is (a password may
// start or end with spaces), without its line ending.
func (env *Env) readPassword(prompt string) (string, error) {
	in := env.Stdin
	if in == nil {
		in = os.Stdin
	}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(io.LimitReader(in, maxPasswordBytes)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
