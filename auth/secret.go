package auth

import "github.com/frontdesk-app/frontdesk/calendar"

// Secret is calendar.Secret, the program's one secret type (auth may not be
// imported by ews, so the type lives in calendar, which every package sees).
type Secret = calendar.Secret
