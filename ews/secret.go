package ews

import (
	"fmt"
	"log/slog"
)

const redacted = "[REDACTED]"

// Password is the Exchange password. It formats and logs as [REDACTED] by
// type, so no log line or error message can carry it by accident; only the
// transport reads the value, through Reveal.
type Password string

// LogValue keeps the value out of every slog handler.
func (Password) LogValue() slog.Value { return slog.StringValue(redacted) }

// String keeps the value out of fmt's %s and %v.
func (Password) String() string { return redacted }

// GoString keeps the value out of fmt's %#v.
func (Password) GoString() string { return redacted }

// Format covers the verbs String and GoString do not (%q, %x).
func (p Password) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalText keeps the value out of JSON and other text encodings (slog's
// JSON handler marshals structs that hold a Password).
func (Password) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Reveal returns the password itself, for the Authorization header only.
func (p Password) Reveal() string { return string(p) }
