package app

import (
	"context"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// newGraphSource is replaced by the Microsoft Graph integration (issue 6).
func (env *Env) newGraphSource(ctx context.Context, cfg Config) (calendar.Source, error) {
	return nil, &ConfigError{Key: "provider", Problem: "microsoft365 is not available in this build yet"}
}
