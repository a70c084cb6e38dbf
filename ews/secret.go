package ews

import "github.com/frontdesk-app/frontdesk/calendar"

// Password is the Exchange password: calendar.Secret, the program's one secret
// type, which formats, logs and encodes as [REDACTED]. Only the transport
// reads the value, through Reveal.
type Password = calendar.Secret

const redacted = calendar.Redacted
