package calendar

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// VisibleText makes text from a server (names, subjects, automatic replies, a
// colleague's status message) safe to show or print: control characters and
// bidirectional controls are shown as escapes instead of being obeyed.
// Without it a meeting subject holding ESC sequences can retitle a terminal,
// move the cursor or hide lines, and U+202E can make a note read backwards on
// screen ("call my mobile" turned into a reversed number); a tab or newline
// breaks a table's columns. Invalid UTF-8 is escaped byte by byte, and a
// backslash is doubled, so an escape in the output always means the
// character was there. Everything else, accents, CJK, emoji and right-to-left
// scripts themselves, passes unchanged.
func VisibleText(s string) string {
	if IsVisibleText(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case IsControlOrBidi(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case IsControlOrBidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// IsVisibleText reports whether VisibleText leaves s as it is: most text has
// nothing to escape.
func IsVisibleText(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r == '\\' || IsControlOrBidi(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// IsControlOrBidi is true for runes a terminal or a text renderer acts on
// instead of showing: C0 controls (ESC, BEL, CR, LF, TAB, BS...), DEL and the
// C1 controls (CSI, OSC), the line and paragraph separators, and every
// bidirectional control (embeddings, overrides, isolates and the marks),
// which reorder what follows them.
func IsControlOrBidi(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}
