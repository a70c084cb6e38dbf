// Package auth signs the operator in to Microsoft 365 with MSAL's public-client
// flows (system browser with a loopback redirect, or device code), keeps the
// token cache encrypted with a key held in the OS keyring, hands access tokens
// to the Graph source silently, stores the EWS password, and turns identity
// failures into calendar.Error values the refresh engine and the UI act on.
package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// GraphScopes are what the console cannot work without. MSAL always adds
// openid, profile and offline_access (the refresh token) itself; passing
// offline_access explicitly would make MSAL report it as declined, because
// Entra does not echo it in the granted scopes.
var GraphScopes = []string{"User.Read", "Calendars.ReadBasic", "User.ReadBasic.All"}

// PresenceScopes are optional: without consent the console shows no presence.
var PresenceScopes = []string{"Presence.Read.All"}

// RoomScopes are optional too: they list the organisation's meeting rooms
// (Place.Read.All, which needs an administrator's approval). Without them the
// rooms view says so and nothing else changes.
var RoomScopes = []string{"Place.Read.All"}

// Authority hosts per national cloud.
var cloudAuthorityHosts = map[string]string{
	"global":    "login.microsoftonline.com",
	"usgov":     "login.microsoftonline.us",
	"usgov-dod": "login.microsoftonline.us",
	"china":     "login.chinacloudapi.cn",
}

// Authority returns the authority URL for a cloud and tenant, or override when
// set. instanceDiscovery is false for an override: MSAL would otherwise ask
// login.microsoftonline.com to vouch for a host it does not know.
func Authority(cloud, tenant, override string) (authority string, instanceDiscovery bool, err error) {
	if override != "" {
		u, err := url.Parse(override)
		if err != nil || u.Host == "" {
			return "", false, &calendar.Error{Kind: calendar.KindConfig, Op: "authority", Hint: "microsoft365.authority_url is not an address.", Err: fmt.Errorf("%q", override)}
		}
		if u.Scheme != "https" {
			return "", false, &calendar.Error{Kind: calendar.KindConfig, Op: "authority", Hint: "microsoft365.authority_url must use https.", Err: fmt.Errorf("%q", override)}
		}
		if strings.Trim(u.Path, "/") == "" {
			return "", false, &calendar.Error{Kind: calendar.KindConfig, Op: "authority", Hint: "microsoft365.authority_url must name the tenant, as in https://login.microsoftonline.com/contoso.onmicrosoft.com.", Err: fmt.Errorf("%q", override)}
		}
		return strings.TrimRight(override, "/"), false, nil
	}
	if cloud == "" {
		cloud = "global"
	}
	host, ok := cloudAuthorityHosts[cloud]
	if !ok {
		return "", false, &calendar.Error{Kind: calendar.KindConfig, Op: "authority", Hint: "microsoft365.cloud must be one of global, usgov, usgov-dod, china.", Err: fmt.Errorf("cloud %q", cloud)}
	}
	if tenant == "" {
		tenant = "organizations"
	}
	if strings.ContainsAny(tenant, "/?# ") {
		return "", false, &calendar.Error{Kind: calendar.KindConfig, Op: "authority", Hint: "microsoft365.tenant must be a GUID, a domain or \"organizations\".", Err: fmt.Errorf("tenant %q", tenant)}
	}
	return "https://" + host + "/" + tenant, true, nil
}

// Options configure a Client.
type Options struct {
	Tenant       string
	ClientID     string
	Cloud        string // global | usgov | usgov-dod | china
	AuthorityURL string // https only; overrides Cloud and Tenant (tests, private clouds)
	Presence     bool   // also ask for presence after sign-in
	Rooms        bool   // also ask to list meeting rooms (Place.Read.All)

	// StateDir holds the encrypted token cache and the chosen account (no secrets in clear).
	StateDir string
	// Keyring holds the cache key; nil means the system keyring.
	Keyring Keyring
	// HTTPClient talks to the identity server; nil means a private client with timeouts.
	HTTPClient *http.Client
	// OpenURL opens the sign-in page; nil means the system browser.
	OpenURL func(url string) error
	Logger  *slog.Logger
}

// Account is the signed-in identity, without secrets.
type Account struct {
	HomeAccountID string `json:"home_account_id"`
	Username      string `json:"username"`
	Environment   string `json:"environment"`
}

// SignInResult is the outcome of an interactive or device-code sign-in.
type SignInResult struct {
	Account Account
	// PresenceErr is why presence is unavailable (nil when it works or was not asked for).
	// Missing consent for presence never fails the sign-in.
	PresenceErr error
	// RoomsErr is why the meeting rooms cannot be listed (nil when they can
	// or were not asked for). It never fails the sign-in either.
	RoomsErr error
}

// DeviceCodePrompt is what the operator must do to finish a device-code sign-in.
type DeviceCodePrompt struct {
	// Message is Microsoft's own instruction ("To sign in, use a web browser to open ...").
	Message         string
	VerificationURL string
	UserCode        string
	ExpiresOn       time.Time
}

// Client signs in and hands out tokens. It is safe for concurrent use.
type Client struct {
	opts     Options
	pca      public.Client
	cache    *EncryptedCache
	keyring  Keyring
	classify func(op string, err error) error
	log      *slog.Logger
}

// New builds the MSAL public client. It does no network or keyring I/O.
func New(opts Options) (*Client, error) {
	if opts.ClientID == "" {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "auth", Hint: "microsoft365.client_id is empty: set the Application (client) ID of your Entra app registration."}
	}
	if opts.StateDir == "" {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "auth", Hint: "Frontdesk has no state folder to keep the sign-in in."}
	}
	authority, discovery, err := Authority(opts.Cloud, opts.Tenant, opts.AuthorityURL)
	if err != nil {
		return nil, err
	}
	if opts.Keyring == nil {
		opts.Keyring = SystemKeyring{}
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 60 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c := &Client{
		opts:    opts,
		cache:   NewEncryptedCache(opts.StateDir, opts.Keyring),
		keyring: opts.Keyring,
		log:     opts.Logger,
	}
	c.classify = classifier{tenant: opts.Tenant, clientID: opts.ClientID}.classify
	c.pca, err = public.New(opts.ClientID,
		public.WithAuthority(authority),
		public.WithInstanceDiscovery(discovery),
		public.WithHTTPClient(opts.HTTPClient),
		public.WithCache(c.cache),
	)
	if err != nil {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "auth", Hint: "The Microsoft 365 sign-in settings are not valid: check microsoft365.authority_url, tenant and client_id.", Err: err}
	}
	return c, nil
}

// SignIn opens the system browser at the Microsoft sign-in page and waits for the
// loopback redirect. It checks the keyring first so a locked keyring is reported
// before the operator types a password. With presence on, the calendar and
// presence scopes are asked together: one consent screen. A tenant that refuses
// presence (consent or admin approval needed) gets a second sign-in for the
// calendar scopes alone, and SignInResult.PresenceErr says why presence is off.
func (c *Client) SignIn(ctx context.Context) (SignInResult, error) {
	if err := c.cache.EnsureKey(ctx); err != nil {
		return SignInResult{}, err
	}
	var opts []public.AcquireInteractiveOption
	if c.opts.OpenURL != nil {
		opts = append(opts, public.WithOpenURL(c.opts.OpenURL))
	}
	interactive := func(scopes []string) (public.Account, error) {
		res, err := c.pca.AcquireTokenInteractive(ctx, scopes, opts...)
		if err != nil {
			err = c.classify("sign-in", err)
			c.logFailure("interactive sign-in failed", err)
			return public.Account{}, err
		}
		return res.Account, nil
	}
	acct, refused, err := c.withPresenceFallback(interactive)
	if err != nil {
		return SignInResult{}, err
	}
	return c.finishSignIn(ctx, acct, "interactive", refused)
}

// signInScopes are the scopes one sign-in asks consent for: the calendars',
// and presence's and the rooms' when asked for.
func (c *Client) signInScopes(presence, rooms bool) []string {
	scopes := append([]string(nil), GraphScopes...)
	if presence {
		scopes = append(scopes, PresenceScopes...)
	}
	if rooms {
		scopes = append(scopes, RoomScopes...)
	}
	return scopes
}

// refusedScopes says which optional scopes a sign-in went without, and why.
type refusedScopes struct{ presence, rooms error }

// withPresenceFallback runs a sign-in with every scope (one consent screen).
// When the tenant refuses, it signs in again without the rooms (which need
// an administrator's approval more often than presence does), then without
// presence too, so the calendars always work.
func (c *Client) withPresenceFallback(signIn func(scopes []string) (public.Account, error)) (public.Account, refusedScopes, error) {
	var refused refusedScopes
	presence, rooms := c.opts.Presence, c.opts.Rooms
	acct, err := signIn(c.signInScopes(presence, rooms))
	if err == nil || !ConsentRefused(err) {
		return acct, refused, err
	}
	if rooms {
		c.log.Info("meeting rooms refused by the tenant; signing in without them", "err", err)
		refused.rooms, rooms = err, false
		if acct, err = signIn(c.signInScopes(presence, rooms)); err == nil || !ConsentRefused(err) {
			return acct, refused, err
		}
	}
	if !presence {
		return acct, refused, err
	}
	c.log.Info("presence refused by the tenant; signing in for calendars alone", "err", err)
	refused.presence = err
	acct, err = signIn(GraphScopes)
	return acct, refused, err
}

// ConsentRefused reports whether Entra refused a scope for want of consent
// (AADSTS65001) or an administrator's approval (AADSTS90094).
func ConsentRefused(err error) bool {
	var ce *calendar.Error
	return errors.As(err, &ce) && (ce.Code == "AADSTS65001" || ce.Code == "AADSTS90094")
}

// SignInWithDeviceCode signs in on another device's browser: show receives the
// code and URL to display, then this waits until the operator finishes there.
// Presence is asked in the same consent, with the same fallback as SignIn.
func (c *Client) SignInWithDeviceCode(ctx context.Context, show func(DeviceCodePrompt)) (SignInResult, error) {
	if err := c.cache.EnsureKey(ctx); err != nil {
		return SignInResult{}, err
	}
	byCode := func(scopes []string) (public.Account, error) {
		dc, err := c.pca.AcquireTokenByDeviceCode(ctx, scopes)
		if err != nil {
			err = c.classify("device code", err)
			c.logFailure("device code request failed", err)
			return public.Account{}, err
		}
		show(DeviceCodePrompt{Message: dc.Result.Message, VerificationURL: dc.Result.VerificationURL, UserCode: dc.Result.UserCode, ExpiresOn: dc.Result.ExpiresOn})
		res, err := dc.AuthenticationResult(ctx)
		if err != nil {
			err = c.classify("device code sign-in", err)
			c.logFailure("device code sign-in failed", err)
			return public.Account{}, err
		}
		return res.Account, nil
	}
	acct, refused, err := c.withPresenceFallback(byCode)
	if err != nil {
		return SignInResult{}, err
	}
	return c.finishSignIn(ctx, acct, "device code", refused)
}

func (c *Client) finishSignIn(ctx context.Context, acct public.Account, how string, refused refusedScopes) (SignInResult, error) {
	presenceErr := refused.presence
	a := Account{HomeAccountID: acct.HomeAccountID, Username: acct.PreferredUsername, Environment: acct.Environment}
	if err := c.saveChosen(a); err != nil {
		return SignInResult{}, cacheFileError(err)
	}
	c.log.Info("signed in", "how", how, "home_account_id", a.HomeAccountID, "username", a.Username)
	result := SignInResult{Account: a, PresenceErr: presenceErr}
	if c.opts.Presence && presenceErr == nil {
		// Consented in the same screen: this comes from the cache. It also
		// catches a tenant that granted the sign-in but not the scope.
		if _, err := c.Token(ctx, PresenceScopes); err != nil {
			result.PresenceErr = err
			c.logFailure("presence unavailable", err)
		}
	}
	result.RoomsErr = refused.rooms
	if c.opts.Rooms && refused.rooms == nil {
		if _, err := c.Token(ctx, RoomScopes); err != nil {
			result.RoomsErr = err
			c.logFailure("meeting rooms unavailable", err)
		}
	}
	return result, nil
}

// Token returns an access token for scopes, from the cache or refreshed with
// the cached refresh token. It never opens a browser: when the operator must
// act it returns a *calendar.Error of KindAuth (sign in again), KindLocked or
// KindPermission, which the refresh engine must not retry.
func (c *Client) Token(ctx context.Context, scopes []string) (string, error) {
	res, err := c.silent(ctx, scopes)
	if err != nil {
		return "", err
	}
	return res.AccessToken, nil
}

// GrantedScopes asks for a token for scopes exactly as Token does (silently,
// never retried) and returns the scopes the identity server granted with it,
// for `frontdesk doctor`.
func (c *Client) GrantedScopes(ctx context.Context, scopes []string) ([]string, error) {
	res, err := c.silent(ctx, scopes)
	if err != nil {
		return nil, err
	}
	return res.GrantedScopes, nil
}

func (c *Client) silent(ctx context.Context, scopes []string) (public.AuthResult, error) {
	acct, err := c.account(ctx)
	if err != nil {
		return public.AuthResult{}, err
	}
	res, err := c.pca.AcquireTokenSilent(ctx, scopes, public.WithSilentAccount(acct))
	if err != nil {
		err = c.classify("token", err)
		var ce *calendar.Error
		if errors.As(err, &ce) && ce.Hint == HintSignInFailed {
			// Silent acquisition failing without a server answer means the cache
			// has no usable refresh token for these scopes.
			ce.Hint = HintSignInAgain
		}
		c.logFailure("silent token failed", err)
		return public.AuthResult{}, err
	}
	calendar.RegisterSecret(Secret(res.AccessToken))
	calendar.RegisterSecret(Secret(res.IDToken.RawToken))
	c.log.Debug("token ready", "scopes", strings.Join(scopes, " "), "expires", res.ExpiresOn.UTC().Format(time.RFC3339))
	return res, nil
}

// CurrentAccount is the account Token uses, from the cache alone (no network).
func (c *Client) CurrentAccount(ctx context.Context) (Account, error) {
	acct, err := c.account(ctx)
	if err != nil {
		return Account{}, err
	}
	return Account{HomeAccountID: acct.HomeAccountID, Username: acct.PreferredUsername, Environment: acct.Environment}, nil
}

// account picks the cached account to use: the one chosen at sign-in; or, when
// none was recorded, the only one cached. It never switches silently to another
// person's account.
func (c *Client) account(ctx context.Context) (public.Account, error) {
	accounts, err := c.pca.Accounts(ctx)
	if err != nil {
		return public.Account{}, c.classify("accounts", err)
	}
	chosen, err := c.loadChosen()
	if err != nil {
		return public.Account{}, cacheFileError(err)
	}
	if chosen.HomeAccountID != "" {
		for _, a := range accounts {
			if a.HomeAccountID == chosen.HomeAccountID {
				return a, nil
			}
		}
		return public.Account{}, notSignedIn("token", "the chosen account is no longer in the token cache")
	}
	switch len(accounts) {
	case 0:
		return public.Account{}, notSignedIn("token", "no account in the token cache")
	case 1:
		return accounts[0], nil
	}
	return public.Account{}, notSignedIn("token", fmt.Sprintf("%d accounts in the token cache and none chosen", len(accounts)))
}

// SignOut forgets every Microsoft 365 account and every Frontdesk secret.
func (c *Client) SignOut(ctx context.Context) error {
	return SignOut(ctx, c.opts.StateDir, c.keyring)
}

// SignOut removes the token cache, the chosen account and every secret Frontdesk
// stored in kr (the cache key and the EWS password). It needs no configuration,
// so a broken config file never keeps secrets on the machine.
func SignOut(ctx context.Context, stateDir string, kr Keyring) error {
	var errs []error
	if err := NewEncryptedCache(stateDir, kr).Clear(ctx, false); err != nil {
		errs = append(errs, err)
	}
	if err := os.Remove(filepath.Join(stateDir, chosenAccountFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, cacheFileError(err))
	}
	if err := kr.DeleteAll(ctx, KeyringService); err != nil && !errors.Is(err, ErrNotFound) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

const chosenAccountFile = "account.json"

func (c *Client) loadChosen() (Account, error) {
	data, err := os.ReadFile(filepath.Join(c.opts.StateDir, chosenAccountFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Account{}, nil
	}
	if err != nil {
		return Account{}, err
	}
	var a Account
	if err := json.Unmarshal(data, &a); err != nil {
		return Account{}, nil // unreadable choice: behave as if none was made
	}
	return a, nil
}

func (c *Client) saveChosen(a Account) error {
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.opts.StateDir, 0o700); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(c.opts.StateDir, chosenAccountFile), data)
}

func (c *Client) logFailure(msg string, err error) {
	var ce *calendar.Error
	if errors.As(err, &ce) {
		c.log.Warn(msg, "kind", ce.Kind.String(), "code", ce.Code, "err", ce.Error())
		return
	}
	c.log.Warn(msg, "err", err.Error())
}
