package calendar

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// LogRequests wraps next so that every HTTP request leaves one log line an
// administrator can act on: method, host, path (never the query string, which
// may carry a code or a token), status, duration, the server's request-id and
// client-request-id (what Microsoft support asks for), and for throttling the
// wait the server asked for. At debug level the line also carries the request
// and response headers with every credential replaced by its scheme.
//
// Graph and EWS both hook it in under their middleware, so a retried or
// NTLM-handshake request is logged once per attempt, as the server saw it.
// A nil logger returns next unchanged.
func LogRequests(next http.RoundTripper, logger *slog.Logger) http.RoundTripper {
	if logger == nil {
		return next
	}
	return &requestLogger{next: next, log: logger}
}

type requestLogger struct {
	next http.RoundTripper
	log  *slog.Logger
}

func (l *requestLogger) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := l.next.RoundTrip(req)
	elapsed := time.Since(start)

	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("host", req.URL.Host),
		slog.String("path", req.URL.Path),
		slog.Int64("ms", elapsed.Milliseconds()),
	}
	level := slog.LevelInfo
	msg := "http request"
	clientID := req.Header.Get("client-request-id")
	if err != nil {
		level = slog.LevelWarn
		msg = "http request failed"
		attrs = append(attrs, slog.String("err", requestErrorText(err)))
		if errors.Is(err, ErrRequestCeiling) {
			attrs = append(attrs, slog.Bool("held_back", true))
		}
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := resp.Header.Get("request-id"); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
		if id := resp.Header.Get("client-request-id"); id != "" {
			clientID = id
		}
		if wait, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			attrs = append(attrs, slog.String("throttle_wait", wait.String()))
		}
		if resp.StatusCode >= 400 {
			level = slog.LevelWarn
		}
	}
	if clientID != "" {
		attrs = append(attrs, slog.String("client_request_id", clientID))
	}
	ctx := req.Context()
	if l.log.Enabled(ctx, slog.LevelDebug) {
		attrs = append(attrs, slog.String("request_headers", RedactedHeaders(req.Header)))
		if resp != nil {
			attrs = append(attrs, slog.String("response_headers", RedactedHeaders(resp.Header)))
		}
	}
	l.log.LogAttrs(context.WithoutCancel(ctx), level, msg, attrs...)
	return resp, err
}

// requestErrorText is a transport error without the URL: *url.Error quotes
// the whole address, query string included.
func requestErrorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// credentialHeaders carry a secret after their scheme word.
var credentialHeaders = map[string]bool{
	"authorization":       true,
	"proxy-authorization": true,
	"www-authenticate":    true, // an NTLM challenge is the server's half of a handshake
	"proxy-authenticate":  true,
}

// opaqueHeaders are replaced whole.
var opaqueHeaders = map[string]bool{
	"cookie":     true,
	"set-cookie": true,
}

// RedactedHeaders is h as "Name: value; ..." in name order, with every
// credential reduced to its scheme ("Authorization: Basic [redacted]") and
// cookies and any header whose name speaks of a token, secret, password or
// key replaced.
func RedactedHeaders(h http.Header) string {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		lower := strings.ToLower(name)
		for _, v := range h[name] {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(name + ": ")
			switch {
			case credentialHeaders[lower]:
				scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
				b.WriteString(scheme + " [redacted]")
			case opaqueHeaders[lower] || IsSecretName(name):
				b.WriteString("[redacted]")
			default:
				b.WriteString(v)
			}
		}
	}
	return b.String()
}
