package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// windowSignIn is the window's Microsoft 365 sign-in: the system browser, or a
// device code the window shows. Presence that needs an administrator's
// approval does not fail the sign-in: the window shows the link for IT.
func (env *Env) windowSignIn(ctx context.Context, live *liveEngine, deviceCode bool, show func(ui.DeviceCode)) (ui.SignedIn, error) {
	cfg, _ := live.Config()
	if cfg.Provider != ProviderM365 {
		return ui.SignedIn{}, operatorError{sentence: lang.L("Microsoft 365 is not the provider in use: choose it in Settings first.")}
	}
	client, err := env.newAuthClient(cfg)
	if err != nil {
		return ui.SignedIn{}, operatorError{sentence: OperatorMessage(err), err: err}
	}
	var res auth.SignInResult
	if deviceCode {
		res, err = client.SignInWithDeviceCode(ctx, func(p auth.DeviceCodePrompt) {
			show(ui.DeviceCode{Code: p.UserCode, URL: p.VerificationURL})
		})
	} else {
		res, err = client.SignIn(ctx)
	}
	if err != nil {
		env.Logger.Warn("sign-in from the window failed", "kind", calendar.KindOf(err).String(), "err", err)
		return ui.SignedIn{}, operatorError{sentence: OperatorMessage(err), err: err}
	}
	out := ui.SignedIn{Account: res.Account.Username}
	if res.PresenceErr != nil && cfg.Microsoft365.Presence {
		out.PresenceNote = presenceOffNote(res.PresenceErr)
		if needsAdminConsent(res.PresenceErr) {
			out.AdminConsentURL = auth.AdminConsentURL(cfg.Microsoft365.Tenant, cfg.Microsoft365.ClientID)
		}
	}
	env.Logger.Info("signed in from the window", "username", out.Account, "presence_note", out.PresenceNote != "")
	return out, nil
}

// presenceOffNote says why the sign-in left presence off, in one sentence
// (the reason's words inside it, not glued on, so a language can order them).
func presenceOffNote(err error) string {
	return lang.L("Presence is off: {{.Problem}}", map[string]any{"Problem": OperatorMessage(err)})
}

// needsAdminConsent reports whether Entra refused a scope pending an
// administrator's approval (AADSTS65001 consent, AADSTS90094 admin approval).
func needsAdminConsent(err error) bool {
	var ce *calendar.Error
	if !errors.As(err, &ce) {
		return false
	}
	return ce.Code == "AADSTS65001" || ce.Code == "AADSTS90094"
}

// signOutFromWindow forgets the sign-in and every stored secret, as `frontdesk signout`.
func signOutFromWindow(ctx context.Context, env *Env) error {
	return auth.SignOut(ctx, env.Paths.StateDir, newKeyring())
}
