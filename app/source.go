package app

import (
	"context"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/graph"
	"github.com/frontdesk-app/frontdesk/ews"
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

// refreshRequests is every request one refresh of people colleagues sends on
// cfg: the Source's own count (calendar.RequestsPerRefresh), for the places
// that quote a cost before a Source is built (Settings, the doctor).
func refreshRequests(cfg Config, people int) int {
	switch cfg.Provider {
	case ProviderM365:
		return graph.RefreshRequests(people, graph.DefaultBatchSize, cfg.Microsoft365.Presence)
	case ProviderEWS:
		return ews.RefreshRequests(people, ews.MailTipsAvailable(cfg.EWS.Version))
	}
	return 0 // the demo company sends nothing
}

// roomRequests is what the meeting rooms add to a refresh: at most one more
// availability request per batch of rooms (getSchedule 20, EWS 100; fewer
// where they share a batch with colleagues), and nothing else (no presence,
// no MailTips for rooms).
func roomRequests(cfg Config, rooms int) int {
	switch cfg.Provider {
	case ProviderM365:
		return calendar.RequestsPerCycle(rooms, graph.DefaultBatchSize)
	case ProviderEWS:
		return calendar.RequestsPerCycle(rooms, ews.MaxMailboxesPerRequest)
	}
	return 0
}
