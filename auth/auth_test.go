package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
	gokeyring "github.com/zalando/go-keyring"

	"github.com/frontdesk-app/frontdesk/calendar"
)

func TestAuthority(t *testing.T) {
	tests := []struct {
		name, cloud, tenant, override string
		want                          string
		wantDiscovery                 bool
		wantErr                       bool
	}{
		{"global", "global", "contoso.onmicrosoft.com", "", "https://login.microsoftonline.com/contoso.onmicrosoft.com", true, false},
		{"empty cloud is global", "", "organizations", "", "https://login.microsoftonline.com/organizations", true, false},
		{"empty tenant is organizations", "global", "", "", "https://login.microsoftonline.com/organizations", true, false},
		{"usgov", "usgov", "72f988bf-86f1-41af-91ab-2d7cd011db47", "", "https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47", true, false},
		{"usgov-dod", "usgov-dod", "contoso.us", "", "https://login.microsoftonline.us/contoso.us", true, false},
		{"china", "china", "contoso.partner.onmschina.cn", "", "https://login.chinacloudapi.cn/contoso.partner.onmschina.cn", true, false},
		{"unknown cloud", "germany", "contoso", "", "", false, true},
		{"tenant with a path", "global", "contoso/evil", "", "", false, true},
		{"override wins, no discovery", "china", "ignored", "https://127.0.0.1:8443/contoso/", "https://127.0.0.1:8443/contoso", false, false},
		{"override must be https", "global", "", "http://127.0.0.1:8443/contoso", "", false, true},
		{"override must name a tenant", "global", "", "https://127.0.0.1:8443/", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, discovery, err := Authority(tt.cloud, tt.tenant, tt.override)
			if tt.wantErr {
				if calendar.KindOf(err) != calendar.KindConfig {
					t.Fatalf("err = %v, want a KindConfig error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || discovery != tt.wantDiscovery {
				t.Errorf("Authority = %q, discovery %v; want %q, %v", got, discovery, tt.want, tt.wantDiscovery)
			}
		})
	}
}

// callErr builds the error MSAL returns for an HTTP failure from the token endpoint.
func callErr(status int, body string, header http.Header) error {
	resp := &http.Response{StatusCode: status, Header: header}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	return msalerrors.CallErr{Resp: resp, Err: fmt.Errorf("http call(https://login.microsoftonline.com/contoso/oauth2/v2.0/token)(POST) error: reply status code was %d:\n%s", status, body)}
}

func entraBody(oauthError, code, text string) string {
	return fmt.Sprintf(`{"error":%q,"error_description":"%s: %s Trace ID: 0a1b2c3d-0000-4000-8000-000000000000 Correlation ID: 5e6f7a8b-0000-4000-8000-000000000000","error_codes":[%s]}`, oauthError, code, text, strings.TrimPrefix(code, "AADSTS"))
}

func TestClassify(t *testing.T) {
	c := classifier{tenant: "contoso.onmicrosoft.com", clientID: testClientID}
	consentURL := "https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=" + testClientID
	tests := []struct {
		name       string
		err        error
		kind       calendar.Kind
		code       string
		hint       string // substring
		retryAfter time.Duration
	}{
		{"locked", callErr(400, entraBody("invalid_grant", "AADSTS50053", "The account is locked."), nil), calendar.KindLocked, "AADSTS50053", "locked", 0},
		{"bad password", callErr(400, entraBody("invalid_grant", "AADSTS50126", "Error validating credentials."), nil), calendar.KindAuth, "AADSTS50126", "password", 0},
		{"password expired", callErr(401, entraBody("user_password_expired", "AADSTS50055", "The password is expired."), nil), calendar.KindAuth, "AADSTS50055", "expired", 0},
		{"password expired 50144", callErr(400, entraBody("invalid_grant", "AADSTS50144", "Password expired."), nil), calendar.KindAuth, "AADSTS50144", "expired", 0},
		{"disabled", callErr(400, entraBody("invalid_grant", "AADSTS50057", "The user account is disabled."), nil), calendar.KindLocked, "AADSTS50057", "disabled", 0},
		{"mfa 50076", callErr(400, entraBody("interaction_required", "AADSTS50076", "MFA required."), nil), calendar.KindAuth, "AADSTS50076", "verification", 0},
		{"mfa 50079", callErr(400, entraBody("interaction_required", "AADSTS50079", "Enroll MFA."), nil), calendar.KindAuth, "AADSTS50079", "verification", 0},
		{"conditional access", callErr(400, entraBody("invalid_grant", "AADSTS53003", "Blocked by CA."), nil), calendar.KindPermission, "AADSTS53003", "policy", 0},
		{"consent", callErr(400, entraBody("invalid_grant", "AADSTS65001", "The user or administrator has not consented."), nil), calendar.KindPermission, "AADSTS65001", consentURL, 0},
		{"admin approval", callErr(400, entraBody("invalid_grant", "AADSTS90094", "Admin approval required."), nil), calendar.KindPermission, "AADSTS90094", consentURL, 0},
		{"token expired 50173", callErr(400, entraBody("invalid_grant", "AADSTS50173", "The provided grant has expired."), nil), calendar.KindAuth, "AADSTS50173", "sign in again", 0},
		{"token expired 50132", callErr(400, entraBody("invalid_grant", "AADSTS50132", "Session revoked."), nil), calendar.KindAuth, "AADSTS50132", "sign in again", 0},
		{"token expired 700082", callErr(400, entraBody("invalid_grant", "AADSTS700082", "The refresh token has expired due to inactivity."), nil), calendar.KindAuth, "AADSTS700082", "sign in again", 0},
		{"wrong app", callErr(400, entraBody("unauthorized_client", "AADSTS700016", "Application not found in the directory."), nil), calendar.KindConfig, "AADSTS700016", "client_id", 0},
		{"wrong tenant", callErr(400, entraBody("invalid_request", "AADSTS90002", "Tenant not found."), nil), calendar.KindConfig, "AADSTS90002", "tenant", 0},
		{"loop", callErr(400, entraBody("invalid_grant", "AADSTS50196", "Loop detected."), nil), calendar.KindThrottled, "AADSTS50196", "wait", loopBackoff},
		{"interactive redirect error keeps the code", errors.New("AADSTS65001: The user or administrator has not consented to use the application."), calendar.KindPermission, "AADSTS65001", consentURL, 0},
		{"invalid_grant without code", callErr(400, `{"error":"invalid_grant","error_description":"grant request is invalid"}`, nil), calendar.KindAuth, "invalid_grant", "sign in again", 0},
		{"interaction_required", callErr(400, `{"error":"interaction_required"}`, nil), calendar.KindAuth, "interaction_required", "sign in again", 0},
		{"consent_required", callErr(400, `{"error":"consent_required"}`, nil), calendar.KindPermission, "consent_required", consentURL, 0},
		{"slow_down", callErr(400, `{"error":"slow_down"}`, http.Header{"Retry-After": {"7"}}), calendar.KindThrottled, "slow_down", "slow down", 7 * time.Second},
		{"temporarily_unavailable", callErr(503, `{"error":"temporarily_unavailable"}`, nil), calendar.KindTransient, "temporarily_unavailable", "network", 0},
		{"429 with fractional Retry-After", callErr(429, `Too Many Requests`, http.Header{"Retry-After": {"2.5"}}), calendar.KindThrottled, "", "slow down", 2500 * time.Millisecond},
		{"500 without body", callErr(500, "", nil), calendar.KindTransient, "", "network", 0},
		{"other 400 is never retried", callErr(400, `{"error":"invalid_request"}`, nil), calendar.KindAuth, "", "Sign-in", 0},
		{"network down", fmt.Errorf("server response error:\n %w", &net.OpError{Op: "dial", Err: errors.New("connection refused")}), calendar.KindTransient, "", "network", 0},
		{"cancelled", context.Canceled, calendar.KindAuth, "", "cancelled", 0},
		{"keyring error passes through", keyringUnavailable("get", errors.New("locked")), calendar.KindAuth, "keyring_unavailable", "keyring", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.classify("token", tt.err)
			var ce *calendar.Error
			if !errors.As(err, &ce) {
				t.Fatalf("classify = %T %v, want *calendar.Error", err, err)
			}
			if ce.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v", ce.Kind, tt.kind)
			}
			if tt.code != "" && ce.Code != tt.code {
				t.Errorf("Code = %q, want %q", ce.Code, tt.code)
			}
			if !strings.Contains(strings.ToLower(ce.HintText()), strings.ToLower(tt.hint)) {
				t.Errorf("Hint = %q, want it to mention %q", ce.HintText(), tt.hint)
			}
			if strings.Count(strings.TrimSuffix(ce.Hint, "."), ". ") > 0 {
				t.Errorf("Hint %q is more than one sentence", ce.Hint)
			}
			if ce.RetryAfter != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", ce.RetryAfter, tt.retryAfter)
			}
		})
	}
}

func TestClassifyScrubsTokens(t *testing.T) {
	rt := randomToken(600)
	err := classifier{}.classify("token", errors.New("invalid_grant: refresh_token="+rt+" rejected"))
	if strings.Contains(err.Error(), rt) {
		t.Fatalf("error text carries the token: %v", err)
	}
}

func TestSignInThenSilentTokenInAnotherProcess(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(2560), t.TempDir()
	opened := 0
	c := newTestClient(t, idp, kr, dir, &opened)
	res, err := c.SignIn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if opened != 1 || res.Account.Username != "alice@contoso.com" || !strings.HasSuffix(res.Account.HomeAccountID, "."+testTenantID) {
		t.Fatalf("opened %d, account %+v", opened, res.Account)
	}
	if got := idp.tokenRequests()[0].Get("grant_type"); got != "authorization_code" {
		t.Fatalf("first grant = %q", got)
	}

	// A second process: same state dir and keyring, fresh MSAL client.
	second := newTestClient(t, idp, kr, dir, &opened)
	token, err := second.Token(context.Background(), GraphScopes)
	if err != nil {
		t.Fatal(err)
	}
	if opened != 1 || len(idp.tokenRequests()) != 1 {
		t.Fatalf("silent token opened a browser (%d) or called the server (%d requests)", opened, len(idp.tokenRequests()))
	}
	if token != idp.issued[0] {
		t.Fatal("silent token is not the one issued at sign-in")
	}
	acct, err := second.CurrentAccount(context.Background())
	if err != nil || acct.HomeAccountID != res.Account.HomeAccountID {
		t.Fatalf("CurrentAccount = %+v, %v", acct, err)
	}
}

// The cache of one account is several KB: more than a Windows keyring item
// holds. Only the key goes to the keyring.
func TestCacheFitsKeyringWithItemLimit(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(2560), t.TempDir()
	opened := 0
	c := newTestClient(t, idp, kr, dir, &opened)
	if _, err := c.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	plain := c.cache.plain
	if len(plain) < 5000 {
		t.Fatalf("MSAL cache is %d bytes; the test needs a realistic multi-KB cache", len(plain))
	}
	t.Logf("MSAL cache: %d bytes; keyring items: %d", len(plain), len(kr.items))
	for key, v := range kr.items {
		if len(v) > 2560 {
			t.Errorf("keyring item %s is %d bytes", key, len(v))
		}
	}
	// The naive design, the whole cache as one item, is refused by such a keyring.
	if err := kr.Set(context.Background(), KeyringService, "naive-cache", string(plain)); !errors.Is(err, ErrTooBig) {
		t.Fatalf("naive single-item store: err = %v, want ErrTooBig", err)
	}
	sealed, err := os.ReadFile(filepath.Join(dir, cacheFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range idp.issued {
		if bytes.Contains(sealed, []byte(tok[:40])) {
			t.Fatal("cache file holds a token in clear")
		}
	}
	// And it reads back in a new process.
	if _, err := newTestClient(t, idp, kr, dir, &opened).Token(context.Background(), GraphScopes); err != nil {
		t.Fatal(err)
	}
}

func TestCacheWritesThroughOnlyOnChange(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(2560), t.TempDir()
	opened := 0
	c := newTestClient(t, idp, kr, dir, &opened)
	if _, err := c.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	writes := c.cache.fileWrites
	gets, sets := kr.counts()
	if writes != 1 || sets != 1 {
		t.Fatalf("after sign-in: %d file writes, %d keyring sets; want 1, 1", writes, sets)
	}
	steps := []struct {
		name          string
		expiresIn     int
		wantRequests  int
		wantNewWrites int
	}{
		{"cached token", 3600, 0, 0},
		{"cached token again", 3600, 0, 0},
		// MSAL refreshes tokens expiring within five minutes: new tokens, one write.
		{"refresh", 0, 1, 1},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before, beforeWrites := len(idp.tokenRequests()), c.cache.fileWrites
			if s.expiresIn == 0 {
				// Make the cached token look expired by signing in a short-lived one first.
				idp.mu.Lock()
				idp.expires = 60
				idp.mu.Unlock()
				if _, err := c.Token(context.Background(), []string{"Presence.Read.All"}); err != nil {
					t.Fatal(err)
				}
				before, beforeWrites = len(idp.tokenRequests()), c.cache.fileWrites
				if _, err := c.Token(context.Background(), []string{"Presence.Read.All"}); err != nil {
					t.Fatal(err)
				}
			} else if _, err := c.Token(context.Background(), GraphScopes); err != nil {
				t.Fatal(err)
			}
			if got := len(idp.tokenRequests()) - before; got != s.wantRequests {
				t.Errorf("%d token requests, want %d", got, s.wantRequests)
			}
			if got := c.cache.fileWrites - beforeWrites; got != s.wantNewWrites {
				t.Errorf("%d cache writes, want %d", got, s.wantNewWrites)
			}
		})
	}
	if _, sets2 := kr.counts(); sets2 != sets {
		t.Errorf("keyring written %d more times after sign-in; the key is written once", sets2-sets)
	}
	if gets2, _ := kr.counts(); gets2 != gets {
		t.Errorf("keyring read %d more times; the key is kept in memory", gets2-gets)
	}
}

func TestCacheRereadsWhenAnotherProcessWrites(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	opened := 0
	a := newTestClient(t, idp, kr, dir, &opened)
	b := newTestClient(t, idp, kr, dir, &opened)
	if _, err := b.CurrentAccount(context.Background()); calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("before sign-in: %v", err)
	}
	if _, err := a.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CurrentAccount(context.Background()); err != nil {
		t.Fatalf("the other process does not see the sign-in: %v", err)
	}
}

func TestLockedKeyringFailsBeforeTheBrowserAndWritesNothing(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	kr.unavailable = true
	opened := 0
	c := newTestClient(t, idp, kr, dir, &opened)
	_, err := c.SignIn(context.Background())
	if !IsKeyringUnavailable(err) || calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("err = %v, want the keyring-unavailable auth error", err)
	}
	var ce *calendar.Error
	if errors.As(err, &ce); ce.Hint != "The system keyring is locked or unavailable: unlock it and sign in again." {
		t.Errorf("Hint = %q", ce.Hint)
	}
	if opened != 0 || len(idp.tokenRequests()) != 0 {
		t.Errorf("browser opened %d times, %d token requests", opened, len(idp.tokenRequests()))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("state dir holds %v: no plaintext fallback allowed", entries)
	}
}

func TestLockedKeyringOnTokenIsTheClearError(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	opened := 0
	if _, err := newTestClient(t, idp, kr, dir, &opened).SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	kr.unavailable = true
	_, err := newTestClient(t, idp, kr, dir, &opened).Token(context.Background(), GraphScopes)
	if !IsKeyringUnavailable(err) {
		t.Fatalf("err = %v, want keyring unavailable", err)
	}
}

func TestRevokedRefreshTokenAsksToSignInAgainWithoutLooping(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	opened := 0
	c := newTestClient(t, idp, kr, dir, &opened)
	if _, err := c.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	idp.failStatus, idp.failBody = 400, entraBody("invalid_grant", "AADSTS50173", "The provided grant has expired due to it being revoked.")
	before := len(idp.tokenRequests())
	for i := range 3 {
		_, err := c.Token(context.Background(), PresenceScopes) // not cached: needs the refresh token
		if calendar.KindOf(err) != calendar.KindAuth || !calendar.IsFatalForPolling(err) {
			t.Fatalf("call %d: err = %v, want KindAuth", i, err)
		}
	}
	if got := len(idp.tokenRequests()) - before; got != 3 {
		t.Errorf("%d token requests for 3 calls: an auth failure must not be retried", got)
	}
	if opened != 1 {
		t.Errorf("Token opened a browser")
	}
}

func TestPresenceWithoutConsentDoesNotBlockSignIn(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	idp.failStatus, idp.failScope = 400, "Presence.Read.All"
	idp.failBody = entraBody("invalid_grant", "AADSTS65001", "The user or administrator has not consented to use the application.")
	opened := 0
	c, err := New(Options{Tenant: testTenant, ClientID: testClientID, AuthorityURL: idp.authority(), Presence: true,
		StateDir: dir, Keyring: kr, HTTPClient: &http.Client{Transport: idp}, OpenURL: loopbackBrowser(t, &opened)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SignIn(context.Background())
	if err != nil {
		t.Fatalf("sign-in failed for an optional scope: %v", err)
	}
	if calendar.KindOf(res.PresenceErr) != calendar.KindPermission {
		t.Fatalf("PresenceErr = %v, want KindPermission", res.PresenceErr)
	}
	if _, err := c.Token(context.Background(), GraphScopes); err != nil {
		t.Fatalf("calendar token after presence was refused: %v", err)
	}
	// Presence was asked in the first consent; refused, the sign-in was made
	// again for the calendar scopes alone.
	reqs := idp.tokenRequests()
	if len(reqs) < 2 || !strings.Contains(reqs[0].Get("scope"), "Presence.Read.All") || strings.Contains(reqs[1].Get("scope"), "Presence.Read.All") {
		t.Errorf("token requests %v, want presence in the first and not in the retry", scopesOf(reqs))
	}
	if opened != 2 || !ConsentRefused(res.PresenceErr) {
		t.Errorf("browser opened %d times (want 2), PresenceErr %v", opened, res.PresenceErr)
	}
}

// With presence on, one sign-in asks for the calendar and presence scopes
// together: one browser, one consent screen, and presence works at once.
func TestSignInAsksPresenceInTheSameConsent(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	opened := 0
	c, err := New(Options{Tenant: testTenant, ClientID: testClientID, AuthorityURL: idp.authority(), Presence: true,
		StateDir: dir, Keyring: kr, HTTPClient: &http.Client{Transport: idp}, OpenURL: loopbackBrowser(t, &opened)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SignIn(context.Background())
	if err != nil || res.PresenceErr != nil {
		t.Fatalf("SignIn = %v, presence %v", err, res.PresenceErr)
	}
	reqs := idp.tokenRequests()
	if opened != 1 || len(reqs) != 1 {
		t.Fatalf("browser opened %d times, %d token requests %v: want one of each", opened, len(reqs), scopesOf(reqs))
	}
	for _, scope := range append(append([]string(nil), GraphScopes...), PresenceScopes...) {
		if !strings.Contains(reqs[0].Get("scope"), scope) {
			t.Errorf("the sign-in did not ask for %s: %q", scope, reqs[0].Get("scope"))
		}
	}
}

func scopesOf(reqs []url.Values) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Get("scope"))
	}
	return out
}

func TestSeveralAccounts(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	opened := 0
	c := newTestClient(t, idp, kr, dir, &opened)
	if _, err := c.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	idp.user = "bob.reception@contoso.com"
	bob, err := c.SignIn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := newTestClient(t, idp, kr, dir, &opened).CurrentAccount(context.Background())
	if err != nil || got.Username != "bob.reception@contoso.com" || got.HomeAccountID != bob.Account.HomeAccountID {
		t.Fatalf("CurrentAccount = %+v, %v; want the account chosen last", got, err)
	}
	// Without a recorded choice, Frontdesk does not guess between two people.
	if err := os.Remove(filepath.Join(dir, chosenAccountFile)); err != nil {
		t.Fatal(err)
	}
	_, err = newTestClient(t, idp, kr, dir, &opened).Token(context.Background(), GraphScopes)
	if calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("err = %v, want KindAuth", err)
	}
}

func TestNotSignedIn(t *testing.T) {
	opened := 0
	kr := newMemKeyring(0)
	_, err := newTestClient(t, newFakeIdP(), kr, t.TempDir(), &opened).Token(context.Background(), GraphScopes)
	var ce *calendar.Error
	if !errors.As(err, &ce) || ce.Kind != calendar.KindAuth || ce.Hint != HintNotSignedIn {
		t.Fatalf("err = %v", err)
	}
	if gets, sets := kr.counts(); gets+sets != 0 {
		t.Errorf("keyring used without a cache: %d gets, %d sets", gets, sets)
	}
}

func TestSignOutRemovesEverySecret(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	opened := 0
	c := newTestClient(t, idp, kr, dir, &opened)
	if _, err := c.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := NewCredentialStore(kr).SetEWSPassword(context.Background(), "CONTOSO\\alice", "hunter2"); err != nil {
		t.Fatal(err)
	}
	if err := c.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(kr.items) != 0 {
		t.Errorf("keyring still holds %v", kr.items)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() == cacheFileName || e.Name() == chosenAccountFile {
			t.Errorf("%s left behind", e.Name())
		}
	}
	if _, err := newTestClient(t, idp, kr, dir, &opened).Token(context.Background(), GraphScopes); calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("after sign-out: %v", err)
	}
}

func TestCredentialStore(t *testing.T) {
	ctx := context.Background()
	kr := newMemKeyring(2560)
	s := NewCredentialStore(kr)
	if _, err := s.EWSPassword(ctx, "alice"); calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("missing password: %v", err)
	}
	if err := s.SetEWSPassword(ctx, "CONTOSO\\Alice", "first"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEWSPassword(ctx, "contoso\\alice", "second"); err != nil {
		t.Fatal(err)
	}
	pw, err := s.EWSPassword(ctx, "CONTOSO\\ALICE")
	if err != nil || pw.Reveal() != "second" {
		t.Fatalf("EWSPassword = %v, %v", pw.Reveal(), err)
	}
	if err := s.DeleteEWSPassword(ctx, "contoso\\alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEWSPassword(ctx, "contoso\\alice"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	kr.unavailable = true
	if _, err := s.EWSPassword(ctx, "alice"); !IsKeyringUnavailable(err) {
		t.Fatalf("locked keyring: %v", err)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	s := Secret("hunter2-refresh-token")
	log.Info("x", "value", s, "nested", slog.GroupValue(slog.Any("pw", s)))
	fmt.Fprintf(&buf, "%v %s %+v %#v %q", s, s, s, s, s)
	if strings.Contains(buf.String(), "hunter2") {
		t.Fatalf("secret leaked: %s", buf.String())
	}
}

// slowBackend is an OS keyring that never answers, like a Secret Service
// waiting on an unlock prompt nobody sees.
type slowBackend struct{ release chan struct{} }

func (b slowBackend) wait() error                     { <-b.release; return nil }
func (b slowBackend) Set(_, _, _ string) error        { return b.wait() }
func (b slowBackend) Get(_, _ string) (string, error) { return "", b.wait() }
func (b slowBackend) Delete(_, _ string) error        { return b.wait() }
func (b slowBackend) DeleteAll(_ string) error        { return b.wait() }

type failingBackend struct{ err error }

func (b failingBackend) Set(_, _, _ string) error        { return b.err }
func (b failingBackend) Get(_, _ string) (string, error) { return "", b.err }
func (b failingBackend) Delete(_, _ string) error        { return b.err }
func (b failingBackend) DeleteAll(_ string) error        { return b.err }

func TestSystemKeyringTimeoutsAndErrors(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	tests := []struct {
		name     string
		backend  gokeyring.Keyring
		check    func(error) bool
		maxTaken time.Duration
	}{
		{"hung backend times out as unavailable", slowBackend{release}, IsKeyringUnavailable, 2 * time.Second},
		{"not found is ours", failingBackend{gokeyring.ErrNotFound}, func(err error) bool { return errors.Is(err, ErrNotFound) }, time.Second},
		{"too big is ours", failingBackend{gokeyring.ErrSetDataTooBig}, func(err error) bool { return errors.Is(err, ErrTooBig) }, time.Second},
		{"dbus failure is unavailable", failingBackend{errors.New("The name org.freedesktop.secrets was not provided by any .service files")}, IsKeyringUnavailable, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := SystemKeyring{Timeout: 100 * time.Millisecond, backend: tt.backend}
			ops := map[string]func() error{
				"get":        func() error { _, err := kr.Get(context.Background(), "s", "k"); return err },
				"set":        func() error { return kr.Set(context.Background(), "s", "k", "v") },
				"delete":     func() error { return kr.Delete(context.Background(), "s", "k") },
				"delete all": func() error { return kr.DeleteAll(context.Background(), "s") },
			}
			for name, op := range ops {
				start := time.Now()
				err := op()
				if !tt.check(err) {
					t.Errorf("%s: err = %v", name, err)
				}
				if took := time.Since(start); took > tt.maxTaken {
					t.Errorf("%s took %v", name, took)
				}
			}
		})
	}
	// A caller's own deadline is honoured too.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := SystemKeyring{Timeout: time.Hour, backend: slowBackend{release}}.Get(ctx, "s", "k")
	if !IsKeyringUnavailable(err) || time.Since(start) > time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
}

func TestAdminConsentURL(t *testing.T) {
	got := AdminConsentURL("72f988bf-86f1-41af-91ab-2d7cd011db47", testClientID)
	want := "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/adminconsent?client_id=" + testClientID
	if got != want {
		t.Errorf("got %s", got)
	}
}

// Meeting rooms are asked in the same consent as calendars and presence. A
// tenant that has not approved Place.Read.All gets a second sign-in without
// it, presence kept; the sign-in succeeds and RoomsErr says why rooms are off.
func TestRoomsAskedInTheSameConsentWithFallback(t *testing.T) {
	for _, tc := range []struct {
		name         string
		failScope    string
		opened       int
		roomsRefused bool
		presenceOff  bool
	}{
		{"granted", "", 1, false, false},
		{"rooms refused", "Place.Read.All", 2, true, false},
		{"presence refused too", "Presence.Read.All", 3, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
			if tc.failScope != "" {
				idp.failStatus, idp.failScope = 400, tc.failScope
				idp.failBody = entraBody("invalid_grant", "AADSTS65001", "The user or administrator has not consented to use the application.")
			}
			opened := 0
			c, err := New(Options{Tenant: testTenant, ClientID: testClientID, AuthorityURL: idp.authority(), Presence: true, Rooms: true,
				StateDir: dir, Keyring: kr, HTTPClient: &http.Client{Transport: idp}, OpenURL: loopbackBrowser(t, &opened)})
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.SignIn(context.Background())
			if err != nil {
				t.Fatalf("sign-in failed for an optional scope: %v", err)
			}
			reqs := idp.tokenRequests()
			if first := reqs[0].Get("scope"); !strings.Contains(first, "Place.Read.All") || !strings.Contains(first, "Presence.Read.All") || !strings.Contains(first, "Calendars.ReadBasic") {
				t.Fatalf("the first consent asked %q, want calendars, presence and rooms together", first)
			}
			if opened != tc.opened {
				t.Errorf("browser opened %d times, want %d (%v)", opened, tc.opened, scopesOf(reqs))
			}
			if (res.RoomsErr != nil) != tc.roomsRefused || (tc.roomsRefused && calendar.KindOf(res.RoomsErr) != calendar.KindPermission) {
				t.Errorf("RoomsErr %v, want refused %v", res.RoomsErr, tc.roomsRefused)
			}
			if (res.PresenceErr != nil) != tc.presenceOff {
				t.Errorf("PresenceErr %v, want off %v", res.PresenceErr, tc.presenceOff)
			}
			if _, err := c.Token(context.Background(), GraphScopes); err != nil {
				t.Fatalf("calendar token: %v", err)
			}
		})
	}
}

// Rooms off (the config's rooms = false): no sign-in asks for Place.Read.All,
// so a tenant that refuses it signs in at the first attempt, one browser
// page, and no rooms token is asked for afterwards.
func TestRoomsOffAsksNoPlaceScope(t *testing.T) {
	idp, kr, dir := newFakeIdP(), newMemKeyring(0), t.TempDir()
	idp.failStatus, idp.failScope = 400, "Place.Read.All"
	idp.failBody = entraBody("invalid_grant", "AADSTS90094", "Admin consent is required for the permissions requested by this application.")
	opened := 0
	c, err := New(Options{Tenant: testTenant, ClientID: testClientID, AuthorityURL: idp.authority(), Presence: true, Rooms: false,
		StateDir: dir, Keyring: kr, HTTPClient: &http.Client{Transport: idp}, OpenURL: loopbackBrowser(t, &opened)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SignIn(context.Background())
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	if opened != 1 || res.RoomsErr != nil || res.PresenceErr != nil {
		t.Errorf("browser opened %d times, rooms %v, presence %v; want once, nil, nil", opened, res.RoomsErr, res.PresenceErr)
	}
	for _, scope := range scopesOf(idp.tokenRequests()) {
		if strings.Contains(scope, "Place.Read.All") {
			t.Errorf("a token request asked %q with the rooms off", scope)
		}
	}
}
