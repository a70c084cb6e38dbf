package app

import (
	"context"
	"errors"
	"strings"

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
	e := cfg.EWS
	password, err := env.ewsPassword(ctx, e.Username)
	if err != nil {
		return nil, err
	}
	// Every HTTP request counts in the engine's budget, each NTLM leg included.
	requests := calendar.NewRequestMeter(nil)
	logger := env.Logger
	if logger == nil {
		logger = discardLogger()
	}
	httpClient, err := ews.NewHTTPClient(ews.HTTPOptions{Auth: ews.Auth(e.Auth), CAFile: e.CAFile, Requests: requests, Logger: logger})
	if err != nil {
		return nil, err
	}
	client, err := ews.NewClient(ews.ClientOptions{
		URL:        e.URL,
		Version:    e.Version,
		Auth:       ews.Auth(e.Auth),
		Username:   e.Username,
		Password:   password,
		HTTPClient: httpClient,
		Guard:      env.rejectionGuard(cfg, password),
	})
	if err != nil {
		return nil, err
	}
	return ews.NewSource(ews.SourceOptions{
		Client:    client,
		People:    ews.People{Emails: cfg.People.Emails, Group: cfg.People.Group},
		Location:  location(cfg),
		SendingAs: ewsSendingAs(e.Username),
		Logger:    logger,
		Requests:  requests,
	})
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
func (env *Env) rejectionGuard(cfg Config, password ews.Password) *auth.RejectionGuard {
	logger := env.Logger
	if logger == nil {
		logger = discardLogger()
	}
	return auth.NewRejectionGuard(auth.GuardOptions{
		Rejections: auth.NewRejections(env.Paths.StateDir, newKeyring()),
		Server:     cfg.EWS.URL,
		User:       cfg.EWS.Username,
		Password:   auth.Secret(password.Reveal()),
		Location:   location(cfg),
		Now:        env.Now,
		Logger:     logger,
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
