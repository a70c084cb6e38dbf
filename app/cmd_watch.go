package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// cmdWatch runs the refresh engine headless and prints one snapshot per refresh
// (and per change of the engine's state) until interrupted. It does not exit
// when sign-in is rejected: a supervisor restarting it would send the stale
// password again, which is exactly how accounts get locked. It prints the
// paused state and waits.
func (env *Env) cmdWatch(ctx context.Context, args []string) int {
	fs := env.newFlagSet("watch")
	var common commonFlags
	common.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per line, the same shape as status --json")
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	l, err := env.loadConfig(common)
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk: configuration error: %v\n", err)
		return ExitConfig
	}
	// The console's lock: two pollers on one profile would double the
	// requests against the same throttling and lockout budgets.
	release, err := lockInstance(env.Paths.StateDir)
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk watch: %v\n", err)
		env.Logger.Warn("watch refused: another instance polls this profile", "err", err)
		return ExitConfig
	}
	defer release()
	engine, err := env.newRefresher(ctx, l.Config)
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk watch: %s\n", termSafe(OperatorMessage(err)))
		return exitCodeFor(err)
	}
	snapshots, unsubscribe := engine.Subscribe()
	defer unsubscribe()
	engineCtx, stopEngine := context.WithCancel(ctx)
	defer stopEngine()
	done := make(chan error, 1)
	go func() { done <- engine.Run(engineCtx) }()

	var last calendar.Snapshot
	printed := false
	for {
		select {
		case <-ctx.Done():
			<-done
			return ExitOK
		case snap := <-snapshots:
			if snap.Engine.Refreshing || (printed && sameRefresh(last, snap)) {
				continue
			}
			last, printed = snap, true
			if err := env.printWatch(snap, *asJSON); err != nil {
				// Nobody reads what is fetched: stop polling rather than
				// spend the request budget on nothing.
				stopEngine()
				<-done
				return ExitOutput
			}
		}
	}
}

// sameRefresh is true when snap adds nothing to what was printed: the same
// refresh in the same engine state.
func sameRefresh(a, b calendar.Snapshot) bool {
	return a.GeneratedAt.Equal(b.GeneratedAt) && a.Engine.State == b.Engine.State &&
		a.Engine.Until.Equal(b.Engine.Until)
}

func (env *Env) printWatch(snap calendar.Snapshot, asJSON bool) error {
	if !asJSON {
		if err := env.printTable(snap); err != nil {
			return err
		}
		if snap.Engine.Reason != nil {
			fmt.Fprintf(env.Stdout, "  %s\n", termSafe(OperatorMessage(snap.Engine.Reason)))
		}
		fmt.Fprintln(env.Stdout)
		return env.outputErr()
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "%s\n", b)
	return err
}
