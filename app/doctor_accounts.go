package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews"
)

// failureDetail is the operator's sentence with the kind and code support asks for.
func failureDetail(err error) string {
	msg := OperatorMessage(err)
	var ce *calendar.Error
	if errors.As(err, &ce) {
		detail := ce.Kind.String()
		if ce.Code != "" {
			detail += ", " + ce.Code
		}
		msg += " [" + detail + "]"
	}
	return msg
}

func (d *doctor) host(role string) *doctorHost {
	for i := range d.hosts {
		if d.hosts[i].role == role {
			return &d.hosts[i]
		}
	}
	return nil
}

// checkMicrosoft365: who is signed in, whether a token comes silently, which
// scopes it carries and whether presence was consented. Each token is asked
// for once: a failure is reported, never retried.
func (d *doctor) checkMicrosoft365(ctx context.Context) {
	cfg := d.loaded.Config
	if cfg.Provider != ProviderM365 {
		d.skip("microsoft365", "provider is "+cfg.Provider)
		return
	}
	if d.env.Getenv(GraphTokenEnv) != "" {
		d.step(ctx, "microsoft365 token", doctorLocalTimeout, func(context.Context) CheckResult {
			what := "the access token from " + GraphTokenEnv
			scopes, ok := tokenScopes(d.env.Getenv(GraphTokenEnv))
			if !ok {
				return CheckResult{Status: CheckOK, Detail: what + " is not a JWT: its scopes cannot be read here"}
			}
			return scopesVerdict(what, scopes)
		})
		return
	}
	if !d.keyringUsable {
		d.skip("microsoft365", d.keyringReason+": the sign-in kept there cannot be read")
		return
	}
	d.env.ensureLogger()
	client, err := d.env.newAuthClient(cfg)
	if err != nil {
		d.add(CheckResult{Name: "microsoft365", Status: CheckFail, Detail: failureDetail(err), Action: "Correct the microsoft365 settings named here."})
		return
	}
	r := d.step(ctx, "microsoft365 account", doctorSignInTimeout, func(ctx context.Context) CheckResult {
		acct, err := client.CurrentAccount(ctx)
		if err != nil {
			return CheckResult{Status: CheckFail, Detail: "nobody is signed in: " + failureDetail(err),
				Action: "Sign in: run frontdesk signin, or use Sign in in the window."}
		}
		return CheckResult{Status: CheckOK, Detail: "signed in as " + acct.Username}
	})
	if r.Status != CheckOK {
		d.skip("microsoft365 token", "nobody is signed in")
		return
	}
	if h := d.host("authority"); h != nil && !h.reachable {
		d.skip("microsoft365 token", "the identity server is not reachable (see authority above)")
		return
	}
	var granted []string
	r = d.step(ctx, "microsoft365 token", doctorSignInTimeout, func(ctx context.Context) CheckResult {
		scopes, err := client.GrantedScopes(ctx, auth.GraphScopes)
		if err != nil {
			return CheckResult{Status: CheckFail, Detail: "no token without the operator: " + failureDetail(err),
				Action: "Sign in again: run frontdesk signin, or use Sign in in the window."}
		}
		granted = scopes
		return CheckResult{Status: CheckOK, Detail: "a token for Graph comes without asking the operator"}
	})
	if r.Status == CheckOK {
		d.step(ctx, "microsoft365 scopes", doctorLocalTimeout, func(context.Context) CheckResult {
			return scopesVerdict("the sign-in", granted)
		})
	}
	tokenOK := r.Status == CheckOK
	d.checkOptionalScope(ctx, client, tokenOK, optionalScope{
		check: "microsoft365 presence", on: cfg.Microsoft365.Presence, scopes: auth.PresenceScopes,
		off:     "presence is turned off (microsoft365.presence)",
		refused: "presence is not consented: ",
		action:  "Ask an administrator to grant Presence.Read.All to the app, or set microsoft365.presence = false.",
	})
	d.checkOptionalScope(ctx, client, tokenOK, optionalScope{
		check: "microsoft365 rooms", on: cfg.Rooms, scopes: auth.RoomScopes,
		off:     "meeting rooms are turned off (rooms = false): no sign-in asks for Place.Read.All",
		refused: "meeting rooms are not approved: ",
		action:  "Ask an administrator to approve Place.Read.All for the app, or set rooms = false so that no sign-in asks for it.",
	})
}

// optionalScope is a permission the console works without: presence, rooms.
type optionalScope struct {
	check   string   // the doctor's name for it
	on      bool     // the configuration asks for it
	scopes  []string // what a token is asked for
	off     string   // why it is skipped when not on
	refused string   // the start of the WARN when no token comes
	action  string   // what to do then
}

// checkOptionalScope asks for a token of an optional scope silently, once;
// a refusal is a warning (the console works without it), never a failure.
func (d *doctor) checkOptionalScope(ctx context.Context, client *auth.Client, tokenOK bool, o optionalScope) {
	switch {
	case !o.on:
		d.skip(o.check, o.off)
		return
	case !tokenOK:
		d.skip(o.check, "no Graph token")
		return
	}
	d.step(ctx, o.check, doctorSignInTimeout, func(ctx context.Context) CheckResult {
		if _, err := client.Token(ctx, o.scopes); err != nil {
			return CheckResult{Status: CheckWarn, Detail: o.refused + failureDetail(err), Action: o.action}
		}
		return CheckResult{Status: CheckOK, Detail: strings.Join(o.scopes, " ") + " consented"}
	})
}

// scopesVerdict names the scopes granted and those Frontdesk needs and lacks.
func scopesVerdict(what string, scopes []string) CheckResult {
	var missing []string
	for _, s := range auth.GraphScopes {
		if !slices.ContainsFunc(scopes, func(g string) bool { return strings.EqualFold(g, s) }) {
			missing = append(missing, s)
		}
	}
	detail := fmt.Sprintf("%s grants %s", what, strings.Join(scopes, " "))
	if len(missing) > 0 {
		return CheckResult{Status: CheckFail, Detail: detail + "; missing " + strings.Join(missing, " "),
			Action: "Ask an administrator to grant the missing permissions to the app registration, then sign in again."}
	}
	return CheckResult{Status: CheckOK, Detail: detail}
}

// tokenScopes reads the scopes an access token carries (its "scp" claim;
// Microsoft's Graph tokens are JWTs). The signature is not checked: this
// only reports what was granted.
func tokenScopes(token string) ([]string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, false
	}
	var claims struct {
		Scp   string   `json:"scp"`
		Roles []string `json:"roles"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, false
	}
	scopes := strings.Fields(claims.Scp)
	return append(scopes, claims.Roles...), true
}

// checkExchange reports a password rejection on record without sending
// anything, or sends exactly one GetUserAvailability for the operator's own
// mailbox through the same lockout guard the console uses.
func (d *doctor) checkExchange(ctx context.Context) {
	cfg := d.loaded.Config
	if cfg.Provider != ProviderEWS {
		d.skip("exchange", "provider is "+cfg.Provider)
		return
	}
	if h := d.host("ews"); h == nil || !h.reachable {
		d.skip("exchange", "the server is not reachable (see ews above)")
		return
	}
	if !d.keyringUsable {
		// The record of rejected passwords is keyed with a secret kept in the
		// keyring: without it nobody can tell whether this password was
		// rejected, so nothing is sent.
		d.skip("exchange", d.keyringReason+": Frontdesk cannot tell whether the password was rejected before, so it sends nothing")
		return
	}
	d.env.ensureLogger()
	var password ews.Password
	r := d.step(ctx, "exchange password", doctorKeyringTimeout, func(ctx context.Context) CheckResult {
		pw, err := d.env.ewsPassword(ctx, cfg.EWS.Username)
		if err != nil {
			return CheckResult{Status: CheckFail, Detail: failureDetail(err), Action: "Store the password: run frontdesk ews-password, or use Settings in the window."}
		}
		password = pw
		guard := d.env.rejectionGuard(cfg, password, false)
		if err := guard.Check(ctx); err != nil {
			return CheckResult{Status: CheckFail, Detail: "nothing sent: " + OperatorMessage(err),
				Action: "Enter the current password with frontdesk ews-password; Frontdesk sends it once, alone."}
		}
		source := "the keyring"
		if d.env.Getenv(EWSPasswordEnv) != "" {
			source = EWSPasswordEnv
		}
		return CheckResult{Status: CheckOK, Detail: fmt.Sprintf("a password for %s from %s, not rejected before", cfg.EWS.Username, source)}
	})
	if r.Status != CheckOK {
		d.skip("exchange request", "no password that may be sent")
		return
	}
	d.step(ctx, "exchange request", doctorExchangeTime, func(ctx context.Context) CheckResult {
		return d.exchangeRequest(ctx, cfg, password)
	})
}

func (d *doctor) exchangeRequest(ctx context.Context, cfg Config, password ews.Password) CheckResult {
	e := cfg.EWS
	mailbox := proofMailbox(cfg)
	if mailbox == "" {
		return CheckResult{Status: CheckSkip, Detail: "no mailbox address to ask about (ews.username is not an address and no people are listed)",
			Action: "Use the account's address (user@contoso.com) as ews.username."}
	}
	client, _, err := d.env.newEWSClient(cfg, password, ewsClientOptions{Timeout: doctorExchangeTime})
	if err != nil {
		action := "Correct the ews settings named here."
		var ce *calendar.Error
		if errors.As(err, &ce) && ce.Op == "ews.ca_file" {
			action = "Correct ews.ca_file."
		}
		return CheckResult{Status: CheckFail, Detail: failureDetail(err), Action: action}
	}
	loc := location(cfg)
	answers, err := client.GetUserAvailability(ctx, []calendar.Person{{Email: mailbox}}, windowFrom(d.env.Now(), loc), loc)
	if err != nil {
		action := "Fix what the sentence names, then run frontdesk doctor again."
		if _, rejected := calendar.PasswordRejection(err); rejected {
			action = "Enter the current password with frontdesk ews-password; this one is not sent again."
		}
		return CheckResult{Status: CheckFail, Detail: "GetUserAvailability for " + mailbox + ": " + failureDetail(err), Action: action}
	}
	detail := fmt.Sprintf("Exchange accepted %s and answered GetUserAvailability for %s", e.Username, mailbox)
	if len(answers) == 1 && answers[0].Err != nil {
		detail += " (that mailbox: " + answers[0].Err.Error() + ")"
	}
	return CheckResult{Status: CheckOK, Detail: detail}
}
