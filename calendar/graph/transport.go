package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// requestTimeout bounds one HTTP exchange, retries included: the refresh
// engine's own deadline is the real limit, this only catches a hung socket.
const requestTimeout = 90 * time.Second

// newHTTPClient is Graph's default middleware pipeline with the retry handler
// configured by shouldRetry, over our own transport (never http.DefaultTransport
// itself, which the rest of the process shares).
func newHTTPClient(opts Options, origin string) *http.Client {
	retry := &khttp.RetryHandlerOptions{
		ShouldRetry:  retryPolicy(opts.MaxInlineWait),
		MaxRetries:   opts.MaxRetries,
		DelaySeconds: max(int(opts.RetryBaseDelay/time.Second), 1),
	}
	// Request compression is off: kiota-http-go 1.5.4 gzips the body into a
	// reader the retry handler cannot rewind, so a retried getSchedule went out
	// with an empty body (seen in TestErrorKinds). Our bodies are a few hundred bytes.
	// kiota's redirect handler follows redirects itself, whatever the
	// client's CheckRedirect says, and only strips the token when the host
	// changes: a 307 elsewhere took the directory query, colleagues'
	// addresses and all, to another server. It follows none to another origin.
	redirect := &khttp.RedirectHandlerOptions{ShouldRedirect: sameOriginRedirect(origin), MaxRedirects: 5}
	kiota, err := khttp.GetDefaultMiddlewaresWithOptions(retry, redirect, khttp.NewCompressionOptionsReference(false))
	if err != nil {
		// Only an unknown option type fails, and ours is known.
		panic(err)
	}
	clientOpts := msgraphsdk.GetDefaultClientOptions()
	middlewares := append([]khttp.Middleware{
		refusedRedirect{origin: origin},
		msgraphgocore.NewGraphTelemetryHandler(&clientOpts),
		khttp.NewUrlReplaceHandler(true, msgraphgocore.ReplacementPairs),
	}, kiota...)
	base := opts.Transport
	if base == nil {
		transport := http.DefaultTransport.(*http.Transport).Clone()
		// Keep a connection for every request a refresh has in flight: with
		// net/http's default of 2, each round of getSchedule closed the extra
		// connections and dialled (and TLS-handshook) them again.
		transport.MaxIdleConnsPerHost = opts.MaxConcurrent + presenceConcurrency
		base = transport
	}
	// Under every middleware, so the retry handler's attempts are checked and
	// counted like first attempts: the origin guard refuses a token bound
	// elsewhere, the meter counts what leaves, and the answer check turns a body
	// nobody can parse into an UnreadableAnswer with its HTTP status. Each
	// attempt leaves one log line, a request the meter held back included.
	base = &answerCheck{next: &originGuard{origin: origin, next: calendar.RememberThrottling(calendar.LogRequests(opts.Requests.Transport(base), opts.Logger), opts.Throttle)}}
	return &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(base, middlewares...),
		// Graph never redirects the calls we make; a redirect would carry the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       requestTimeout,
	}
}

// redirectTarget is where a redirect answer points, resolved against the
// request's address; nil when it names nowhere usable.
func redirectTarget(req *http.Request, resp *http.Response) *url.URL {
	loc, err := resp.Location()
	if err != nil || loc == nil {
		return nil
	}
	if req != nil && req.URL != nil {
		loc = req.URL.ResolveReference(loc)
	}
	return loc
}

// sameOriginRedirect is the redirect handler's ShouldRedirect: a redirect is
// followed only within the Graph base URL's origin (scheme, host and port).
func sameOriginRedirect(origin string) func(*http.Request, *http.Response) bool {
	return func(req *http.Request, resp *http.Response) bool {
		target := redirectTarget(req, resp)
		return target != nil && originOf(target) == origin
	}
}

// refusedRedirect sits above every other middleware: a redirect answer that
// reaches it is one the redirect handler refused to follow. kiota would hand
// it to the SDK as an empty success; it becomes a settings problem that names
// both addresses instead, and nothing goes to the other one.
type refusedRedirect struct{ origin string }

func (r refusedRedirect) Intercept(pipeline khttp.Pipeline, index int, req *http.Request) (*http.Response, error) {
	resp, err := pipeline.Next(req, index)
	if err != nil || resp.StatusCode < 300 || resp.StatusCode > 399 || resp.StatusCode == http.StatusNotModified {
		return resp, err
	}
	target := "nowhere"
	if u := redirectTarget(req, resp); u != nil {
		target = originOf(u)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "graph.request", Code: "HTTP" + strconv.Itoa(resp.StatusCode),
		Hint:     "The Microsoft 365 server at {{.Server}} sent Frontdesk on to another address, {{.Target}}. Frontdesk did not follow, so nothing went there. Check microsoft365.graph_url, or ask IT about a proxy in between.",
		HintArgs: map[string]any{"Server": r.origin, "Target": target},
		Err:      fmt.Errorf("HTTP %d redirect to %s refused: only %s is Graph", resp.StatusCode, target, r.origin)}
}

// originOf is scheme://host:port with the default port spelled out, so that
// https://graph.microsoft.com and https://graph.microsoft.com:443 compare equal
// and http://127.0.0.1:4010 and http://127.0.0.1:4011 do not.
func originOf(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// originGuard is the last line behind the token provider: a request that
// carries credentials leaves only for the Graph base URL's exact origin.
type originGuard struct {
	origin string
	next   http.RoundTripper
}

func (g *originGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" && originOf(req.URL) != g.origin {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &calendar.Error{Kind: calendar.KindTransient, Op: "graph.request", Code: "ForeignOrigin",
			Hint: "The server pointed Frontdesk at another address; Frontdesk did not send the sign-in there. It tries again later; details are in the log.",
			Err:  fmt.Errorf("refusing to send the Graph token to %s: only %s gets it", originOf(req.URL), g.origin)}
	}
	return g.next.RoundTrip(req)
}

// maxAnswerBytes bounds what one Graph answer may make us hold in memory; a
// page of 999 users is well under a megabyte.
const maxAnswerBytes = 32 << 20

// answerCheck reads every answer's body before the SDK parses it. A 2xx
// whose body is not JSON (a proxy's HTML page, a cut-off answer) becomes an
// UnreadableAnswer that carries the HTTP status, instead of an anonymous parse
// error later. An error status with such a body keeps its status and headers
// for the retry handler and classify, and loses the body: the SDK would
// otherwise fail on the body and hide the status (a 401 from a proxy's HTML
// page came out as "content type text/html does not have a factory").
type answerCheck struct{ next http.RoundTripper }

func (a *answerCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(req)
	handoff, _ := req.Context().Value(answerHandoffKey{}).(*answerHandoff)
	if err == nil && handoff != nil {
		// The last attempt's status and tag: a photo's 304 and 404 are
		// answers, and kiota hands neither to the caller.
		handoff.status, handoff.etag = resp.StatusCode, resp.Header.Get("ETag")
	}
	if err != nil || resp.StatusCode == http.StatusNoContent {
		return resp, err
	}
	buf, err := readAnswer(resp)
	resp.Body.Close()
	if err != nil {
		putAnswerBuffer(buf)
		return nil, err
	}
	body := buf.Bytes()
	// A 2xx is decoded by Source.call, which reports JSON that does not parse
	// as an UnreadableAnswer itself: checking it here too would read every
	// answer twice more.
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	problem := unreadableJSON(resp.Header.Get("Content-Type"), body, !success)
	if success && handoff != nil && handoff.binary {
		// A photo: its bytes are checked by calendar.DecodePhoto.
		problem = nil
	}
	switch {
	case problem == nil && success && handoff != nil:
		// Source.call takes the body from here, and the SDK reads an empty
		// one: its SendPrimitive would copy every answer again.
		handoff.buf = buf
		resp.Body = http.NoBody
	case problem == nil:
		resp.Body = io.NopCloser(bytes.NewReader(body))
	case success:
		putAnswerBuffer(buf)
		return nil, calendar.NewUnreadableAnswer("", resp.StatusCode, problem)
	default:
		putAnswerBuffer(buf)
		resp.Body, resp.ContentLength = http.NoBody, 0
		resp.Header.Del("Content-Type")
		resp.Header.Del("Content-Length")
	}
	return resp, nil
}

// answerHandoff carries a successful answer's body from answerCheck, under
// the SDK's middleware, up to the Source.call that sent the request.
type answerHandoff struct {
	buf *bytes.Buffer
	// binary: the answer is not JSON (a photo).
	binary bool
	// status and etag are the last attempt's.
	status int
	etag   string
}

type answerHandoffKey struct{}

// take returns the handed-off body and a function that gives its buffer back
// for the next answer once the body has been decoded (the decoder copies
// what it keeps).
func (h *answerHandoff) take() (body []byte, release func()) {
	if h.buf == nil {
		return nil, func() {}
	}
	buf := h.buf
	h.buf = nil
	return buf.Bytes(), func() { putAnswerBuffer(buf) }
}

// answerBuffers are reused between answers: a refresh reads 52 of about 20 KB.
var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putAnswerBuffer(buf *bytes.Buffer) {
	// A buffer that grew for a rare large answer (a directory page) goes to
	// the garbage collector instead of staying in the pool.
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	answerBuffers.Put(buf)
}

// readAnswer reads at most maxAnswerBytes+1 of the body into a buffer from
// answerBuffers, sized up front where the length is announced.
func readAnswer(resp *http.Response) (*bytes.Buffer, error) {
	buf := answerBuffers.Get().(*bytes.Buffer)
	if resp.ContentLength > 0 {
		buf.Grow(int(min(resp.ContentLength, maxAnswerBytes) + 1))
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, maxAnswerBytes+1))
	return buf, err
}

// unreadableJSON says why body is not a Graph answer (a JSON object), nil
// when it is one or is empty. Without validate, a body that starts like a
// JSON object passes.
func unreadableJSON(contentType string, body []byte, validate bool) error {
	if len(body) > maxAnswerBytes {
		return fmt.Errorf("answer larger than %d bytes", maxAnswerBytes)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(contentType); contentType != "" && (err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json"))) {
		return fmt.Errorf("answer is %s, not JSON", contentType)
	}
	if trimmed[0] != '{' || (validate && !json.Valid(trimmed)) {
		return errors.New("answer is not a JSON object")
	}
	return nil
}

// retryPolicy is the one place that decides whether a 429/503/504 is waited
// out inside the request (short Retry-After, or none: the handler backs off
// exponentially) or handed to the refresh engine, which pauses every request
// for the whole wait instead of holding a slot per batch.
func retryPolicy(maxInlineWait time.Duration) func(time.Duration, int, *http.Request, *http.Response) bool {
	return func(waited time.Duration, _ int, _ *http.Request, resp *http.Response) bool {
		wait, ok := calendar.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			return waited < maxInlineWait
		}
		return waited+wait <= maxInlineWait
	}
}

// classify turns whatever the SDK returned into the *calendar.Error the refresh
// engine acts on.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *calendar.Error
	if errors.As(err, &ce) {
		if ce.Op == "" {
			ce.Op = op
		}
		return ce
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &calendar.Error{Kind: calendar.KindTransient, Op: op, Err: err}
	}
	var apiErr abs.ApiErrorable
	if errors.As(err, &apiErr) {
		code, message := odataDetails(err)
		return classifyStatus(op, apiErr.GetStatusCode(), apiErr.GetResponseHeaders(), code, message)
	}
	if e := tlsError(op, err); e != nil {
		return e
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return &calendar.Error{Kind: calendar.KindTransient, Op: op, Err: err}
	}
	return &calendar.Error{Kind: calendar.KindOther, Op: op, Err: err}
}

// TLS failures, each with the fix that can work. Graph has no CA file of
// its own: an unknown authority is a proxy's, for the system's trust store.
const (
	hintTLSUntrusted = "The certificate of {{.Server}} comes from an authority this computer does not trust, often a proxy that inspects https. Ask IT to install that authority's certificate on this computer."
	hintTLSExpired   = "The certificate of {{.Server}} has expired or is not valid yet. Check this computer's date and time; otherwise whoever runs that server or the proxy in between must renew it."
	hintTLSWrongName = "The certificate of {{.Server}} is for another name. Check microsoft365.graph_url; if it is right, a proxy in between answers with its own certificate: ask IT."
	hintTLSNotTLS    = "{{.Server}} does not answer in https (it answered in plain http). Check the address in microsoft365.graph_url."
	hintTLSInvalid   = "The certificate of {{.Server}} is not valid. Ask IT; details are in the log."
)

// tlsHints are Graph's words for each TLS problem.
var tlsHints = calendar.TLSHints{Untrusted: hintTLSUntrusted, Expired: hintTLSExpired, WrongName: hintTLSWrongName, NotTLS: hintTLSNotTLS, Invalid: hintTLSInvalid}

// tlsError is the settings problem a failed TLS handshake is (nil when err
// is no TLS failure), naming the server it failed on. Polling stops, as on
// Exchange, instead of "cannot reach the server".
func tlsError(op string, err error) *calendar.Error {
	e := calendar.TLSError(op, err, tlsHints)
	if e == nil {
		return nil
	}
	server := calendar.TLSServer(err)
	if server == "" {
		server = "the Microsoft 365 server"
	}
	e.HintArgs = map[string]any{"Server": server}
	return e
}

func classifyStatus(op string, status int, headers *abs.ResponseHeaders, code, message string) error {
	e := &calendar.Error{Op: op, Code: code}
	if message == "" {
		message = http.StatusText(status)
	}
	e.Err = fmt.Errorf("HTTP %d: %s", status, message)
	switch {
	case status == http.StatusUnauthorized:
		e.Kind = calendar.KindAuth
		e.Hint = "Microsoft 365 rejected the sign-in. Sign in again."
	case status == http.StatusForbidden:
		e.Kind = calendar.KindPermission
		e.Hint = "The account is signed in but not allowed to read this. An administrator may need to grant consent."
	case status == http.StatusTooManyRequests:
		e.Kind = calendar.KindThrottled
	case status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		// Graph sends Retry-After with 503 too; the engine honours it like a 429's.
		e.Kind = calendar.KindTransient
		if headerValue(headers, "Retry-After") != "" {
			e.Kind = calendar.KindThrottled
		}
	case status == http.StatusBadGateway:
		// A proxy or gateway could not reach Graph.
		e.Kind = calendar.KindTransient
	case status >= 500:
		// Graph answered, with a failure Frontdesk cannot act on: not "cannot reach".
		e.Kind = calendar.KindTransient
		e.Err = &calendar.UnreadableAnswer{Status: status, Err: e.Err}
	case status == http.StatusNotFound:
		// A group or user named in the configuration does not exist.
		e.Kind = calendar.KindConfig
	default:
		e.Kind = calendar.KindOther
	}
	if d, ok := calendar.ParseRetryAfter(headerValue(headers, "Retry-After"), time.Now()); ok {
		e.RetryAfter = d
	}
	return e
}

func headerValue(h *abs.ResponseHeaders, name string) string {
	if h == nil {
		return ""
	}
	for _, k := range h.ListKeys() {
		if strings.EqualFold(k, name) {
			if v := h.Get(k); len(v) > 0 {
				return v[0]
			}
		}
	}
	return ""
}
