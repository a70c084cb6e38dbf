package calendar

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ThrottleMemory remembers, across processes, until when a server asked
// Frontdesk to wait (Retry-After, EWS's BackOffMilliseconds). A console, a
// watch and a status run a minute apart are three processes: without it, each
// new one would ask again inside the server's window.
type ThrottleMemory interface {
	// Until is the end of the wait on record; zero when there is none.
	Until() time.Time
	// Remember records a wait that ends at until (a longer one on record stays).
	Remember(until time.Time)
}

// ThrottledEarlierHeader marks the answer RememberThrottling makes up for a
// request it kept back: nothing was sent, the server asked earlier.
const ThrottledEarlierHeader = "X-Frontdesk-Throttled-Earlier"

// RememberThrottling keeps requests from leaving while a wait on record lasts
// and records the waits servers ask for. A request kept back gets a 503 with
// the remaining Retry-After and ThrottledEarlierHeader, made up here, so every
// back end classifies it as the throttling it is and the engine waits exactly
// that long. memory nil: next unchanged.
func RememberThrottling(next http.RoundTripper, memory ThrottleMemory) http.RoundTripper {
	if memory == nil {
		return next
	}
	return &throttleMemoryTransport{next: next, memory: memory, now: time.Now}
}

type throttleMemoryTransport struct {
	next   http.RoundTripper
	memory ThrottleMemory
	now    func() time.Time
}

func (t *throttleMemoryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	now := t.now()
	if until := t.memory.Until(); until.After(now) {
		if req.Body != nil {
			req.Body.Close()
		}
		secs := int64(until.Sub(now)/time.Second) + 1 // whole seconds, rounded up
		h := http.Header{}
		h.Set("Retry-After", strconv.FormatInt(secs, 10))
		h.Set("Content-Type", "application/json")
		h.Set(ThrottledEarlierHeader, until.UTC().Format(time.RFC3339))
		body := `{"error":{"code":"throttledEarlier","message":"The server asked to wait; nothing was sent."}}`
		return &http.Response{
			Status: "503 Service Unavailable", StatusCode: http.StatusServiceUnavailable,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: h, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
			Request: req,
		}, nil
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if wait, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok && wait > 0 {
			t.memory.Remember(now.Add(wait))
		}
	}
	return resp, err
}
