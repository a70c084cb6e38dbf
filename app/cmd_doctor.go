package app

import (
	"context"
	"fmt"
)

// cmdDoctor runs every check an admin would ask for first and says, per
// check, what to do. Exit 0 when nothing failed, 1 when something did, 2
// when the configuration cannot be read.
func (env *Env) cmdDoctor(ctx context.Context, args []string) int {
	fs := env.newFlagSet("doctor")
	configFile := fs.String("config", "", "config file (default: the per-user config.toml, or $FRONTDESK_CONFIG)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	bundle := fs.Bool("bundle", false, "also write frontdesk-diagnostics-<time>.zip into the log folder and print its path")
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	if *configFile != "" {
		env.Paths.ConfigFile = *configFile
	}
	env.ensureLogger()
	report := env.RunDoctor(ctx)
	for _, c := range report.Checks {
		if c.Status == CheckWarn || c.Status == CheckFail {
			env.Logger.Warn("doctor: "+c.Name, "status", string(c.Status), "detail", c.Detail)
		}
	}
	env.Logger.Info("doctor finished", "exit", report.Exit, "checks", len(report.Checks))
	if *asJSON {
		_, _ = env.Stdout.Write(report.JSON())
	} else {
		report.WriteText(env.Stdout)
	}
	if *bundle {
		path, err := env.WriteBundle(ctx, BundleInput{Doctor: report})
		if err != nil {
			fmt.Fprintf(env.Stderr, "frontdesk doctor: cannot write the diagnostics bundle: %v\n", err)
			return max(report.Exit, ExitPartial)
		}
		out := env.Stdout
		if *asJSON {
			out = env.Stderr // stdout stays one JSON document
		}
		fmt.Fprintf(out, "Diagnostics bundle: %s\n", path)
	}
	return report.Exit
}

// ensureLogger opens the log file once, at the configured level, for the
// commands that run without loading the configuration first.
func (env *Env) ensureLogger() {
	if env.Logger != nil {
		return
	}
	env.Logger = discardLogger()
	env.logLevel.Set(logLevel(env.Getenv))
	if lg, err := OpenLog(env.Paths.LogDir, &env.logLevel); err == nil {
		env.Logger = lg.Logger
	}
}
