package app

import "github.com/frontdesk-app/frontdesk/calendar"

// termSafe makes text from a server (names, departments, subjects, locations,
// automatic replies, status messages, error messages) safe to print on a
// terminal: control characters and bidirectional overrides are shown as
// escapes instead of being obeyed (calendar.VisibleText, which the window
// uses too). --json needs none of this: the encoder escapes.
func termSafe(s string) string { return calendar.VisibleText(s) }

// isTermSafe is the fast path: most text has nothing to escape.
func isTermSafe(s string) bool { return calendar.IsVisibleText(s) }

// unsafeOnTerminal is true for runes a terminal acts on instead of showing.
func unsafeOnTerminal(r rune) bool { return calendar.IsControlOrBidi(r) }
