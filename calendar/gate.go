package calendar

import (
	"errors"
	"log/slog"
	"time"
)

// pollingStops lists every kind of failure after which nothing more is sent
// until the operator acts (Resume), and the state each puts the engine in. A
// stale password on a poll locks an account; a missing consent or a wrong
// setting will not fix itself.
var pollingStops = map[Kind]State{
	KindAuth:       StateAuthPaused,
	KindLocked:     StateAuthPaused,
	KindPermission: StateAuthPaused,
	KindConfig:     StateConfigError,
}

// sourceLevel reports whether err stops every request to the source, whatever
// was being asked: a sign-in failure or the server asking us to wait.
func sourceLevel(err error) bool {
	switch KindOf(err) {
	case KindAuth, KindLocked, KindThrottled:
		return true
	}
	return false
}

// gate decides whether a request may leave now. It holds everything that stops
// requests: a pause until the operator acts, the server's throttling, the
// network being down, and the engine's own ceiling on requests per window.
// Not safe for concurrent use: the Refresher's lock guards it.
type gate struct {
	log    *slog.Logger
	source string

	pause       State // "" when polling; otherwise a value of pollingStops
	pauseReason error
	pauseSince  time.Time

	throttled       bool
	throttledUntil  time.Time
	throttledSince  time.Time
	throttleReason  error
	throttleBackoff Backoff

	offline        bool
	retryAt        time.Time
	offlineSince   time.Time
	offlineReason  error
	offlineBackoff Backoff

	requests   *RequestMeter
	countCalls bool // the source does not count its own requests: one per call
}

func (g *gate) paused() bool { return g.pause != "" }

// blockedUntil reports whether no request may leave now, and until when.
func (g *gate) blockedUntil(now time.Time) (time.Time, bool) {
	until := now
	if g.throttled && g.throttledUntil.After(until) {
		until = g.throttledUntil
	}
	if g.offline && g.retryAt.After(until) {
		until = g.retryAt
	}
	if free := g.requests.freeAt(now); free.After(until) {
		until = free
	}
	return until, until.After(now)
}

// admit is the last check before a request leaves: nothing is sent during a
// pause or a back-off, even by a worker that was already scheduled. When the
// request admitted fills the window of the engine's own ceiling, heldUntil is
// when the next one may leave.
func (g *gate) admit(now time.Time) (ok bool, heldUntil time.Time) {
	if g.paused() {
		return false, time.Time{}
	}
	if _, blocked := g.blockedUntil(now); blocked {
		return false, time.Time{}
	}
	if g.countCalls {
		g.requests.record(now)
	}
	free := g.requests.freeAt(now)
	if !free.After(now) {
		return true, time.Time{}
	}
	// This request filled the window: hold the next ones back and say why.
	if !g.throttled {
		g.throttled, g.throttledSince = true, now
		g.log.Warn("holding requests back to stay under the mailbox limit", "until", free)
	}
	g.throttledUntil = free
	g.throttleReason = errOwnCeiling
	return true, free
}

// fail puts the gate in the state err calls for and returns when requests may
// leave again (zero while paused until the operator acts).
func (g *gate) fail(err error, now time.Time) (retryAt time.Time) {
	kind := KindOf(err)
	if state, stops := pollingStops[kind]; stops {
		if !g.paused() {
			g.pause, g.pauseReason, g.pauseSince = state, err, now
			g.log.Error("refreshing stopped until the operator acts; nothing will be retried automatically",
				"source", g.source, "kind", kind.String(), "code", codeOf(err), "err", err)
		}
		return time.Time{}
	}
	if kind == KindThrottled {
		wait, asked := RetryAfterOf(err), true
		if wait <= 0 {
			asked = false
			if g.throttled && g.throttledUntil.After(now) {
				// Concurrent requests of the same wave: one back-off step, not one each.
				wait = g.throttledUntil.Sub(now)
			} else {
				wait = g.throttleBackoff.Next()
			}
		}
		until := now.Add(wait)
		if !g.throttled {
			g.throttled, g.throttledSince = true, now
		}
		if until.After(g.throttledUntil) {
			g.throttledUntil = until
			g.log.Warn("server is throttling: pausing every request to this source",
				"source", g.source, "until", until, "wait", wait, "server_said", asked, "err", err)
		}
		g.throttleReason = err
		return g.throttledUntil
	}
	if !g.offline {
		g.offline, g.offlineSince = true, now
		g.log.Warn("cannot reach the server: keeping the last data and retrying",
			"source", g.source, "err", err)
	}
	if !g.retryAt.After(now) {
		g.retryAt = now.Add(g.offlineBackoff.Next())
	}
	g.offlineReason = err
	return g.retryAt
}

// recovered clears throttling and offline after a complete cycle.
func (g *gate) recovered() {
	if g.throttled || g.offline {
		g.log.Info("refreshing again", "source", g.source, "was_throttled", g.throttled, "was_offline", g.offline)
	}
	g.throttled, g.throttleReason = false, nil
	g.offline, g.offlineReason = false, nil
	g.throttleBackoff.Reset()
	g.offlineBackoff.Reset()
}

// resume lifts a pause; it reports whether there was one.
func (g *gate) resume() bool {
	if !g.paused() {
		return false
	}
	g.log.Info("operator acted: one request to check before polling again", "was", string(g.pause))
	g.pause, g.pauseReason, g.pauseSince = "", nil, time.Time{}
	return true
}

// describe fills in what the gate says about the engine's state; stopped is
// false when nothing holds requests back.
func (g *gate) describe(es *EngineState) (stopped bool) {
	switch {
	case g.paused():
		es.State, es.Reason, es.Since = g.pause, g.pauseReason, g.pauseSince
	case g.throttled:
		es.State, es.Reason, es.Since, es.Until = StateThrottled, g.throttleReason, g.throttledSince, g.throttledUntil
	case g.offline:
		es.State, es.Reason, es.Since, es.Until = StateOffline, g.offlineReason, g.offlineSince, g.retryAt
	default:
		return false
	}
	return true
}

// codeOf is the server's error code in err's chain (AADSTS50173,
// ErrorAccessDenied, password_rejected), for the log line an admin searches.
func codeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
