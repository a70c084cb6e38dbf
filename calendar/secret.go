package calendar

import (
	"fmt"
	"log/slog"
)

// Redacted is what a Secret shows wherever it is printed, logged or encoded.
const Redacted = "[REDACTED]"

// Secret holds a password or a token. It is the one secret type of the
// program: auth keeps it in the keyring, ews and graph send it, app reads it
// from the environment. It formats, logs and encodes as [REDACTED] by type,
// whatever attribute key, format verb or encoder it meets, so no log line,
// error message, JSON document or crash dump can carry it by accident; Reveal
// is the one deliberate way out, used where the value goes on the wire.
type Secret string

// LogValue keeps the value out of every slog handler.
func (Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// String keeps the value out of fmt's %s and %v.
func (Secret) String() string { return Redacted }

// GoString keeps the value out of fmt's %#v.
func (Secret) GoString() string { return Redacted }

// Format covers the verbs String and GoString do not reach (%q, %x, %X).
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalText keeps the value out of JSON, TOML and other text encodings,
// including a struct that holds a Secret and is marshalled whole.
func (Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// Reveal returns the secret itself, for the request that sends it.
func (s Secret) Reveal() string { return string(s) }
