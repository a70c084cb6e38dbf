package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"
)

// Limits on a config or policy file, checked before the TOML parser sees it.
// The parser's cost grows faster than the nesting: 8,000 nested inline tables
// (48 KB) took it 30 s and 2.8 GB, 50,000 ran for minutes and could not be
// interrupted. Real settings are a few KB and three levels deep.
const (
	maxSettingsFileSize = 1 << 20
	maxSettingsNesting  = 32
)

// openSettingsFile opens a config or policy file for reading only when it is a
// regular file. A named pipe in its place would block the open (and every
// start) until someone writes to it; a device such as /dev/zero never ends; a
// directory is a mistake. The mode is checked before the open, and again on
// the open file, which is opened without blocking so that a pipe swapped in
// between is caught by the second check instead of hanging the first.
// A missing file is returned as the os.Open error, for callers that treat it
// as empty.
func openSettingsFile(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regularSettingsFile(path, fi); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	fi, err = f.Stat()
	if err == nil {
		err = regularSettingsFile(path, fi)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// regularSettingsFile refuses what is not a regular file, naming what it is.
func regularSettingsFile(path string, fi fs.FileInfo) error {
	mode := fi.Mode()
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return &ConfigError{File: path, Problem: "is a folder, not a settings file: point Frontdesk to the file, or remove the folder"}
	case mode&fs.ModeNamedPipe != 0:
		return &ConfigError{File: path, Problem: "is a named pipe, not a settings file: replace it with a regular file"}
	default:
		return &ConfigError{File: path, Problem: "is a device or other special file, not a settings file: replace it with a regular file"}
	}
}

// readSettings reads an opened config or policy file, refusing one larger
// than maxSettingsFileSize without reading past the limit.
func readSettings(path string, f *os.File) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, maxSettingsFileSize+1))
	if err != nil {
		return nil, &ConfigError{File: path, Err: err}
	}
	if len(data) > maxSettingsFileSize {
		return nil, tooLargeError(path)
	}
	return data, nil
}

func tooLargeError(path string) error {
	return &ConfigError{File: path, Problem: "is larger than {{.Limit}}, far more than any settings file: check that it is the right file",
		ProblemArgs: map[string]any{"Limit": "1 MB"}}
}

// readSettingsFile is openSettingsFile and readSettings: a missing file reads
// as os.ErrNotExist, anything else that is wrong as a *ConfigError.
func readSettingsFile(path string) ([]byte, error) {
	f, err := openSettingsFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return nil, err
	}
	if err != nil {
		return nil, &ConfigError{File: path, Err: err}
	}
	defer f.Close()
	return readSettings(path, f)
}

// checkSettingsShape refuses TOML the parser must not be given: too large, or
// nested deeper than maxSettingsNesting. It runs in one pass over the text
// and allocates nothing that grows with the input.
func checkSettingsShape(path string, data []byte) error {
	if len(data) > maxSettingsFileSize {
		return tooLargeError(path)
	}
	if line, ok := tomlNestingWithin(data, maxSettingsNesting); !ok {
		return &ConfigError{File: path, Problem: "line {{.Line}}: tables, lists or dotted keys are nested more than {{.Limit}} levels deep; settings need far fewer",
			ProblemArgs: map[string]any{"Line": line, "Limit": maxSettingsNesting}}
	}
	return nil
}

// tomlNestingWithin reports whether no construct in the TOML text nests
// deeper than limit, and if one does the line where it first goes over.
// Nesting is what the parser recurses or copies keys on: arrays and inline
// tables ([ {) inside each other, and the parts of a dotted key (a.b.c, in a
// key or a [table.header]) added to the brackets around it. Brackets, braces
// and dots inside strings and comments do not count. It is a scanner, not a
// validator: text that is not TOML is left to the parser to name.
func tomlNestingWithin(data []byte, limit int) (line int, ok bool) {
	line = 1
	// open holds the brackets that are open; it never grows past limit,
	// because going past it ends the scan.
	open := make([]byte, 0, limit+1)
	keyDots := 0      // dots seen in the key being read
	inKey := true     // reading a key: at the start of a top-level line, after { or , in an inline table
	inHeader := false // inside a [table] or [[array]] header
	lineStart := true // nothing but blanks yet on this line
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			line++
			lineStart = true
			if len(open) == 0 && !inHeader {
				inKey, keyDots = true, 0
			}
			continue
		case ' ', '\t', '\r':
			continue
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
			continue
		case '"', '\'':
			var lines int
			i, lines = skipTOMLString(data, i)
			line += lines
		case '[':
			if lineStart && len(open) == 0 {
				inHeader, inKey, keyDots = true, true, 0
				if i+1 < len(data) && data[i+1] == '[' {
					i++
				}
				break
			}
			open = append(open, c)
			inKey = false
		case '{':
			open = append(open, c)
			inKey, keyDots = true, 0
		case ']':
			if inHeader && len(open) == 0 {
				inHeader, inKey = false, false
				if i+1 < len(data) && data[i+1] == ']' {
					i++
				}
				break
			}
			fallthrough
		case '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			inKey = false
		case ',':
			if len(open) > 0 && open[len(open)-1] == '{' {
				inKey, keyDots = true, 0
			}
		case '=':
			inKey = false
		case '.':
			if inKey {
				keyDots++
			}
		}
		lineStart = false
		if len(open)+keyDots > limit {
			return line, false
		}
	}
	return line, true
}

// skipTOMLString moves past the string that starts at data[i] (basic or
// literal, single- or multi-line) and returns the index of its last byte and
// the newlines it held. An unterminated string ends the text: the parser
// will say what is wrong.
func skipTOMLString(data []byte, i int) (end, lines int) {
	quote := data[i]
	multi := i+2 < len(data) && data[i+1] == quote && data[i+2] == quote
	j := i + 1
	if multi {
		j = i + 3
	}
	for ; j < len(data); j++ {
		switch c := data[j]; {
		case c == '\\' && quote == '"':
			if j+1 < len(data) && data[j+1] == '\n' {
				lines++
			}
			j++
		case c == '\n':
			if !multi {
				return j - 1, lines // the parser reports the unterminated string
			}
			lines++
		case c == quote && !multi:
			return j, lines
		case c == quote && j+2 < len(data) && data[j+1] == quote && data[j+2] == quote:
			j += 2
			// A multi-line string may end with one or two quotes of its own
			// before the closing three.
			for extra := 0; extra < 2 && j+1 < len(data) && data[j+1] == quote; extra++ {
				j++
			}
			return j, lines
		}
	}
	return len(data) - 1, lines
}

// fileSafe is text read from a file or a path, made safe to show on a
// terminal and in the window: control characters (ESC sequences that retitle
// the terminal), bidirectional overrides and invalid UTF-8 are shown as
// escapes, as termSafe does for server text. Backslashes are kept, so a
// Windows path reads as it is.
func fileSafe(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || unsafeOnTerminal(r) }) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
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
