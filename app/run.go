// Package app is Frontdesk's composition root: configuration and policy, OS
// paths, logging, the single instance, the choice of calendar source, and the
// headless commands. main hands over to Run; nothing else is composed elsewhere.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// Version is stamped at build time: -ldflags "-X github.com/frontdesk-app/frontdesk/app.Version=1.2.3".
var Version = "dev"

// Exit codes of the headless commands (a contract scripts rely on: README).
const (
	ExitOK        = 0
	ExitPartial   = 1
	ExitConfig    = 2
	ExitAuth      = 3
	ExitThrottled = 4
	// ExitOutput: the answer could not be written to stdout (a full disk, a
	// closed pipe), so the reader got nothing or a torn answer. 74 is
	// sysexits.h's EX_IOERR.
	ExitOutput = 74
	// ExitInterrupted is the shell's code for a command stopped by Ctrl-C
	// (128 + SIGINT), so a script can tell "stopped" from "failed".
	ExitInterrupted = 130
)

// Env is everything a command reads from the outside world, so tests can run
// commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
	Paths  Paths
	// Logger is set once the log file is open.
	Logger *slog.Logger
	// DemoPeople sizes the demo company (--demo-people); zero: the default.
	DemoPeople int
	// uiThread is what the console's window measured of its thread
	// (ui.ReportUIThread); nil in commands without a window.
	uiThread func() ui.UIThreadReport
	// clockOffset moves "now" for a demo console started with --at.
	clockOffset time.Duration
	// logLevel is the open log's level: FRONTDESK_LOG_LEVEL, else the
	// configuration's log_level once it is loaded.
	logLevel slog.LevelVar
	// writer serialises the console's writes of config.toml (configWriter).
	writerOnce sync.Once
	writer     *configWriter
}

// Run is the whole program: it parses args (without the program name) and returns
// the exit code.
func Run(args []string) int {
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
	env.Paths = DefaultPaths(env.Getenv)
	// SIGTERM as well as Ctrl-C: a service manager's stop or a logout must end
	// every command the same way, never by the default action that kills the
	// process mid-write (the console window has no handler of its own until
	// its event loop runs).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A closed pipe on stdout is a write error the command reports (exit
	// ExitOutput), not a silent death by SIGPIPE.
	signal.Ignore(syscall.SIGPIPE)
	// Fyne and libraries print to the standard logger: scrubbed like the rest.
	log.SetOutput(scrubbingWriter{os.Stderr})
	stopProfile := startHeapProfile(env.Getenv, os.Stderr)
	defer stopProfile()
	stopCPUProfile := startCPUProfile(env.Getenv, os.Stderr)
	defer stopCPUProfile()
	return env.run(ctx, args)
}

func (env *Env) run(ctx context.Context, args []string) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	env.registerEnvironmentSecrets()
	out := &outputWriter{w: scrubbingWriter{env.Stdout}}
	if env.Stdout == nil {
		out.w = io.Discard
	}
	env.Stdout = out
	if env.Stderr != nil {
		env.Stderr = scrubbingWriter{env.Stderr}
	}
	code := env.dispatch(ctx, cmd, args)
	if err := out.Err(); (err != nil || code == ExitOutput) && code != ExitInterrupted {
		return env.outputFailed(cmd, err)
	}
	return code
}

func (env *Env) dispatch(ctx context.Context, cmd string, args []string) int {
	switch cmd {
	case "":
		return env.cmdConsole(ctx, args)
	case "status":
		return env.cmdStatus(ctx, args)
	case "watch":
		return env.cmdWatch(ctx, args)
	case "signin":
		return env.cmdSignin(ctx, args)
	case "signout":
		return env.cmdSignout(ctx, args)
	case "whoami":
		return env.cmdWhoami(ctx, args)
	case "doctor":
		return env.cmdDoctor(ctx, args)
	case "ews-password":
		return env.cmdEWSPassword(ctx, args)
	case "version", "--version":
		CurrentBuild().Write(env.Stdout)
		return ExitOK
	case "write-policy":
		return env.cmdWritePolicy(args)
	case "help", "-h", "--help":
		env.usage()
		return ExitOK
	default:
		fmt.Fprintf(env.Stderr, "frontdesk: unknown command %q\n", cmd)
		env.usage()
		return ExitConfig
	}
}

func (env *Env) usage() {
	fmt.Fprint(env.Stderr, `Usage:
  frontdesk [--demo [--demo-people N] [--at RFC3339]] [--config FILE]   open the console
  frontdesk status [--json] [--config FILE] [--demo] [--at RFC3339]
  frontdesk watch [--json] [--config FILE] [--demo]
  frontdesk signin [--device-code] | signout | whoami
  frontdesk ews-password [--config FILE]     store the Exchange password (read from stdin)
  frontdesk doctor [--json] [--bundle] [--config FILE]   check settings, network, keyring and accounts
  frontdesk version
  frontdesk write-policy [--tenant ...] [--remove]  provision the admin policy (installers)
`)
}

// commonFlags are the flags every command that loads a configuration takes.
type commonFlags struct {
	configFile string
	demo       bool
	demoPeople int
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configFile, "config", "", "config file (default: the per-user config.toml, or $FRONTDESK_CONFIG)")
	fs.BoolVar(&c.demo, "demo", false, "use the built-in demo company instead of a real server")
	fs.IntVar(&c.demoPeople, "demo-people", calendar.DefaultDemoPeople, "how many colleagues the demo company has (for measurements)")
}

func (env *Env) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("frontdesk "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// loadConfig applies the common flags, loads the configuration and opens the log.
// A broken configuration is reported here with the file and key.
func (env *Env) loadConfig(c commonFlags) (*Loaded, error) {
	if c.configFile != "" {
		env.Paths.ConfigFile = c.configFile
	}
	env.DemoPeople = c.demoPeople
	if env.Logger == nil {
		env.Logger = discardLogger()
		env.logLevel.Set(logLevel(env.Getenv))
		if lg, err := OpenLog(env.Paths.LogDir, &env.logLevel); err == nil {
			env.Logger = lg.Logger
			env.Logger.Info("frontdesk started", "version", Version, "config", env.Paths.ConfigFile, "demo", c.demo)
		} else {
			fmt.Fprintf(env.Stderr, "frontdesk: cannot open the log in %s: %v\n", env.Paths.LogDir, err)
		}
	}
	var override func(*Config)
	if c.demo {
		override = func(cfg *Config) { cfg.Provider = ProviderDemo }
	}
	l, err := LoadConfig(env.Paths, override)
	if err != nil {
		env.Logger.Error("configuration rejected", "err", err)
		return nil, err
	}
	for _, w := range l.Warnings {
		env.Logger.Warn("configuration", "warning", w)
	}
	env.applyLogLevel(l.Config)
	logZone(env.Logger, l.Config)
	return l, nil
}

// applyLogLevel sets the log to the configuration's log_level unless the
// environment chose one (FRONTDESK_LOG_LEVEL wins, for a one-off debug run).
func (env *Env) applyLogLevel(cfg Config) {
	if cfg.LogLevel == "" || env.Getenv("FRONTDESK_LOG_LEVEL") != "" {
		return
	}
	var lvl slog.Level
	if lvl.UnmarshalText([]byte(cfg.LogLevel)) == nil {
		env.logLevel.Set(lvl)
	}
}

func logLevel(getenv func(string) string) slog.Level {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(getenv("FRONTDESK_LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return lvl
}

// interrupted reports whether the operator stopped the command (Ctrl-C,
// SIGTERM) and, if so, says so on stderr: whatever failed after that failed
// because of it, and "Cannot reach the server" would send them looking for a
// network problem that is not there.
func (env *Env) interrupted(ctx context.Context) bool {
	if ctx.Err() == nil {
		return false
	}
	fmt.Fprintln(env.Stderr, "Interrupted.")
	return true
}

// exitCodeFor maps a failure to the contract's exit codes.
func exitCodeFor(err error) int {
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return ExitConfig
	}
	switch calendar.KindOf(err) {
	case calendar.KindConfig:
		return ExitConfig
	case calendar.KindAuth, calendar.KindLocked, calendar.KindPermission:
		return ExitAuth
	}
	return ExitThrottled
}
