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

// shownColleagues is how many colleagues the cost quoted before a Source is
// built assumes the operator looks at: the one selected in the console.
// Watched colleagues add theirs when watched (the engine's plan counts them).
const shownColleagues = 1

// refreshCost is what refreshes of people colleagues send on cfg, for the
// places that quote a cost before a Source is built (Settings, the doctor):
// the same figures as the engine's plan (calendar.Refresher.Plan).
func refreshCost(cfg Config, people int) calendar.Cost {
	switch cfg.Provider {
	case ProviderM365:
		return calendar.Refreshes(graph.RefreshRequests(people, graph.DefaultBatchSize, cfg.Microsoft365.Presence))
	case ProviderEWS:
		return ews.RefreshCost(people, shownColleagues, ews.MailTipsAvailable(cfg.EWS.Version))
	}
	return calendar.Cost{} // the demo company sends nothing
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
