package graph

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
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
func newHTTPClient(opts Options) *http.Client {
	retry := &khttp.RetryHandlerOptions{
		ShouldRetry:  retryPolicy(opts.MaxInlineWait),
		MaxRetries:   opts.MaxRetries,
		DelaySeconds: max(int(opts.RetryBaseDelay/time.Second), 1),
	}
	// Request compression is off: kiota-http-go 1.5.4 gzips the body into a
	// reader the retry handler cannot rewind, so a retried getSchedule went out
	// with an empty body (seen in TestErrorKinds). Our bodies are a few hundred bytes.
	kiota, err := khttp.GetDefaultMiddlewaresWithOptions(retry, khttp.NewCompressionOptionsReference(false))
	if err != nil {
		// Only an unknown option type fails, and ours is known.
		panic(err)
	}
	clientOpts := msgraphsdk.GetDefaultClientOptions()
	middlewares := append([]khttp.Middleware{
		msgraphgocore.NewGraphTelemetryHandler(&clientOpts),
		khttp.NewUrlReplaceHandler(true, msgraphgocore.ReplacementPairs),
	}, kiota...)
	base := opts.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(base, middlewares...),
		// Graph never redirects the calls we make; a redirect would carry the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       requestTimeout,
	}
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
	var netErr net.Error
	if errors.As(err, &netErr) {
		return &calendar.Error{Kind: calendar.KindTransient, Op: op, Err: err}
	}
	return &calendar.Error{Kind: calendar.KindOther, Op: op, Err: err}
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
	case status >= 500:
		e.Kind = calendar.KindTransient
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
