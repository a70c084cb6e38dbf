package app

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Saving config.toml edits the file as the admin wrote it rather than
// re-encoding it: a key whose value changed gets the new value where it
// stands (its comment at the end of the line kept); a key the file lacks is
// added under its [table] (the table is added at the end when the file has
// none); everything else (comments, blank lines, the order of keys, keys and
// tables this version does not know) is kept byte for byte. A key set back to
// its default keeps its line, with the default written in: Save never
// deletes a line the admin wrote. BurntSushi/toml has no document API that
// keeps comments, so this is a small scanner over TOML's grammar that finds
// where each key's value is, and the library checks the result: unless the
// edited text decodes to exactly the values asked for, with every other key
// as it was, the file is written whole from the values as before.

// configKey is one key of Config the writer knows: its table ("" at the
// top), its name and where it sits in the struct.
type configKey struct {
	table, name string
	index       []int
}

func (k configKey) path() []string {
	if k.table == "" {
		return []string{k.name}
	}
	return []string{k.table, k.name}
}

// userConfigKeys lists Config's keys in the struct's order, without the
// policy's own table, which never goes into the user's file.
var userConfigKeys = func() []configKey {
	var keys []configKey
	durationType := reflect.TypeFor[Duration]()
	top := reflect.TypeFor[Config]()
	for i := range top.NumField() {
		f := top.Field(i)
		name := tomlName(f)
		if f.Type.Kind() != reflect.Struct || f.Type == durationType {
			keys = append(keys, configKey{name: name, index: []int{i}})
			continue
		}
		if name == "policy" {
			continue
		}
		for j := range f.Type.NumField() {
			keys = append(keys, configKey{table: name, name: tomlName(f.Type.Field(j)), index: []int{i, j}})
		}
	}
	return keys
}()

func tomlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return name
}

// sameSetting reports whether two values of a key are the same setting: an
// empty list is no list.
func sameSetting(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// errNotEditable: the text cannot be edited in place; the caller writes the
// file whole.
var errNotEditable = errors.New("config file not editable in place")

// editConfigText returns data changed to hold c's keys (the policy's aside),
// as described above, or errNotEditable.
func editConfigText(data []byte, c Config) ([]byte, error) {
	if checkSettingsShape("", data) != nil {
		return nil, errNotEditable
	}
	var before map[string]any
	if _, err := toml.Decode(string(data), &before); err != nil {
		return nil, errNotEditable
	}
	doc, err := scanTOML(data)
	if err != nil {
		return nil, errNotEditable
	}
	// What the file says now; a value of the wrong type (a broken file
	// Settings is fixing) reads as unknown, so its key is rewritten.
	old := DefaultConfig()
	_, decodeErr := toml.Decode(string(data), &old)
	oldValues := reflect.ValueOf(old)
	newValues := reflect.ValueOf(c)
	defaults := reflect.ValueOf(DefaultConfig())

	var edits []textEdit
	missing := map[string][]configKey{}
	var missingTables []string
	for _, k := range userConfigKeys {
		want := newValues.FieldByIndex(k.index)
		pair := doc.pair(k.path())
		if pair == nil {
			if sameSetting(want, defaults.FieldByIndex(k.index)) {
				continue
			}
			if _, ok := missing[k.table]; !ok {
				missingTables = append(missingTables, k.table)
			}
			missing[k.table] = append(missing[k.table], k)
			continue
		}
		if decodeErr == nil && sameSetting(want, oldValues.FieldByIndex(k.index)) {
			continue
		}
		literal, err := doc.valueLiteral(want, pair)
		if err != nil {
			return nil, errNotEditable
		}
		edits = append(edits, textEdit{at: pair.valueStart, end: pair.valueEnd, text: literal})
	}
	var atEnd []string // tables the file lacks, added at its end
	for _, table := range missingTables {
		added, ok, err := doc.addKeys(table, missing[table], newValues)
		if err != nil {
			return nil, errNotEditable
		}
		if ok {
			edits = append(edits, added...)
			continue
		}
		block := "[" + table + "]" + doc.newline
		for _, k := range missing[table] {
			literal, err := tomlLiteral(newValues.FieldByIndex(k.index))
			if err != nil {
				return nil, errNotEditable
			}
			block += k.name + " = " + literal + doc.newline
		}
		atEnd = append(atEnd, block)
	}
	if len(atEnd) > 0 {
		text := ""
		switch {
		case len(data) == 0:
		case !bytes.HasSuffix(data, []byte("\n")):
			text = doc.newline + doc.newline // end the last line, then a blank one
		case !endsWithBlankLine(data):
			text = doc.newline
		}
		text += strings.Join(atEnd, doc.newline)
		edits = append(edits, textEdit{at: len(data), end: len(data), text: text})
	}
	out := applyEdits(data, edits)
	if !keepsTheRest(before, out, c) {
		return nil, errNotEditable
	}
	return out, nil
}

// textEdit replaces data[at:end] with text (an insertion when at == end).
// Edits do not overlap; insertions at one place keep their order.
type textEdit struct {
	at, end int
	text    string
}

func applyEdits(data []byte, edits []textEdit) []byte {
	// Stable by position: the edits were made in the order they must appear.
	for i := 1; i < len(edits); i++ {
		for j := i; j > 0 && edits[j].at < edits[j-1].at; j-- {
			edits[j], edits[j-1] = edits[j-1], edits[j]
		}
	}
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(data[last:e.at])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(data[last:])
	return out.Bytes()
}

// keepsTheRest checks the edited text: it parses, decodes to c's values
// for every key the writer knows, and holds every other key as before.
func keepsTheRest(before map[string]any, out []byte, c Config) bool {
	if checkSettingsShape("", out) != nil {
		return false
	}
	var after map[string]any
	if _, err := toml.Decode(string(out), &after); err != nil {
		return false
	}
	got := DefaultConfig()
	if _, err := toml.Decode(string(out), &got); err != nil {
		return false
	}
	gotValues, wantValues := reflect.ValueOf(got), reflect.ValueOf(c)
	for _, k := range userConfigKeys {
		if !sameSetting(gotValues.FieldByIndex(k.index), wantValues.FieldByIndex(k.index)) {
			return false
		}
	}
	withoutKnownKeys(before)
	withoutKnownKeys(after)
	// Compared as TOML text: a NaN is not DeepEqual to itself.
	beforeText, err1 := toml.Marshal(before)
	afterText, err2 := toml.Marshal(after)
	return err1 == nil && err2 == nil && bytes.Equal(beforeText, afterText)
}

// tablesOf is the tables of a decoded file that can hold k, in every case
// the decoder matches its table in: the file itself for a top-level key.
func tablesOf(m map[string]any, k configKey) []map[string]any {
	if k.table == "" {
		return []map[string]any{m}
	}
	var tables []map[string]any
	for name, t := range m {
		if t, ok := t.(map[string]any); ok && strings.EqualFold(name, k.table) {
			tables = append(tables, t)
		}
	}
	return tables
}

// withoutKnownKeys deletes the writer's keys from a decoded file, and the
// known tables left empty, in every case the decoder matches them in
// ("Provider" is provider, [People] is [people]).
func withoutKnownKeys(m map[string]any) {
	for _, k := range userConfigKeys {
		for _, t := range tablesOf(m, k) {
			for name := range t {
				if strings.EqualFold(name, k.name) {
					delete(t, name)
				}
			}
		}
	}
	for name, t := range m {
		if t, ok := t.(map[string]any); ok && len(t) == 0 && slices.ContainsFunc(userConfigKeys, func(k configKey) bool {
			return k.table != "" && strings.EqualFold(k.table, name)
		}) {
			delete(m, name)
		}
	}
}

// tomlLiteral is v as a TOML value, as the library writes it.
func tomlLiteral(v reflect.Value) (string, error) {
	value := v.Interface()
	if v.Kind() == reflect.Slice && v.Len() == 0 {
		value = []string{} // a nil list is left out by the encoder
	}
	text, err := toml.Marshal(struct {
		V any `toml:"v"`
	}{value})
	if err != nil {
		return "", err
	}
	literal, ok := strings.CutPrefix(strings.TrimRight(string(text), "\n"), "v = ")
	if !ok {
		return "", errNotEditable
	}
	return literal, nil
}

// endsWithBlankLine reports whether the text (ending with a newline) ends
// with a blank line, or is nothing but a line ending.
func endsWithBlankLine(data []byte) bool {
	rest := bytes.TrimSuffix(data, []byte("\n"))
	rest = bytes.TrimSuffix(rest, []byte("\r"))
	return len(rest) == 0 || bytes.HasSuffix(rest, []byte("\n"))
}
