package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// memKeyring is an in-memory Keyring that can enforce a per-item size limit
// (Windows Credential Manager: 2,560 bytes) and fail like a locked keyring.
type memKeyring struct {
	mu          sync.Mutex
	items       map[string]string
	maxItem     int
	unavailable bool
	gets, sets  int
}

func newMemKeyring(maxItem int) *memKeyring {
	return &memKeyring{items: map[string]string{}, maxItem: maxItem}
}

func (k *memKeyring) Get(_ context.Context, service, key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gets++
	if k.unavailable {
		return "", keyringUnavailable("get", fmt.Errorf("collection is locked"))
	}
	v, ok := k.items[service+"/"+key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(_ context.Context, service, key, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sets++
	if k.unavailable {
		return keyringUnavailable("set", fmt.Errorf("collection is locked"))
	}
	if k.maxItem > 0 && len(secret) > k.maxItem {
		return ErrTooBig
	}
	k.items[service+"/"+key] = secret
	return nil
}

func (k *memKeyring) Delete(_ context.Context, service, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.unavailable {
		return keyringUnavailable("delete", fmt.Errorf("collection is locked"))
	}
	if _, ok := k.items[service+"/"+key]; !ok {
		return ErrNotFound
	}
	delete(k.items, service+"/"+key)
	return nil
}

func (k *memKeyring) DeleteAll(_ context.Context, service string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.unavailable {
		return keyringUnavailable("delete all", fmt.Errorf("collection is locked"))
	}
	for key := range k.items {
		if strings.HasPrefix(key, service+"/") {
			delete(k.items, key)
		}
	}
	return nil
}

func (k *memKeyring) counts() (gets, sets int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.gets, k.sets
}

const (
	testTenant   = "contoso.onmicrosoft.com"
	testTenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testClientID = "11111111-2222-3333-4444-555555555555"
	testHost     = "login.test.invalid"
)

// fakeIdP answers MSAL like Entra ID does, as an http.RoundTripper: no socket
// is opened for the identity server. Tokens are random and sized like Entra's
// (access ~1.9 KB, refresh ~1.3 KB, ID ~1.2 KB), so the MSAL cache has a
// realistic size.
type fakeIdP struct {
	mu       sync.Mutex
	user     string // preferred_username of the next sign-in
	expires  int    // expires_in of issued access tokens
	requests []url.Values
	// fail answers token requests whose scope contains failScope (any if empty)
	// with this status and body.
	failStatus int
	failBody   string
	failScope  string
	issued     []string // every token value handed out
}

func newFakeIdP() *fakeIdP { return &fakeIdP{user: "alice@contoso.com", expires: 3600} }

func (f *fakeIdP) authority() string { return "https://" + testHost + "/" + testTenant }

func (f *fakeIdP) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != testHost {
		return nil, fmt.Errorf("fakeIdP: unexpected host %s", r.URL.Host)
	}
	base := "https://" + testHost + "/" + testTenant
	switch {
	case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
		return jsonResponse(200, map[string]any{
			"issuer":                        base + "/v2.0",
			"authorization_endpoint":        base + "/oauth2/v2.0/authorize",
			"token_endpoint":                base + "/oauth2/v2.0/token",
			"device_authorization_endpoint": base + "/oauth2/v2.0/devicecode",
		}), nil
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		return f.token(form), nil
	}
	return jsonResponse(404, map[string]any{"error": "not_found"}), nil
}

func (f *fakeIdP) token(form url.Values) *http.Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, form)
	if f.failStatus != 0 && (f.failScope == "" || strings.Contains(form.Get("scope"), f.failScope)) {
		return &http.Response{StatusCode: f.failStatus, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(f.failBody))}
	}
	oid := fmt.Sprintf("%08x-0000-0000-0000-000000000001", len(f.user))
	idClaims, _ := json.Marshal(map[string]any{
		"aud": testClientID, "iss": "https://" + testHost + "/" + testTenantID + "/v2.0",
		"iat": time.Now().Unix(), "nbf": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
		"name": "Alice Example", "oid": oid, "preferred_username": f.user, "sub": randomToken(43),
		"tid": testTenantID, "ver": "2.0", "rh": randomToken(60), "uti": randomToken(22),
	})
	idToken := b64(`{"typ":"JWT","alg":"RS256","kid":"abc"}`) + "." + base64.RawURLEncoding.EncodeToString(idClaims) + "." + randomToken(342)
	access, refresh := randomToken(1900), randomToken(1300)
	f.issued = append(f.issued, access, refresh, idToken)
	clientInfo, _ := json.Marshal(map[string]string{"uid": oid, "utid": testTenantID})
	return jsonResponse(200, map[string]any{
		"token_type": "Bearer", "scope": form.Get("scope"), "expires_in": f.expires, "ext_expires_in": f.expires,
		"access_token": access, "refresh_token": refresh, "id_token": idToken,
		"client_info": base64.RawURLEncoding.EncodeToString(clientInfo),
	})
}

func (f *fakeIdP) tokenRequests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.requests...)
}

func jsonResponse(status int, v any) *http.Response {
	data, _ := json.Marshal(v)
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(data))}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// loopbackBrowser plays the browser for MSAL's interactive flow: it reads the
// redirect URI and state from the authorize URL and posts a code to MSAL's
// loopback listener (127.0.0.1), as Entra's form_post page would.
func loopbackBrowser(t *testing.T, opened *int) func(string) error {
	return func(authURL string) error {
		*opened++
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		if q.Get("response_mode") != "form_post" {
			t.Errorf("response_mode = %q, want form_post", q.Get("response_mode"))
		}
		form := url.Values{"code": {randomToken(200)}, "state": {q.Get("state")}}
		go func() {
			resp, err := http.PostForm(q.Get("redirect_uri"), form)
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
}

func newTestClient(t *testing.T, idp *fakeIdP, kr Keyring, stateDir string, opened *int) *Client {
	t.Helper()
	c, err := New(Options{
		Tenant: testTenant, ClientID: testClientID, AuthorityURL: idp.authority(),
		StateDir: stateDir, Keyring: kr,
		HTTPClient: &http.Client{Transport: idp},
		OpenURL:    loopbackBrowser(t, opened),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
