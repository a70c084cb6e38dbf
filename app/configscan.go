package app

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// tomlDoc is where things are in a TOML text that the library has already
// parsed: enough of the grammar to find each key's value, each table's last
// key and each inline table's end. It validates nothing.
type tomlDoc struct {
	data []byte
	// newline is the file's line ending: "\r\n" when its first line ends so.
	newline string
	pairs   []tomlPair
	headers []tomlHeader
	inlines []tomlInline
	// firstHeader is where the first [table] or [[array]] line starts, -1
	// without one.
	firstHeader int
}

// tomlPair is one key = value, outside arrays and [[array]] tables (whose
// keys repeat and are never the writer's).
type tomlPair struct {
	// path is the whole key: its table's parts, then its own.
	path []string
	// section is the [table] it is written under; nil inside an inline table.
	section              []string
	lineStart, keyStart  int
	valueStart, valueEnd int
	// lineEnd is past the line ending after the value (and any comment).
	lineEnd int
}

type tomlHeader struct {
	path    []string
	lineEnd int
}

type tomlInline struct {
	path []string
	// insertAt is after the last value, or its comma, or after '{' when empty.
	insertAt             int
	empty, trailingComma bool
}

var errTOMLScan = errors.New("toml text not understood")

type tomlScanner struct {
	data []byte
	pos  int
	doc  *tomlDoc
}

// bomLength is how many bytes of byte-order mark data starts with, as the
// TOML decoder reads over them: UTF-8's, and UTF-16's either way round
// (which a TOML file should not have, but some editors write).
func bomLength(data []byte) int {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return 3
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		return 2
	}
	return 0
}

func scanTOML(data []byte) (*tomlDoc, error) {
	doc := &tomlDoc{data: data, newline: "\n", firstHeader: -1}
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		doc.newline = "\r\n"
	}
	s := &tomlScanner{data: data, doc: doc}
	s.pos = bomLength(data)
	section := []string{}
	var arrays [][]string
	record := true
	for {
		s.skipBlanks()
		if s.pos >= len(data) {
			return doc, nil
		}
		switch c := data[s.pos]; c {
		case '\n', '\r':
			if !s.lineEnding() {
				return nil, errTOMLScan
			}
		case '#':
			s.skipComment()
		case '[':
			if doc.firstHeader < 0 {
				doc.firstHeader = s.lineStartOf(s.pos)
			}
			array := s.at(s.pos+1) == '['
			s.pos++
			if array {
				s.pos++
			}
			s.skipBlanks()
			key, ok := s.key()
			if !ok || !s.expect(']') || (array && !s.expect(']')) || !s.endOfLine() {
				return nil, errTOMLScan
			}
			section = key
			if array {
				arrays = append(arrays, key)
			}
			record = !slices.ContainsFunc(arrays, func(a []string) bool { return hasPathPrefix(key, a) })
			if record {
				doc.headers = append(doc.headers, tomlHeader{path: key, lineEnd: s.pos})
			}
		default:
			keyStart := s.pos
			key, ok := s.key()
			if !ok || !s.expect('=') {
				return nil, errTOMLScan
			}
			s.skipBlanks()
			path := joinPath(section, key)
			valueStart := s.pos
			if !s.value(path, record) {
				return nil, errTOMLScan
			}
			valueEnd := s.pos
			if !s.endOfLine() {
				return nil, errTOMLScan
			}
			if record {
				doc.pairs = append(doc.pairs, tomlPair{path: path, section: slices.Clone(section),
					lineStart: s.lineStartOf(keyStart), keyStart: keyStart,
					valueStart: valueStart, valueEnd: valueEnd, lineEnd: s.pos})
			}
		}
	}
}

func joinPath(a, b []string) []string { return append(slices.Clone(a), b...) }

func (s *tomlScanner) at(i int) byte {
	if i < len(s.data) {
		return s.data[i]
	}
	return 0
}

func (s *tomlScanner) lineStartOf(i int) int { return bytes.LastIndexByte(s.data[:i], '\n') + 1 }

func (s *tomlScanner) skipBlanks() {
	for s.pos < len(s.data) && (s.data[s.pos] == ' ' || s.data[s.pos] == '\t') {
		s.pos++
	}
}

// skipAll skips blanks, line endings and comments (inside arrays).
func (s *tomlScanner) skipAll() {
	for {
		s.skipBlanks()
		switch s.at(s.pos) {
		case '#':
			s.skipComment()
		case '\n', '\r':
			if !s.lineEnding() {
				return
			}
		default:
			return
		}
	}
}

func (s *tomlScanner) skipComment() {
	i := bytes.IndexByte(s.data[s.pos:], '\n')
	if i < 0 {
		s.pos = len(s.data)
		return
	}
	s.pos += i
	if s.data[s.pos-1] == '\r' {
		s.pos--
	}
}

func (s *tomlScanner) lineEnding() bool {
	switch {
	case s.at(s.pos) == '\n':
		s.pos++
	case s.at(s.pos) == '\r' && s.at(s.pos+1) == '\n':
		s.pos += 2
	default:
		return false
	}
	return true
}

// endOfLine passes blanks and a comment to the end of the line (or text).
func (s *tomlScanner) endOfLine() bool {
	s.skipBlanks()
	if s.at(s.pos) == '#' {
		s.skipComment()
	}
	return s.pos >= len(s.data) || s.lineEnding()
}

func (s *tomlScanner) expect(c byte) bool {
	s.skipBlanks()
	if s.at(s.pos) != c {
		return false
	}
	s.pos++
	return true
}

// key reads a dotted key into its parts.
func (s *tomlScanner) key() ([]string, bool) {
	var parts []string
	for {
		s.skipBlanks()
		part, ok := s.keyPart()
		if !ok {
			return nil, false
		}
		parts = append(parts, part)
		s.skipBlanks()
		if s.at(s.pos) != '.' {
			return parts, true
		}
		s.pos++
	}
}

func (s *tomlScanner) keyPart() (string, bool) {
	start := s.pos
	switch s.at(s.pos) {
	case '"':
		if !s.basicString() {
			return "", false
		}
		return unquoteBasic(s.data[start:s.pos])
	case '\'':
		if !s.literalString() {
			return "", false
		}
		return string(s.data[start+1 : s.pos-1]), true
	}
	for s.pos < len(s.data) && !strings.ContainsRune(" \t\r\n=.[]#\"',{}", rune(s.data[s.pos])) {
		s.pos++
	}
	return string(s.data[start:s.pos]), s.pos > start
}

// unquoteBasic is a quoted key's name; the library reads its escapes.
func unquoteBasic(quoted []byte) (string, bool) {
	if !bytes.ContainsRune(quoted, '\\') {
		return string(quoted[1 : len(quoted)-1]), true
	}
	var v struct {
		V string `toml:"v"`
	}
	_, err := toml.Decode("v = "+string(quoted), &v)
	return v.V, err == nil
}

func (s *tomlScanner) basicString() bool {
	if bytes.HasPrefix(s.data[s.pos:], []byte(`"""`)) {
		s.pos += 3
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case '\\':
				s.pos += 2
			case '"':
				if s.closeQuotes('"') {
					return true
				}
			default:
				s.pos++
			}
		}
		return false
	}
	s.pos++
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			s.pos += 2
		case '"':
			s.pos++
			return true
		case '\n':
			return false
		default:
			s.pos++
		}
	}
	return false
}

// closeQuotes passes a run of quotes inside a multi-line string and reports
// whether it closed the string: three close it, and up to two more before
// them belong to the string.
func (s *tomlScanner) closeQuotes(q byte) bool {
	n := 0
	for s.at(s.pos+n) == q {
		n++
	}
	if n < 3 {
		s.pos += n
		return false
	}
	s.pos += min(n, 5)
	return true
}

func (s *tomlScanner) literalString() bool {
	if bytes.HasPrefix(s.data[s.pos:], []byte(`'''`)) {
		s.pos += 3
		for s.pos < len(s.data) {
			if s.data[s.pos] == '\'' {
				if s.closeQuotes('\'') {
					return true
				}
				continue
			}
			s.pos++
		}
		return false
	}
	end := bytes.IndexByte(s.data[s.pos+1:], '\'')
	if end < 0 || bytes.IndexByte(s.data[s.pos+1:s.pos+1+end], '\n') >= 0 {
		return false
	}
	s.pos += end + 2
	return true
}

// value passes one value; inside an inline table at path, its keys are
// recorded when record is set.
func (s *tomlScanner) value(path []string, record bool) bool {
	switch s.at(s.pos) {
	case '"':
		return s.basicString()
	case '\'':
		return s.literalString()
	case '[':
		s.pos++
		for {
			s.skipAll()
			if s.at(s.pos) == ']' {
				s.pos++
				return true
			}
			if !s.value(nil, false) {
				return false
			}
			s.skipAll()
			switch s.at(s.pos) {
			case ',':
				s.pos++
			case ']':
			default:
				return false
			}
		}
	case '{':
		return s.inlineTable(path, record)
	}
	start := s.pos
	for s.pos < len(s.data) && !strings.ContainsRune(" \t\r\n,]}#", rune(s.data[s.pos])) {
		s.pos++
		// A date and a time may be apart by a space: 1979-05-27 07:32:00.
		if s.pos-start == 10 && isDate(s.data[start:s.pos]) && s.at(s.pos) == ' ' && isDigit(s.at(s.pos+1)) {
			s.pos++
		}
	}
	return s.pos > start
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDate(b []byte) bool {
	for i, c := range b {
		if (i == 4 || i == 7) != (c == '-') || (c != '-' && !isDigit(c)) {
			return false
		}
	}
	return len(b) == 10
}

func (s *tomlScanner) inlineTable(path []string, record bool) bool {
	s.pos++
	table := tomlInline{path: path, insertAt: s.pos, empty: true}
	for {
		s.skipAll()
		if s.at(s.pos) == '}' {
			s.pos++
			if record {
				s.doc.inlines = append(s.doc.inlines, table)
			}
			return true
		}
		keyStart := s.pos
		key, ok := s.key()
		if !ok {
			return false
		}
		s.skipAll()
		if s.at(s.pos) != '=' {
			return false
		}
		s.pos++
		s.skipAll()
		valueStart := s.pos
		keyPath := joinPath(path, key)
		if !s.value(keyPath, record) {
			return false
		}
		if record {
			s.doc.pairs = append(s.doc.pairs, tomlPair{path: keyPath, lineStart: s.lineStartOf(keyStart),
				keyStart: keyStart, valueStart: valueStart, valueEnd: s.pos, lineEnd: -1})
		}
		table.insertAt, table.empty, table.trailingComma = s.pos, false, false
		s.skipAll()
		switch s.at(s.pos) {
		case ',':
			s.pos++
			table.insertAt, table.trailingComma = s.pos, true
		case '}':
		default:
			return false
		}
	}
}

// samePath compares keys as the decoder matches them to Config's: the exact
// name, or failing that the name in another case.
func samePath(a, b []string, exact bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && (exact || !strings.EqualFold(a[i], b[i])) {
			return false
		}
	}
	return true
}

func hasPathPrefix(path, prefix []string) bool {
	return len(path) >= len(prefix) && samePath(path[:len(prefix)], prefix, false)
}

// pair is where key is set, nil when the file does not set it.
func (d *tomlDoc) pair(key []string) *tomlPair {
	for _, exact := range []bool{true, false} {
		for i := range d.pairs {
			if samePath(d.pairs[i].path, key, exact) {
				return &d.pairs[i]
			}
		}
	}
	return nil
}

// valueLiteral is want as TOML to put in the place of pair's value: a list
// the admin wrote one item a line stays one item a line, each item kept
// keeps its line (its comment) and the comments above it.
func (d *tomlDoc) valueLiteral(want reflect.Value, pair *tomlPair) (string, error) {
	old := string(d.data[pair.valueStart:pair.valueEnd])
	if want.Kind() != reflect.Slice || want.Len() == 0 || !strings.HasPrefix(old, "[") || !strings.Contains(old, "\n") {
		return tomlLiteral(want)
	}
	// Inside a list a line ending is a line ending, never part of a string.
	lines := strings.Split(strings.ReplaceAll(old, "\r\n", "\n"), "\n")
	keyIndent := blanksOnly(string(d.data[pair.lineStart:pair.keyStart]))
	itemIndent := keyIndent + "  "
	for _, line := range lines[1:] {
		if t := strings.TrimSpace(line); t != "" && t[0] != '#' && t[0] != ']' {
			itemIndent = leadingBlanks(line)
			break
		}
	}
	closeIndent := keyIndent
	if last := lines[len(lines)-1]; strings.HasPrefix(strings.TrimSpace(last), "]") {
		closeIndent = leadingBlanks(last)
	}
	kept := oneItemALine(lines)
	out := []string{"["}
	if kept != nil {
		out[0] = lines[0] // with its comment
	}
	for i := range want.Len() {
		if lines, ok := kept.take(want.Index(i).String()); ok {
			out = append(out, lines...)
			continue
		}
		item, err := tomlLiteral(want.Index(i))
		if err != nil {
			return "", err
		}
		out = append(out, itemIndent+item+",")
	}
	if kept != nil {
		out = append(out, kept.trailing...)
	}
	out = append(out, closeIndent+"]")
	return strings.Join(out, d.newline), nil
}

// keptList is a list of strings written one item a line: each item's
// lines (the comments and blank lines above it, then its own), and the
// comment lines after the last item.
type keptList struct {
	items    []keptItem
	trailing []string
}

type keptItem struct {
	value string
	lines []string
	taken bool
}

// take is the lines of the first item not yet taken whose value is value.
func (l *keptList) take(value string) ([]string, bool) {
	if l == nil {
		return nil, false
	}
	for i := range l.items {
		if it := &l.items[i]; !it.taken && it.value == value {
			it.taken = true
			return it.lines, true
		}
	}
	return nil, false
}

// oneItemALine reads a list's lines ("[", items, "]") when each item is a
// one-line string alone on its line, its comma and comment after it; nil
// otherwise.
func oneItemALine(lines []string) *keptList {
	if rest := strings.TrimSpace(lines[0][1:]); rest != "" && rest[0] != '#' {
		return nil
	}
	if strings.TrimSpace(lines[len(lines)-1]) != "]" {
		return nil
	}
	list := &keptList{}
	var above []string
	for _, line := range lines[1 : len(lines)-1] {
		if t := strings.TrimSpace(line); t == "" || t[0] == '#' {
			above = append(above, line)
			continue
		}
		s := &tomlScanner{data: []byte(line)}
		s.skipBlanks()
		start := s.pos
		var value string
		switch {
		case strings.HasPrefix(line[start:], `"""`), strings.HasPrefix(line[start:], `'''`):
			return nil
		case s.at(start) == '"' && s.basicString():
			unquoted, ok := unquoteBasic(s.data[start:s.pos])
			if !ok {
				return nil
			}
			value = unquoted
		case s.at(start) == '\'' && s.literalString():
			value = line[start+1 : s.pos-1]
		default:
			return nil
		}
		rest := strings.TrimLeft(line[s.pos:], " \t")
		comma := strings.HasPrefix(rest, ",")
		if comma {
			rest = strings.TrimLeft(rest[1:], " \t")
		}
		if rest != "" && rest[0] != '#' {
			return nil
		}
		own := line
		if !comma {
			own = line[:s.pos] + "," + line[s.pos:]
		}
		list.items = append(list.items, keptItem{value: value, lines: append(above, own)})
		above = nil
	}
	list.trailing = above
	return list
}

func leadingBlanks(line string) string {
	return line[:len(line)-len(strings.TrimLeft(line, " \t"))]
}

func blanksOnly(s string) string {
	if strings.Trim(s, " \t") != "" {
		return ""
	}
	return s
}

// addKeys places keys, which the file lacks, in table: in its inline table,
// after its last key, under its [table] line or, for the top level, before
// the first table. ok is false when the file has no such table.
func (d *tomlDoc) addKeys(table string, keys []configKey, values reflect.Value) (edits []textEdit, ok bool, err error) {
	var tablePath []string
	if table != "" {
		tablePath = []string{table}
	}
	lines := make([]string, len(keys))
	for i, k := range keys {
		literal, err := tomlLiteral(values.FieldByIndex(k.index))
		if err != nil {
			return nil, false, err
		}
		lines[i] = k.name + " = " + literal
	}
	if table != "" {
		for _, inline := range d.inlines {
			if samePath(inline.path, tablePath, false) {
				text := ", "
				if inline.empty || inline.trailingComma {
					text = " "
				}
				text += strings.Join(lines, ", ")
				if d.data[inline.insertAt] == '}' {
					text += " "
				}
				return []textEdit{{at: inline.insertAt, end: inline.insertAt, text: text}}, true, nil
			}
		}
	}
	// After the table's last key, written the way that one is: under the
	// same [table] line, with the same dotted prefix and indentation.
	for i := len(d.pairs) - 1; i >= 0; i-- {
		p := d.pairs[i]
		if p.section == nil || !hasPathPrefix(tablePath, p.section) || !hasPathPrefix(p.path, tablePath) || len(p.path) == len(tablePath) {
			continue
		}
		prefix := ""
		for _, part := range p.path[len(p.section):len(tablePath)] {
			prefix += part + "."
		}
		indent := blanksOnly(string(d.data[p.lineStart:p.keyStart]))
		return []textEdit{d.linesAt(p.lineEnd, indent, prefix, lines)}, true, nil
	}
	for i := len(d.headers) - 1; i >= 0; i-- {
		if h := d.headers[i]; samePath(h.path, tablePath, false) && table != "" {
			// Below the comment lines right under the [table] line: a key
			// the admin left commented out, or a note about the table.
			at := h.lineEnd
			for at < len(d.data) && bytes.HasPrefix(bytes.TrimLeft(d.data[at:], " \t"), []byte("#")) {
				end := bytes.IndexByte(d.data[at:], '\n')
				if end < 0 {
					at = len(d.data)
					break
				}
				at += end + 1
			}
			return []textEdit{d.linesAt(at, "", "", lines)}, true, nil
		}
	}
	if table != "" {
		return nil, false, nil
	}
	if d.firstHeader < 0 {
		return []textEdit{d.linesAt(len(d.data), "", "", lines)}, true, nil
	}
	// Before the first table and the comment lines just above it, which
	// are about that table; a blank line between.
	at := d.firstHeader
	for at > 0 {
		prev := bytes.LastIndexByte(d.data[:at-1], '\n') + 1
		if !bytes.HasPrefix(bytes.TrimLeft(d.data[prev:at], " \t"), []byte("#")) {
			break
		}
		at = prev
	}
	at = max(at, bomLength(d.data))
	text := strings.Join(lines, d.newline) + d.newline + d.newline
	return []textEdit{{at: at, end: at, text: text}}, true, nil
}

// linesAt inserts lines at the start of a line (at), or after the last line
// when the text does not end with a line ending.
func (d *tomlDoc) linesAt(at int, indent, prefix string, lines []string) textEdit {
	text := ""
	for _, line := range lines {
		text += indent + prefix + line + d.newline
	}
	if at == len(d.data) && at > 0 && d.data[at-1] != '\n' {
		text = d.newline + strings.TrimSuffix(text, d.newline)
	}
	return textEdit{at: at, end: at, text: text}
}
