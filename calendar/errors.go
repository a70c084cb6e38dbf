package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies a failure by what the refresh engine and the operator must do about it.
type Kind int

const (
	KindOther Kind = iota
	// KindAuth: the credentials were rejected or the sign-in expired. Never retried
	// automatically: a stale password on a poll locks the account.
	KindAuth
	// KindLocked: the account is locked or disabled. Never retried.
	KindLocked
	// KindThrottled: the server asked us to slow down; RetryAfter says for how long
	// when it said so.
	KindThrottled
	// KindTransient: network down, timeout, 5xx. Retried with backoff.
	KindTransient
	// KindPermission: signed in but not allowed (consent, sharing). Not retried until config changes.
	KindPermission
	// KindConfig: the configuration is wrong. Not retried until it changes.
	KindConfig
)

var kindNames = [...]string{"other", "auth", "locked", "throttled", "transient", "permission", "config"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Error is the one error type backends return for failures the engine acts on.
type Error struct {
	Kind Kind
	// Op names what was being done ("ews.GetUserAvailability", "graph.getSchedule").
	Op string
	// Code is the server's own code (AADSTS50053, ErrorServerBusy), for the log and support.
	Code string
	// Hint is one plain sentence for the operator, in English; empty means the
	// UI's default for Kind. It is a literal whose variable parts are {{.Name}}
	// placeholders filled from HintArgs, so the console can translate the whole
	// sentence (app.OperatorMessage) while logs and status --json read HintText.
	Hint string
	// HintArgs holds the values of Hint's placeholders, by name.
	HintArgs map[string]any
	// RetryAfter is how long the server asked us to wait (throttling); zero if it did not say.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	msg := e.Kind.String()
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Code != "" {
		msg += " (" + e.Code + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	} else if e.Hint != "" {
		msg += ": " + e.HintText()
	}
	// The wrapped error may quote what a server said or a URL it was given.
	return ScrubSecrets(msg)
}

// HintText is Hint in English with its placeholders filled.
func (e *Error) HintText() string { return FillTemplate(e.Hint, e.HintArgs) }

// FillTemplate replaces each {{.Name}} in template with fmt.Sprint of
// args[Name], as lang.L does for an English sentence without a translation.
func FillTemplate(template string, args map[string]any) string {
	if len(args) == 0 {
		return template
	}
	pairs := make([]string, 0, 2*len(args))
	for name, v := range args {
		pairs = append(pairs, "{{."+name+"}}", fmt.Sprint(v))
	}
	return strings.NewReplacer(pairs...).Replace(template)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, KindOther otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// RetryAfterOf returns the server's requested wait, if err carries one.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// IsFatalForPolling reports whether polling must stop until the operator acts
// (the kinds listed in pollingStops).
func IsFatalForPolling(err error) bool {
	_, stops := pollingStops[KindOf(err)]
	return stops
}
