package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// cmdDoctor prints what IT asks first: versions, paths, whether the settings load.
func (env *Env) cmdDoctor(ctx context.Context, args []string) int {
	fs := env.newFlagSet("doctor")
	var common commonFlags
	common.register(fs)
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	if common.configFile != "" {
		env.Paths.ConfigFile = common.configFile
	}
	p := env.Paths
	fmt.Fprintf(env.Stdout, "frontdesk %s\n", Version)
	fmt.Fprintf(env.Stdout, "config:  %s%s\n", p.ConfigFile, existsNote(p.ConfigFile))
	fmt.Fprintf(env.Stdout, "policy:  %s%s\n", p.PolicyFile, existsNote(p.PolicyFile))
	fmt.Fprintf(env.Stdout, "log:     %s\n", filepath.Join(p.LogDir, LogFileName))
	l, err := env.loadConfig(common)
	if err != nil {
		fmt.Fprintf(env.Stdout, "settings: PROBLEM: %v\n", err)
		return ExitConfig
	}
	fmt.Fprintf(env.Stdout, "settings: ok (provider %s, refresh every %s)\n", l.Config.Provider, l.Config.RefreshInterval.Duration)
	for k := range l.Locked {
		fmt.Fprintf(env.Stdout, "locked by policy: %s\n", k)
	}
	for _, w := range l.Warnings {
		fmt.Fprintf(env.Stdout, "warning: %s\n", w)
	}
	return ExitOK
}

func existsNote(path string) string {
	if _, err := os.Stat(path); err != nil {
		return " (not present)"
	}
	return ""
}
