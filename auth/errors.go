package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Hints the operator reads. One sentence each: what happened, what to do.
const (
	HintSignInAgain       = "Your Microsoft 365 sign-in has expired or was revoked: sign in again."
	HintNotSignedIn       = "You are not signed in to Microsoft 365: sign in to continue."
	HintLocked            = "Your account is locked after too many sign-in attempts: wait a while or ask your IT administrator to unlock it, then sign in again."
	HintBadPassword       = "The user name or password was not accepted: sign in again with the right password."
	HintPasswordExpired   = "Your password has expired: change it, then sign in again."
	HintDisabled          = "Your account is disabled: ask your IT administrator to enable it."
	HintMFA               = "Your organisation requires an extra verification step: sign in again in the browser and complete it."
	HintConditionalAccess = "Your organisation's access policy blocked this sign-in from this device or network: ask your IT administrator which are allowed."
	HintWrongApp          = "The app or tenant in the configuration is not known to Microsoft 365: check microsoft365.client_id and microsoft365.tenant."
	HintLoop              = "Microsoft 365 saw too many sign-ins in a short time: wait a few minutes before trying again."
	HintThrottled         = "Microsoft 365 asked Frontdesk to slow down: it will try again shortly."
	HintTransient         = "Microsoft 365 sign-in could not be reached: check the network; Frontdesk will try again."
	HintSignInFailed      = "Sign-in to Microsoft 365 failed: sign in again, and send the log to IT if it keeps failing."
	HintCancelled         = "Sign-in was cancelled or timed out before it finished: sign in again."
)

// loopBackoff is how long to stay away after Entra reports a sign-in loop (AADSTS50196).
const loopBackoff = 5 * time.Minute

// AdminConsentURL is where a tenant administrator approves the app for everyone.
func AdminConsentURL(tenant, clientID string) string {
	if tenant == "" {
		tenant = "organizations"
	}
	return "https://login.microsoftonline.com/" + url.PathEscape(tenant) + "/adminconsent?client_id=" + url.QueryEscape(clientID)
}

// The consent hints carry the admin-consent link as {{.URL}} (consentArgs).
const (
	hintConsent       = "Frontdesk has not been given the permissions it needs: sign in again and accept them, or ask an administrator to approve it at {{.URL}}."
	hintAdminApproval = "An administrator must approve Frontdesk for your organisation: send them this link: {{.URL}}."
)

func consentArgs(tenant, clientID string) map[string]any {
	return map[string]any{"URL": AdminConsentURL(tenant, clientID)}
}

var (
	aadstsPattern     = regexp.MustCompile(`AADSTS(\d{5,6})`)
	oauthErrorPattern = regexp.MustCompile(`"error"\s*:\s*"([A-Za-z_]+)"`)
	// Any long base64url-ish run (JWTs, refresh tokens, codes) is scrubbed from
	// server text before it goes anywhere.
	secretishPattern = regexp.MustCompile(`[A-Za-z0-9_\-+=~]{40,}`)
)

// classifier turns failures from MSAL, the identity server and the network into
// calendar.Error values.
type classifier struct {
	tenant, clientID string
}

// classify maps err to a *calendar.Error. op names what was attempted. The
// original MSAL error is not wrapped: its text and its Verbose form carry the
// request, which can include a refresh token or an authorization code.
func (c classifier) classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *calendar.Error
	if errors.As(err, &ce) {
		return err
	}
	text := err.Error()
	status := 0
	var retryAfter time.Duration
	var callErr msalerrors.CallErr
	if errors.As(err, &callErr) && callErr.Resp != nil {
		status = callErr.Resp.StatusCode
		retryAfter = parseRetryAfter(callErr.Resp.Header.Get("Retry-After"))
	}
	e := &calendar.Error{Op: op, Err: errors.New(scrub(text))}

	if m := aadstsPattern.FindStringSubmatch(text); m != nil {
		e.Code = "AADSTS" + m[1]
		if c.fromAADSTS(e, m[1]) {
			return e
		}
	}
	oauthCode := ""
	if m := oauthErrorPattern.FindStringSubmatch(text); m != nil {
		oauthCode = m[1]
	} else {
		oauthCode = bareOAuthCode(text)
	}
	if oauthCode != "" {
		if e.Code == "" {
			e.Code = oauthCode
		}
		if c.fromOAuth(e, oauthCode, retryAfter) {
			return e
		}
	}
	switch {
	case status == http.StatusTooManyRequests:
		e.Kind, e.Hint, e.RetryAfter = calendar.KindThrottled, HintThrottled, retryAfter
		return e
	case status >= 500:
		e.Kind, e.Hint, e.RetryAfter = calendar.KindTransient, HintTransient, retryAfter
		return e
	case status != 0:
		// Any other refusal from the identity server is a sign-in problem: never
		// retried, because retrying a rejected credential locks accounts.
		e.Kind, e.Hint = calendar.KindAuth, HintSignInFailed
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		e.Kind, e.Hint = calendar.KindAuth, HintCancelled
		return e
	}
	var netErr net.Error
	var urlErr *url.Error
	if errors.As(err, &netErr) || errors.As(err, &urlErr) || strings.Contains(text, "server response error") {
		e.Kind, e.Hint = calendar.KindTransient, HintTransient
		return e
	}
	e.Kind, e.Hint = calendar.KindAuth, HintSignInFailed
	return e
}

func (c classifier) fromAADSTS(e *calendar.Error, code string) bool {
	switch code {
	case "50053":
		e.Kind, e.Hint = calendar.KindLocked, HintLocked
	case "50126":
		e.Kind, e.Hint = calendar.KindAuth, HintBadPassword
	case "50055", "50144":
		e.Kind, e.Hint = calendar.KindAuth, HintPasswordExpired
	case "50057":
		e.Kind, e.Hint = calendar.KindLocked, HintDisabled
	case "50076", "50079":
		e.Kind, e.Hint = calendar.KindAuth, HintMFA
	case "53003":
		e.Kind, e.Hint = calendar.KindPermission, HintConditionalAccess
	case "65001":
		e.Kind, e.Hint, e.HintArgs = calendar.KindPermission, hintConsent, consentArgs(c.tenant, c.clientID)
	case "90094":
		e.Kind, e.Hint, e.HintArgs = calendar.KindPermission, hintAdminApproval, consentArgs(c.tenant, c.clientID)
	case "50173", "50132", "700082":
		e.Kind, e.Hint = calendar.KindAuth, HintSignInAgain
	case "700016", "90002":
		e.Kind, e.Hint = calendar.KindConfig, HintWrongApp
	case "50196":
		e.Kind, e.Hint, e.RetryAfter = calendar.KindThrottled, HintLoop, loopBackoff
	default:
		return false
	}
	return true
}

func (c classifier) fromOAuth(e *calendar.Error, code string, retryAfter time.Duration) bool {
	switch code {
	case "invalid_grant", "interaction_required", "login_required":
		e.Kind, e.Hint = calendar.KindAuth, HintSignInAgain
	case "consent_required":
		e.Kind, e.Hint, e.HintArgs = calendar.KindPermission, hintConsent, consentArgs(c.tenant, c.clientID)
	case "access_denied":
		e.Kind, e.Hint = calendar.KindAuth, HintCancelled
	case "invalid_client", "unauthorized_client":
		e.Kind, e.Hint = calendar.KindConfig, HintWrongApp
	case "slow_down":
		e.Kind, e.Hint, e.RetryAfter = calendar.KindThrottled, HintThrottled, retryAfter
	case "temporarily_unavailable", "server_error":
		e.Kind, e.Hint, e.RetryAfter = calendar.KindTransient, HintTransient, retryAfter
	default:
		return false
	}
	return true
}

// bareOAuthCode finds an OAuth error code in text that is not JSON (MSAL's
// "invalid_grant: description" from a parsed token response).
func bareOAuthCode(text string) string {
	for _, code := range []string{"invalid_grant", "interaction_required", "login_required", "consent_required", "access_denied", "invalid_client", "unauthorized_client", "slow_down", "temporarily_unavailable"} {
		if strings.Contains(text, code) {
			return code
		}
	}
	return ""
}

func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// scrub shortens server text for the log and removes anything token-shaped.
func scrub(text string) string {
	text = secretishPattern.ReplaceAllString(text, "[REDACTED]")
	if len(text) > 600 {
		text = text[:600] + "..."
	}
	return text
}

// IsNotSignedIn reports whether err is notSignedIn's: no account has signed in
// yet, or it signed out; nothing expired or was refused.
func IsNotSignedIn(err error) bool {
	var ce *calendar.Error
	return errors.As(err, &ce) && ce.Code == CodeNotSignedIn
}

// CodeNotSignedIn is the calendar.Error code of "no account to use".
const CodeNotSignedIn = "not_signed_in"

// notSignedIn is the error for "no account to use".
func notSignedIn(op string, reason string) error {
	return &calendar.Error{Kind: calendar.KindAuth, Op: op, Code: CodeNotSignedIn, Hint: HintNotSignedIn, Err: fmt.Errorf("%s", reason)}
}
