// Package ews reads on-premises Exchange (2010 to Subscription Edition)
// through Exchange Web Services: free/busy and calendar details with
// GetUserAvailability, the directory with ResolveNames and ExpandDL, and
// automatic replies with GetMailTips. It signs in with Basic or NTLM and
// implements calendar.Source.
package ews

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"time"

	ntlmssp "github.com/Azure/go-ntlmssp"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Auth is how the client signs in.
type Auth string

const (
	AuthBasic Auth = "basic"
	AuthNTLM  Auth = "ntlm"
)

// Versions are the RequestServerVersion values EWS accepts; newer servers
// answer Exchange2013_SP1.
var Versions = []string{"Exchange2007_SP1", "Exchange2010", "Exchange2010_SP1", "Exchange2010_SP2", "Exchange2013", "Exchange2013_SP1"}

// DefaultVersion is what Frontdesk asks for unless configured otherwise.
const DefaultVersion = "Exchange2013_SP1"

// DefaultCallTimeout bounds one SOAP call when the caller's context does not.
const DefaultCallTimeout = 30 * time.Second

// maxResponseBytes caps what one answer may make us read: 100 mailboxes of
// detailed free/busy over a few days is well under a megabyte.
const maxResponseBytes = 32 << 20

// HTTPOptions are what the HTTP client needs to reach the server.
type HTTPOptions struct {
	Auth Auth
	// CAFile is a PEM bundle trusted in addition to the system's roots.
	CAFile string
	// Timeout bounds a whole exchange, NTLM handshake included.
	Timeout time.Duration
	// Requests, when set, counts every HTTP request that leaves, each leg of
	// an NTLM handshake included, for the refresh engine's budget.
	Requests *calendar.RequestMeter
	// Logger, when set, gets one line per HTTP request (calendar.LogRequests).
	Logger *slog.Logger
	// Throttle, when set, keeps requests back while a wait a server asked
	// for, in this process or another, lasts (calendar.RememberThrottling).
	Throttle calendar.ThrottleMemory
}

// NewHTTPClient builds the client EWS calls go through: a fresh transport
// (never http.DefaultTransport), TLS always verified against the system roots
// plus CAFile, and for NTLM the go-ntlmssp negotiator in front.
func NewHTTPClient(o HTTPOptions) (*http.Client, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.ca_file", Err: err}
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.ca_file", Err: fmt.Errorf("%s holds no PEM certificate", o.CAFile)}
		}
	}
	base, ok := http.DefaultTransport.(*http.Transport)
	var transport *http.Transport
	if ok {
		transport = base.Clone()
	} else {
		transport = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	// NTLM authenticates the connection, not the request: HTTP/2 would
	// multiplex the handshake away, so stay on HTTP/1.1.
	transport.ForceAttemptHTTP2 = false
	transport.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	transport.MaxIdleConnsPerHost = 4

	var metered http.RoundTripper = transport
	if o.Requests != nil {
		metered = o.Requests.Transport(transport)
	}
	// Under the NTLM negotiator: each leg of a handshake is its own line.
	metered = calendar.LogRequests(metered, o.Logger)
	// Above the meter and the log: a request kept back neither leaves nor
	// counts.
	metered = calendar.RememberThrottling(metered, o.Throttle)
	rt := metered
	switch o.Auth {
	case AuthBasic, "":
	case AuthNTLM:
		// AllowBasicAuth stays false: a server that downgrades to Basic does
		// not get the password from the NTLM path.
		rt = ntlmssp.Negotiator{RoundTripper: offerSpy{metered}}
	default:
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.auth", Err: fmt.Errorf("%q is not one of basic, ntlm", o.Auth)}
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	return &http.Client{
		Transport: rt,
		Timeout:   timeout,
		// EWS never redirects a SOAP POST; following one would resend the
		// credentials to wherever it points.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// ClientOptions configure a Client.
type ClientOptions struct {
	// URL is the EWS endpoint, https://mail.contoso.com/EWS/Exchange.asmx.
	URL string
	// Version is the RequestServerVersion sent with every call.
	Version  string
	Auth     Auth
	Username string
	Password Password
	// HTTPClient is the client to send with; build it with NewHTTPClient.
	HTTPClient *http.Client
	// CallTimeout bounds each call; DefaultCallTimeout if zero.
	CallTimeout time.Duration
	// Guard, when set, keeps a password the server rejected from being sent
	// again (see CredentialGuard).
	Guard CredentialGuard
	// Throttle, when set, remembers the back-off an EWS answer asks for in
	// its body (ErrorServerBusy's BackOffMilliseconds), which the HTTP
	// layer cannot see, for every process (HTTPOptions.Throttle).
	Throttle calendar.ThrottleMemory
}

// Client sends EWS SOAP calls. It is safe for concurrent use.
type Client struct {
	endpoint    string
	version     string
	auth        Auth
	username    string
	password    Password
	http        *http.Client
	callTimeout time.Duration
	guard       CredentialGuard
	gate        *sendGate
	throttle    calendar.ThrottleMemory
}

// NewClient checks the options and returns a client. Basic authentication
// over plain http is refused here as well as in the configuration, so no
// caller can send the password in clear text.
func NewClient(o ClientOptions) (*Client, error) {
	u, err := url.Parse(o.URL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.url", Err: fmt.Errorf("%q is not an http(s) address", o.URL)}
	}
	if o.Auth == "" {
		o.Auth = AuthBasic
	}
	if o.Auth != AuthBasic && o.Auth != AuthNTLM {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.auth", Err: fmt.Errorf("%q is not one of basic, ntlm", o.Auth)}
	}
	if o.Auth == AuthBasic && u.Scheme != "https" {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.url",
			Hint: "Basic authentication over plain http would send the password in clear text: use https."}
	}
	// NTLM sends no password, but its challenge-response can be cracked
	// offline or relayed: plain http only to this machine (a test peer).
	if o.Auth == AuthNTLM && u.Scheme != "https" && !calendar.IsLoopbackHost(u.Hostname()) {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.url",
			Hint: "NTLM authentication over plain http would expose the password. Use https."}
	}
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if !slices.Contains(Versions, o.Version) {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.version", Err: fmt.Errorf("%q is not a known RequestServerVersion", o.Version)}
	}
	if o.HTTPClient == nil {
		return nil, errors.New("ews: ClientOptions.HTTPClient is required (see NewHTTPClient)")
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	// A server that echoes the Authorization header back echoes nothing readable.
	calendar.RegisterBasicCredentials(o.Username, o.Password)
	return &Client{
		endpoint:    u.String(),
		version:     o.Version,
		auth:        o.Auth,
		username:    o.Username,
		password:    o.Password,
		http:        o.HTTPClient,
		callTimeout: o.CallTimeout,
		guard:       o.Guard,
		gate:        newSendGate(),
		throttle:    o.Throttle,
	}, nil
}

// Version is the RequestServerVersion the client sends.
func (c *Client) Version() string { return c.version }

// call sends one operation and returns the body of a 200 answer; every other
// outcome is a *calendar.Error from classify.
func (c *Client) call(ctx context.Context, operation string, request any) ([]byte, error) {
	body, _, err := c.exchange(ctx, operation, request, nil)
	return body, err
}

// exchange is call with extra request headers; it also returns the answer's
// status and headers. A 304 to a request with If-None-Match is an answer,
// not an error: the copy the caller holds is current.
func (c *Client) exchange(ctx context.Context, operation string, request any, header http.Header) ([]byte, *http.Response, error) {
	op := "ews." + operation
	payload, err := marshalRequest(c.version, request)
	if err != nil {
		return nil, nil, &calendar.Error{Kind: calendar.KindOther, Op: op, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.callTimeout)
	defer cancel()
	ctx, offer := withCredentialOffer(ctx)
	if c.auth != AuthNTLM {
		// Basic sends the password with the request itself.
		offer.sent.Store(true)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(payload))
	if err != nil {
		return nil, nil, &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("Accept", "text/xml")
	req.Header.Set("SOAPAction", `"`+soapActionPrefix+operation+`"`)
	// Both schemes take the credentials as Basic: the NTLM negotiator reads
	// them from there and sends only the NTLM handshake.
	req.SetBasicAuth(c.username, c.password.Reveal())
	for k, v := range header {
		req.Header[k] = v
	}

	var body []byte
	var answer *http.Response
	err = c.send(ctx, op, func() (*http.Response, error) {
		resp, err := c.http.Do(req)
		if err == nil {
			answer = resp
			body, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
			resp.Body.Close()
		}
		if err == nil && resp.StatusCode == http.StatusNotModified && req.Header.Get("If-None-Match") != "" {
			return resp, nil
		}
		if err == nil && resp.StatusCode == http.StatusUnauthorized {
			if notTried := unauthorizedWithoutLogon(op, c.auth, resp, offer); notTried != nil {
				return resp, notTried
			}
		}
		return resp, classify(ctx, op, resp, body, err)
	})
	if err != nil {
		return nil, answer, err
	}
	if c.throttle != nil {
		if wait := bodyBackOff(body); wait > 0 {
			c.throttle.Remember(time.Now().Add(wait))
		}
	}
	return body, answer, nil
}

// parseError wraps a parser failure of a 200 answer: a proxy's HTML page or a
// cut-off answer, worth another try later. Graph reports it the same way.
func parseError(op string, err error) error {
	return calendar.NewUnreadableAnswer("ews."+op, http.StatusOK, err)
}
