package auth

import "log/slog"

const redacted = "[REDACTED]"

// Secret holds a password or token. It prints and logs as [REDACTED] by type,
// whatever attribute key or format verb it is passed with; Reveal is the one
// deliberate way out.
type Secret string

func (Secret) LogValue() slog.Value           { return slog.StringValue(redacted) }
func (Secret) String() string                 { return redacted }
func (Secret) GoString() string               { return redacted }
func (s Secret) Reveal() string               { return string(s) }
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
