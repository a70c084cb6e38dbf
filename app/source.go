package app

import (
	"context"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// buildSource turns the configuration into the one calendar.Source the app runs on.
func (env *Env) buildSource(ctx context.Context, cfg Config) (calendar.Source, error) {
	switch cfg.Provider {
	case ProviderDemo:
		demo := calendar.NewDemoOfSize(location(cfg), env.DemoPeople)
		// Presence says what a colleague is doing now: the app's now, which
		// --at moves, as it moves the engine's.
		demo.Now = func() time.Time { return env.Now() }
		return demo, nil
	case ProviderEWS:
		return env.newEWSSource(ctx, cfg)
	case ProviderM365:
		return env.newGraphSource(ctx, cfg)
	}
	return nil, &ConfigError{Key: "provider", Problem: "{{.Value}} is not supported", ProblemArgs: quoted(cfg.Provider)}
}

// windowFrom is the span a refresh at t asks about: the engine's own window.
func windowFrom(t time.Time, loc *time.Location) calendar.Window {
	return calendar.FetchWindow(t, loc)
}
