package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
)

// signInTimeout bounds waiting for the operator in the browser or on the device page.
const signInTimeout = 10 * time.Minute

// newKeyring is the keyring every command uses; tests swap it for a fake.
var newKeyring = func() auth.Keyring { return auth.SystemKeyring{} }

// newAuthClient builds the Microsoft 365 sign-in from the configuration. The
// Graph source (calendar/graph) takes its tokens from the returned client's
// Token method.
func (env *Env) newAuthClient(cfg Config) (*auth.Client, error) {
	m := cfg.Microsoft365
	return auth.New(auth.Options{
		Tenant:       m.Tenant,
		ClientID:     m.ClientID,
		Cloud:        m.Cloud,
		AuthorityURL: m.AuthorityURL,
		Presence:     m.Presence,
		Rooms:        cfg.Rooms,
		StateDir:     env.Paths.StateDir,
		Keyring:      newKeyring(),
		HTTPClient:   identityHTTPClient(env.Logger),
		Logger:       env.Logger,
	})
}

// identityHTTPClient talks to the identity server with a line in the log per
// request (path only: the token endpoint's secrets travel in bodies and query
// strings, which are never logged).
func identityHTTPClient(logger *slog.Logger) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: calendar.LogRequests(http.DefaultTransport.(*http.Transport).Clone(), logger)}
}

// loadM365Config loads the configuration for a sign-in command, which needs the
// Microsoft 365 settings whatever provider is selected.
func (env *Env) loadM365Config(name string, common commonFlags) (Config, bool) {
	l, err := env.loadConfig(common)
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk: configuration error: %v\n", err)
		return Config{}, false
	}
	if l.Config.Microsoft365.ClientID == "" {
		fmt.Fprintf(env.Stderr, "frontdesk %s: Microsoft 365 is not configured: set microsoft365.client_id (and tenant) in %s\n", name, env.Paths.ConfigFile)
		return Config{}, false
	}
	return l.Config, true
}

// authFailure prints the operator's sentence with the kind and server code a
// support person asks for, and returns the contract's exit code.
func (env *Env) authFailure(cmd string, err error) int {
	msg := OperatorMessage(err)
	var ce *calendar.Error
	if errors.As(err, &ce) {
		detail := ce.Kind.String()
		if ce.Code != "" {
			detail += ", " + ce.Code
		}
		msg += " [" + detail + "]"
		env.Logger.Warn(cmd+" failed", "kind", ce.Kind.String(), "code", ce.Code, "err", ce.Error())
	} else {
		env.Logger.Warn(cmd+" failed", "err", err.Error())
	}
	fmt.Fprintf(env.Stderr, "frontdesk %s: %s\n", cmd, msg)
	return exitCodeFor(err)
}

func (env *Env) cmdSignin(ctx context.Context, args []string) int {
	fs := env.newFlagSet("signin")
	var common commonFlags
	common.register(fs)
	deviceCode := fs.Bool("device-code", false, "sign in on another device's browser with a code (when this machine's browser cannot be used)")
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	cfg, ok := env.loadM365Config("signin", common)
	if !ok {
		return ExitConfig
	}
	client, err := env.newAuthClient(cfg)
	if err != nil {
		return env.authFailure("signin", err)
	}
	ctx, cancel := context.WithTimeout(ctx, signInTimeout)
	defer cancel()
	var res auth.SignInResult
	if *deviceCode {
		res, err = client.SignInWithDeviceCode(ctx, func(p auth.DeviceCodePrompt) {
			msg := p.Message
			if msg == "" {
				msg = fmt.Sprintf("To sign in, open %s in a web browser and enter the code %s.", p.VerificationURL, p.UserCode)
			}
			fmt.Fprintln(env.Stdout, msg)
			fmt.Fprintf(env.Stdout, "Open: %s\nCode: %s\n", p.VerificationURL, p.UserCode)
		})
	} else {
		fmt.Fprintln(env.Stdout, "Opening the Microsoft sign-in page in your browser...")
		res, err = client.SignIn(ctx)
	}
	if err != nil {
		return env.authFailure("signin", err)
	}
	fmt.Fprintf(env.Stdout, "Signed in as %s.\n", res.Account.Username)
	if cfg.Microsoft365.Presence {
		if res.PresenceErr != nil {
			fmt.Fprintf(env.Stdout, "Presence unavailable: %s\n", OperatorMessage(res.PresenceErr))
		} else {
			fmt.Fprintln(env.Stdout, "Presence available.")
		}
	}
	if res.RoomsErr != nil {
		fmt.Fprintf(env.Stdout, "Meeting rooms unavailable: %s\n", OperatorMessage(res.RoomsErr))
	}
	return ExitOK
}

func (env *Env) cmdWhoami(ctx context.Context, args []string) int {
	fs := env.newFlagSet("whoami")
	var common commonFlags
	common.register(fs)
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	cfg, ok := env.loadM365Config("whoami", common)
	if !ok {
		return ExitConfig
	}
	client, err := env.newAuthClient(cfg)
	if err != nil {
		return env.authFailure("whoami", err)
	}
	acct, err := client.CurrentAccount(ctx)
	if err != nil {
		return env.authFailure("whoami", err)
	}
	// A silent token proves the sign-in still works (and refreshes it if due);
	// it never opens a browser.
	if _, err := client.Token(ctx, auth.GraphScopes); err != nil {
		return env.authFailure("whoami", err)
	}
	fmt.Fprintf(env.Stdout, "Signed in as %s\nHome account ID: %s\nAuthority host: %s\n", acct.Username, acct.HomeAccountID, acct.Environment)
	return ExitOK
}

func (env *Env) cmdSignout(ctx context.Context, args []string) int {
	fs := env.newFlagSet("signout")
	var common commonFlags
	common.register(fs)
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	// A broken configuration must not keep secrets on the machine: sign-out
	// needs only the state folder and the keyring.
	if _, err := env.loadConfig(common); err != nil {
		env.Logger.Warn("signing out despite a configuration error", "err", err)
	}
	if err := auth.SignOut(ctx, env.Paths.StateDir, newKeyring()); err != nil {
		return env.authFailure("signout", err)
	}
	env.Logger.Info("signed out")
	fmt.Fprintln(env.Stdout, "Signed out: Frontdesk keeps no Microsoft 365 sign-in or stored password on this computer.")
	return ExitOK
}

// storedEWSPassword is the EWS password kept in the keyring for username (the
// keyring step of ewsPassword, after FRONTDESK_EWS_PASSWORD). Nothing stored is
// a KindAuth error with Code "no_password"; a locked keyring is the
// keyring-unavailable KindAuth error.
func (env *Env) storedEWSPassword(ctx context.Context, username string) (auth.Secret, error) {
	return auth.NewCredentialStore(newKeyring()).EWSPassword(ctx, username)
}
