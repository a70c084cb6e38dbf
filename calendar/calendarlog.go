package calendar

import (
	"context"
	"log/slog"
)

// LogCalendarUnreadable is the message of the log line for a colleague's
// calendar that cannot be read; the doctor counts these lines apart.
const LogCalendarUnreadable = "calendar unreadable"

// logCalendarChangeLocked tells the log when one colleague's calendar stops
// or starts being readable: a Warn when a failure appears or its text
// changes, an Info when it clears, nothing for an answer like the last. A
// tenant of a thousand with thirty unshared calendars so writes thirty lines
// per console run, not thirty a minute. before is the last answer the roster
// holds for them, so this keeps no memory of its own and forgets whoever
// leaves the directory.
//
// A one-shot run (status) knows no last answer and prints every error itself,
// so there the lines are Debug: a scheduled status would otherwise repeat
// them all on every run.
func (r *Refresher) logCalendarChangeLocked(p Person, before, after error) {
	if sameFailure(before, after) {
		return
	}
	level, msg := slog.LevelWarn, LogCalendarUnreadable
	if after == nil {
		level, msg = slog.LevelInfo, "calendar readable again"
	}
	if r.oneShot {
		level = slog.LevelDebug
	}
	ctx := context.Background()
	if !r.log.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.String("mail", p.Email), slog.String("name", p.Name))
	if p.Email == "" {
		attrs = append(attrs, slog.String("id", p.ID))
	}
	attrs = append(attrs, slog.String("source", r.src.Name()))
	if after != nil {
		// The back end's own text, as status --json carries it. It is a
		// string, so the log handler scrubs it like any free text.
		attrs = append(attrs, slog.String("reason", ReasonOf(after)), slog.String("err", after.Error()))
	}
	if before != nil {
		attrs = append(attrs, slog.String("previous_reason", ReasonOf(before)))
	}
	r.log.LogAttrs(ctx, level, msg, attrs...)
}

// sameFailure reports whether two answers fail alike: both read, or both
// failed with the same text. Errors are compared by text, never with ==, which
// panics on an error value of an incomparable type.
func sameFailure(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
}

// lastErr is the per-person error of the last answer received for position
// i (an unreadable one that left the data before it on show included); nil
// when it read, or nobody has been asked yet.
func (ro *roster) lastErr(i int) error {
	if i >= len(ro.fetched) || ro.fetched[i].fetchedAt.IsZero() {
		return nil
	}
	if err := ro.fetched[i].unreadable; err != nil {
		return err
	}
	return ro.fetched[i].avail.Err
}

// unreadableCount is how many people's last answer said their calendar could
// not be read, for the refresh summary line.
func (ro *roster) unreadableCount() int {
	n := 0
	for _, d := range ro.fetched {
		if !d.fetchedAt.IsZero() && (d.avail.Err != nil || d.unreadable != nil) {
			n++
		}
	}
	return n
}
