package ews

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A 401 is a failed logon only when the server looked at the password. Two
// 401s are not:
//   - Basic sent to a server that offers only NTLM or Negotiate: IIS with
//     Basic disabled ignores the Basic header, so no logon was tried; the
//     setting is wrong, not the password.
//   - NTLM where the server never sent a challenge (no NTLM offer at all, or
//     an offer without a challenge): the negotiator sends the password's
//     response only after a challenge, so nothing was tried either.
// Recording either as "password rejected" would send the operator to retype
// a password that may be right, and hide the setting to change.

// credentialOffer notes, for one call, whether the password (Basic) or the
// NTLM response made from it left this machine.
type credentialOffer struct{ sent atomic.Bool }

type credentialOfferKey struct{}

func withCredentialOffer(ctx context.Context) (context.Context, *credentialOffer) {
	offer := &credentialOffer{}
	return context.WithValue(ctx, credentialOfferKey{}, offer), offer
}

// ntlmAuthenticatePrefix is base64 of "NTLMSSP\x00" followed by message type
// 3 (AUTHENTICATE), the only NTLM message derived from the password.
const ntlmAuthenticatePrefix = "TlRMTVNTUAAD"

// offerSpy sits under the NTLM negotiator and notes when an AUTHENTICATE
// message goes out.
type offerSpy struct{ next http.RoundTripper }

func (s offerSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	if offer, ok := req.Context().Value(credentialOfferKey{}).(*credentialOffer); ok {
		scheme, token, _ := strings.Cut(req.Header.Get("Authorization"), " ")
		if (strings.EqualFold(scheme, "NTLM") || strings.EqualFold(scheme, "Negotiate")) && strings.HasPrefix(token, ntlmAuthenticatePrefix) {
			offer.sent.Store(true)
		}
	}
	return s.next.RoundTrip(req)
}

// offeredSchemes are the schemes of the 401's WWW-Authenticate headers,
// lower-cased ("basic", "ntlm", "negotiate").
func offeredSchemes(resp *http.Response) map[string]bool {
	schemes := map[string]bool{}
	for _, v := range resp.Header.Values("WWW-Authenticate") {
		for _, part := range strings.Split(v, ",") {
			scheme, _, _ := strings.Cut(strings.TrimSpace(part), " ")
			if scheme != "" && !strings.Contains(scheme, "=") {
				schemes[strings.ToLower(scheme)] = true
			}
		}
	}
	return schemes
}

const (
	hintUseNTLM         = `Exchange does not accept Basic sign-in at this address; it asks for Windows (NTLM) sign-in. The password was not tried. Set ews.auth = "ntlm" in Settings.`
	hintUseBasic        = `Exchange asks for Basic sign-in at this address, not NTLM. The password was not tried. Set ews.auth = "basic" in Settings (over https only).`
	hintNoNTLMChallenge = `Exchange refused the sign-in without offering an NTLM challenge, so the password was not tried. Ask your Exchange administrator to check Windows authentication on the EWS virtual directory.`
)

// unauthorizedWithoutLogon returns the configuration error for a 401 that
// tried no logon (see above), or nil for a real rejection of the password.
func unauthorizedWithoutLogon(op string, auth Auth, resp *http.Response, offer *credentialOffer) error {
	offered := offeredSchemes(resp)
	switch auth {
	case AuthNTLM:
		if offer == nil || offer.sent.Load() {
			return nil
		}
		e := &calendar.Error{Kind: calendar.KindConfig, Op: op, Code: "ntlm_no_challenge", Hint: hintNoNTLMChallenge}
		if offered["basic"] && !offered["ntlm"] && !offered["negotiate"] {
			e.Code, e.Hint = "auth_scheme", hintUseBasic
		}
		return e
	default:
		if len(offered) > 0 && !offered["basic"] && (offered["ntlm"] || offered["negotiate"]) {
			return &calendar.Error{Kind: calendar.KindConfig, Op: op, Code: "auth_scheme", Hint: hintUseNTLM}
		}
	}
	return nil
}
