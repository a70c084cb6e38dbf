package calendar

import (
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter bounds any wait a server asks for (Retry-After, EWS's
// BackOffMilliseconds): a larger value is taken as this, so a typo on the
// server cannot overflow a time.Duration; a day is already longer than any
// real throttle.
const MaxRetryAfter = 24 * time.Hour

// httpDateLayouts are the three forms RFC 9110 requires a recipient to accept.
var httpDateLayouts = []string{
	"Mon, 02 Jan 2006 15:04:05 GMT",  // IMF-fixdate
	"Monday, 02-Jan-06 15:04:05 GMT", // obsolete RFC 850
	"Mon Jan _2 15:04:05 2006",       // obsolete asctime
}

// ParseRetryAfter reads an HTTP Retry-After value relative to now: delay-seconds
// (Graph sometimes sends a fraction, "2.5") or an HTTP-date. A date already past
// means "retry now" (0, true). ok is false for an empty or unreadable value: the
// caller then backs off on its own.
func ParseRetryAfter(value string, now time.Time) (wait time.Duration, ok bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if isDecimalSeconds(value) {
		secs, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return 0, false
		}
		if secs >= MaxRetryAfter.Seconds() {
			return MaxRetryAfter, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	for _, layout := range httpDateLayouts {
		at, err := time.Parse(layout, value)
		if err != nil {
			continue
		}
		wait = at.Sub(now)
		return min(max(wait, 0), MaxRetryAfter), true
	}
	return 0, false
}

// isDecimalSeconds accepts "120" and "2.5" but not the signs, exponents, hex and
// "Inf" that strconv.ParseFloat would let through.
func isDecimalSeconds(s string) bool {
	digits, dots := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}
