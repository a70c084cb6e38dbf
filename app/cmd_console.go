package app

import (
	"context"
	"fmt"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

func (env *Env) cmdConsole(ctx context.Context, args []string) int {
	fs := env.newFlagSet("")
	var common commonFlags
	common.register(fs)
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	if common.configFile != "" {
		env.Paths.ConfigFile = common.configFile
	}
	lg, err := OpenLog(env.Paths.LogDir, logLevel(env.Getenv))
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk: cannot open the log in %s: %v\n", env.Paths.LogDir, err)
		env.Logger = discardLogger()
	} else {
		defer lg.Close()
		env.Logger = lg.Logger
	}
	release, err := lockInstance(env.Paths.StateDir)
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk: %v\n", err)
		env.Logger.Warn("second instance refused", "err", err)
		return ExitConfig
	}
	defer release()
	env.Logger.Info("console starting", "version", Version, "config", env.Paths.ConfigFile, "demo", common.demo)

	var override func(*Config)
	if common.demo {
		override = func(c *Config) { c.Provider = ProviderDemo }
	}
	notice := ""
	l, err := LoadConfigKeepingLastGood(env.Paths, override)
	switch {
	case err != nil && l == nil:
		// Nothing good to run on: open on the demo company, clearly labelled, and
		// say what to fix, rather than a window with nothing in it.
		env.Logger.Error("configuration rejected, no last good one", "err", err)
		notice = OperatorMessage(err) + " Showing demo data until it is fixed."
		cfg := DefaultConfig()
		cfg.Provider = ProviderDemo
		l = &Loaded{Config: cfg}
	case err != nil:
		env.Logger.Error("configuration rejected, running on the last good one", "err", err)
		notice = OperatorMessage(err) + " Running on the last good settings."
	}
	cfg := l.Config
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := ui.Options{
		Demo:     cfg.Provider == ProviderDemo,
		Notice:   notice,
		Now:      env.Now,
		Describe: OperatorMessage,
	}
	engine, err := env.newRefresher(ctx, cfg)
	if err != nil {
		env.Logger.Error("cannot start refreshing", "err", err)
		snapshots := make(chan calendar.Snapshot, 1)
		snapshots <- env.failedSnapshot(cfg, err)
		ui.Run(ctx, opts, snapshots)
		return ExitOK
	}
	go func() { _ = engine.Run(ctx) }()
	snapshots, unsubscribe := engine.Subscribe()
	defer unsubscribe()
	opts.RefreshPerson = func(key string) {
		engine.SetSelected(key)
		// Paused or backing off: the state line already says why nothing is sent.
		_ = engine.RefreshNow(key)
	}
	ui.Run(ctx, opts, snapshots)
	env.Logger.Info("console closed")
	return ExitOK
}
