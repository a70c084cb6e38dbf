package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews"
)

// EWSPasswordEnv supplies the Exchange password for a headless run. Never
// logged, never stored.
const EWSPasswordEnv = "FRONTDESK_EWS_PASSWORD"

// noEWSPasswordHint is what the operator reads when no password is to be had.
const noEWSPasswordHint = "No Exchange password is stored. Store it with: frontdesk ews-password (or set FRONTDESK_EWS_PASSWORD for a headless run)."

// newEWSSource builds the on-premises Exchange source from the configuration.
func (env *Env) newEWSSource(ctx context.Context, cfg Config) (calendar.Source, error) {
	password, err := env.ewsPassword(ctx, cfg.EWS.Username)
	if err != nil {
		return nil, err
	}
	client, requests, err := env.newEWSClient(cfg, password, ewsClientOptions{})
	if err != nil {
		return nil, err
	}
	return ews.NewSource(ews.SourceOptions{
		Client:    client,
		People:    ews.People{Emails: cfg.People.Emails, Group: cfg.People.Group},
		Location:  location(cfg),
		SendingAs: ewsSendingAs(cfg.EWS.Username),
		Logger:    env.logger(),
		Requests:  requests,
	})
}

// ewsClientOptions are what differs between the callers of newEWSClient.
type ewsClientOptions struct {
	// Typed: the operator has just typed the password (auth.GuardOptions.Typed).
	Typed bool
	// Timeout bounds one exchange, NTLM handshake included; zero is
	// ews.DefaultCallTimeout.
	Timeout time.Duration
}

// newEWSClient is the one place an EWS client is built: the console's engine
// (and so Settings), status, watch, doctor, the welcome page's Connect and the
// window's password prompt all come through here. Every client sends through
// the rejection guard, so a password the server rejected, in this process or
// an earlier one, is never sent again (an Active Directory account locks after
// a few failed logons), and counts every HTTP request, each NTLM leg included,
// in the meter it returns (the engine's budget).
func (env *Env) newEWSClient(cfg Config, password ews.Password, o ewsClientOptions) (*ews.Client, *calendar.RequestMeter, error) {
	e := cfg.EWS
	requests := calendar.NewRequestMeter(nil)
	throttle := env.throttleMemory(e.URL)
	httpClient, err := ews.NewHTTPClient(ews.HTTPOptions{Auth: ews.Auth(e.Auth), CAFile: e.CAFile, Timeout: o.Timeout, Requests: requests, Logger: env.logger(), Throttle: throttle})
	if err != nil {
		return nil, nil, err
	}
	client, err := ews.NewClient(ews.ClientOptions{
		URL:         e.URL,
		Version:     e.Version,
		Auth:        ews.Auth(e.Auth),
		Username:    e.Username,
		Password:    password,
		HTTPClient:  httpClient,
		CallTimeout: o.Timeout,
		Guard:       env.rejectionGuard(cfg, password, o.Typed),
		Throttle:    throttle,
	})
	if err != nil {
		return nil, nil, err
	}
	return client, requests, nil
}

// proofMailbox is the mailbox a single check of the password asks about: the
// operator's own when the user name is an address, else the first colleague
// configured or known. "" when there is none.
func proofMailbox(cfg Config, known ...string) string {
	candidates := append([]string{ewsSendingAs(cfg.EWS.Username)}, cfg.People.Emails...)
	candidates = append(candidates, cfg.People.Group)
	for _, c := range append(candidates, known...) {
		if c = strings.TrimSpace(c); c != "" {
			return c
		}
	}
	return ""
}

// proveEWSPassword sends one GetUserAvailability with a password the operator
// has just typed, through the guard: the server's answer before anything is
// stored. The same password rejected before is not sent again. known are
// colleagues to ask about when the configuration names none.
func (env *Env) proveEWSPassword(ctx context.Context, cfg Config, password string, known ...string) error {
	if password == "" {
		return &calendar.Error{Kind: calendar.KindAuth, Op: "ews.signin", Hint: "Type the password for the Exchange account."}
	}
	mailbox := proofMailbox(cfg, known...)
	if mailbox == "" {
		return &ConfigError{Key: "ews.username", Problem: "use your email address (user@domain) so Frontdesk can check your own calendar"}
	}
	client, _, err := env.newEWSClient(cfg, ews.Password(password), ewsClientOptions{Typed: true})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, calendar.DefaultRequestTimeout)
	defer cancel()
	loc := location(cfg)
	_, err = client.GetUserAvailability(ctx, []calendar.Person{{Email: mailbox}}, windowFrom(env.Now(), loc), loc)
	return err
}

// logger is env.Logger, or one that discards when none is set (tests).
func (env *Env) logger() *slog.Logger {
	if env.Logger == nil {
		return discardLogger()
	}
	return env.Logger
}

// ewsPassword is where the EWS password comes from: the environment for a
// headless run, else the keyring (storedEWSPassword, the auth package's
// credential store). Either way the value stays an ews.Password, which never
// formats or logs.
func (env *Env) ewsPassword(ctx context.Context, username string) (ews.Password, error) {
	if pw := ews.Password(env.Getenv(EWSPasswordEnv)); pw != "" {
		if env.Logger != nil {
			env.Logger.Info("ews: using the password from the environment", "var", EWSPasswordEnv, "user", username)
		}
		return pw, nil
	}
	stored, err := env.storedEWSPassword(ctx, username)
	if err == nil && stored.Reveal() != "" {
		return ews.Password(stored.Reveal()), nil
	}
	var ce *calendar.Error
	if err != nil && errors.As(err, &ce) && ce.Code != "no_password" {
		// A locked or missing keyring says so in its own words.
		return "", err
	}
	return "", &calendar.Error{Kind: calendar.KindAuth, Op: "ews.signin", Hint: noEWSPasswordHint}
}

// rejectionGuard keeps a password the server rejected, in this process or an
// earlier one, from being sent again (auth.RejectionGuard).
func (env *Env) rejectionGuard(cfg Config, password ews.Password, typed bool) *auth.RejectionGuard {
	return auth.NewRejectionGuard(auth.GuardOptions{
		Rejections: auth.NewRejections(env.Paths.StateDir, newKeyring()),
		Server:     cfg.EWS.URL,
		User:       cfg.EWS.Username,
		Password:   auth.Secret(password.Reveal()),
		Location:   location(cfg),
		Now:        env.Now,
		Logger:     env.logger(),
		Typed:      typed,
	})
}

// ewsSendingAs is the operator's SMTP address when the user name is one
// (a UPN usually is); GetMailTips needs a sender.
func ewsSendingAs(username string) string {
	if strings.Contains(username, "@") && !strings.Contains(username, `\`) {
		return username
	}
	return ""
}
