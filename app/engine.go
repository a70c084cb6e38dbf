package app

import (
	"context"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// newRefresher builds the source from cfg and the engine that polls it.
func (env *Env) newRefresher(ctx context.Context, cfg Config) (*calendar.Refresher, error) {
	src, err := env.buildSource(ctx, cfg)
	if err != nil {
		return nil, err
	}
	favourites := make([]string, len(cfg.People.Favourites))
	for i, f := range cfg.People.Favourites {
		favourites[i] = strings.ToLower(f)
	}
	return calendar.NewRefresher(calendar.RefresherOptions{
		Source:           src,
		Interval:         cfg.RefreshInterval.Duration,
		AllowFastPolling: cfg.Policy.AllowFastRefresh,
		Location:         location(cfg),
		Favourites:       favourites,
		Logger:           env.Logger,
	})
}

// failedSnapshot is what the UI and watch show when no engine could be built:
// the state and the reason, no people.
func (env *Env) failedSnapshot(cfg Config, err error) calendar.Snapshot {
	state := calendar.StateOffline
	switch exitCodeFor(err) {
	case ExitAuth:
		state = calendar.StateAuthPaused
	case ExitConfig:
		state = calendar.StateConfigError
	default:
		if calendar.KindOf(err) == calendar.KindThrottled {
			state = calendar.StateThrottled
		}
	}
	now := env.Now()
	return calendar.Snapshot{Source: cfg.Provider, At: now.In(location(cfg)), GeneratedAt: now,
		Engine: calendar.EngineState{State: state, Reason: err}}
}
