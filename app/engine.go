package app

import (
	"context"
	"strings"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// newRefresher builds the source from cfg and the engine that polls it.
func (env *Env) newRefresher(ctx context.Context, cfg Config) (*calendar.Refresher, error) {
	src, err := env.buildSource(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return env.newEngine(cfg, src, nil)
}

// newEngine is the one place an engine is configured, so the console, watch
// and status fetch the same window and list people in the same order. A nil
// clock is the wall clock.
func (env *Env) newEngine(cfg Config, src calendar.Source, clock calendar.Clock) (*calendar.Refresher, error) {
	if clock == nil && env.clockOffset != 0 {
		clock = offsetClock{offset: env.clockOffset}
	}
	return calendar.NewRefresher(calendar.RefresherOptions{
		Source:           src,
		Interval:         cfg.RefreshInterval.Duration,
		AllowFastPolling: cfg.Policy.AllowFastRefresh,
		Location:         location(cfg),
		Favourites:       cfg.People.Favourites,
		SoonWithin:       time.Duration(cfg.Actions.FreeSoonMinutes) * time.Minute,
		RoomsOff:         !cfg.Rooms,
		Clock:            clock,
		Logger:           env.Logger,
	})
}

// instantClock stops the engine's "now" at one instant, for `status`: the
// snapshot is evaluated and the window chosen at exactly that instant (--at or
// the moment it was asked), while request timeouts still run in real time.
type instantClock struct {
	calendar.SystemClock
	at time.Time
}

func (c instantClock) Now() time.Time { return c.at }

// offsetClock runs the wall clock from another starting instant: the demo
// console started with --at shows a working day whatever the real date, so a
// screenshot or an end-to-end run on a Sunday night still has colleagues in
// meetings. Timers keep real durations.
type offsetClock struct {
	calendar.SystemClock
	offset time.Duration
}

func (c offsetClock) Now() time.Time { return time.Now().Add(c.offset) }

// startClockAt makes "now" read at from this moment on, for the engine and
// the window alike.
func (env *Env) startClockAt(at time.Time) {
	env.clockOffset = time.Until(at)
	offset := env.clockOffset
	env.Now = func() time.Time { return time.Now().Add(offset) }
}

// uniqueAddresses trims the configured addresses and keeps the first of any
// that differ only in case or spaces: every source asks once per entry
// (ResolveNames per address, a mailbox in each availability request), so a
// repeated colleague would cost requests and show twice.
func uniqueAddresses(emails []string) []string {
	seen := make(map[string]bool, len(emails))
	out := make([]string, 0, len(emails))
	for _, e := range emails {
		e = strings.TrimSpace(e)
		k := strings.ToLower(e)
		if e == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
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
