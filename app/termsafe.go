package app

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// termSafe makes text from a server (names, departments, subjects, locations,
// automatic replies, error messages) safe to print on a terminal: control
// characters and bidirectional overrides are shown as escapes instead of
// being obeyed. Without it a meeting subject holding ESC sequences can retitle
// the terminal, move the cursor or hide lines, and U+202E can make a name read
// backwards; a tab or newline would break the table's columns. Invalid UTF-8
// is escaped byte by byte. Everything else, accents, CJK and emoji included,
// passes unchanged. --json needs none of this: the encoder escapes.
func termSafe(s string) string {
	if isTermSafe(s) {
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
			// Escaped too, so that an escape in the output always means the
			// character was there, never that the server wrote "\x1b".
			b.WriteString(`\\`)
		case unsafeOnTerminal(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeOnTerminal(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// isTermSafe is the fast path: most text has nothing to escape.
func isTermSafe(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r == '\\' || unsafeOnTerminal(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// unsafeOnTerminal is true for runes a terminal acts on instead of showing:
// C0 controls (ESC, BEL, CR, LF, TAB, BS...), DEL and the C1 controls (CSI,
// OSC), the line and paragraph separators, and every bidirectional control
// (embeddings, overrides, isolates and the marks), which reorder what
// follows them.
func unsafeOnTerminal(r rune) bool {
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
