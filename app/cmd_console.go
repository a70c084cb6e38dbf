package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/assets"
	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/ui"
)

func (env *Env) cmdConsole(ctx context.Context, args []string) int {
	fs := env.newFlagSet("")
	var common commonFlags
	common.register(fs)
	atFlag := fs.String("at", "", "with --demo: run the demo company's day as if the console started at this RFC3339 instant (screenshots, tests)")
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	if *atFlag != "" {
		at, err := time.Parse(time.RFC3339, *atFlag)
		if err != nil || !common.demo {
			fmt.Fprintf(env.Stderr, "frontdesk: --at needs --demo and an RFC3339 time such as 2026-11-23T10:00:00+01:00\n")
			return ExitConfig
		}
		env.startClockAt(at)
	}
	if common.configFile != "" {
		env.Paths.ConfigFile = common.configFile
	}
	env.DemoPeople = common.demoPeople
	auth.PreventBusAutolaunch() // before Fyne asks for the session bus
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
		return env.consoleRefused(ctx, err)
	}
	defer release()
	raise, stopRaise, err := listenForRaise(env.Paths.StateDir, env.Logger)
	if err != nil {
		env.Logger.Warn("a second start cannot bring this window to the front", "err", err)
	} else {
		defer stopRaise()
	}
	env.Logger.Info("console starting", "version", Version, "config", env.Paths.ConfigFile, "demo", common.demo)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	live := newLiveEngine(ctx, env)
	settings := &windowSettings{env: env, live: live}
	messages := env.newDeskMessages(live)
	firstRun := !common.demo && IsFirstRun(env.Paths)

	var override func(*Config)
	if common.demo {
		override = func(c *Config) { c.Provider = ProviderDemo }
	}
	start := env.consoleStart(firstRun, override)
	firstRun, cfg := start.firstRun, start.cfg
	settingsProblem, policyProblem := start.settingsProblem, start.policyProblem

	notes := NewNotesStore(notesPath(env.Paths, cfg), deskAuthor(), env.Now)
	notes.SetLogger(env.Logger)
	env.Logger.Info("desk notes", "file", notes.Path())
	live.photos = env.startPhotos(ctx, cfg)
	provider := func() string {
		c, _ := live.Config()
		return c.Provider
	}
	opts := ui.WindowOptions{
		FirstRun: firstRun,
		Version:  Version,
		Icon:     assets.Icon,
		Raise:    raise,

		SettingsProblem: settingsProblem,
		PolicyProblem:   policyProblem,
		Logger:          env.Logger,
		Console: ui.Options{
			Demo:          !firstRun && cfg.Provider == ProviderDemo,
			Now:           env.Now,
			Describe:      func(err error) string { return windowMessage(provider(), err, env.Now()) },
			RefreshPerson: live.RefreshPerson,
			Favourites:    cfg.People.Favourites,
			CallURI:       cfg.Actions.CallURI,
			DialPrefix:    cfg.Actions.DialPrefix,
			Notes:         notes,
			Photos:        photoSource(live.photos),
			Messages:      messages,
			// Watched colleagues go first in every refresh; no request of their own.
			WatchesChanged: live.SetWatched,
			SaveFavourites: func(keys []string) <-chan error {
				// Queued here, on the goroutine that orders the clicks; waited
				// for off it.
				live.SetFavourites(keys)
				pending := env.queueFavourites(keys)
				outcome := make(chan error, 1)
				go func() { outcome <- favouritesNotSaved(env.favouritesSaved(ctx, pending, len(keys))) }()
				return outcome
			},
		},
		Actions: env.windowActions(live, settings, provider),
	}
	opts.Console.ChatURI, opts.Console.MessageTemplates = cfg.Actions.ChatURI, cfg.Actions.MessageTemplates
	if !firstRun {
		live.Start(cfg)
	}
	go messages.keepPruning(ctx)
	env.uiThread = ui.ReportUIThread
	if err := ui.Run(ctx, opts, live.Snapshots()); err != nil {
		env.Logger.Error("window not opened", "err", err)
		fmt.Fprintf(env.Stderr, "frontdesk: cannot open the window: %v.\n"+
			"Start Frontdesk from a desktop session, or use \"frontdesk status\" or \"frontdesk watch\" in a terminal.\n", err)
		return ExitConfig
	}
	env.Logger.Info("console closed", uiThreadAttrs(ui.ReportUIThread())...)
	return ExitOK
}

// windowActions wires what the window can ask for to the engine, the keyring,
// the sign-in and the settings file.
func (env *Env) windowActions(live *liveEngine, settings *windowSettings, provider func() string) ui.Actions {
	return ui.Actions{
		Remedy: func(err error) ui.Remedy { return remedyFor(provider(), err) },
		Resume: live.Resume,
		ExchangeUser: func() string {
			c, _ := live.Config()
			return c.EWS.Username
		},
		StorePassword: func(ctx context.Context, password string) error {
			c, _ := live.Config()
			// Checked first, stored only once the server took it: a rejected
			// one leaves the stored password, and the engine with the data on
			// screen, as they were.
			if err := env.proveEWSPassword(ctx, c, password, live.KnownEmails()...); err != nil {
				env.Logger.Warn("ews password from the window not accepted; nothing stored", "err", err)
				return operatorError{sentence: windowMessage(ProviderEWS, err, env.Now()), err: err}
			}
			if err := env.saveEWSPassword(ctx, c, password); err != nil {
				env.Logger.Warn("ews password not stored", "err", err)
				return operatorError{sentence: windowMessage(ProviderEWS, err, env.Now()), err: err}
			}
			env.Logger.Info("ews password accepted by the server and stored from the window", "user", c.EWS.Username)
			live.Restart()
			return nil
		},
		SignIn: func(ctx context.Context) (ui.SignedIn, error) {
			return env.windowSignIn(ctx, live, false, nil)
		},
		SignInWithCode: func(ctx context.Context, show func(ui.DeviceCode)) (ui.SignedIn, error) {
			return env.windowSignIn(ctx, live, true, show)
		},
		SignOut: func(ctx context.Context) error {
			if err := signOutFromWindow(ctx, env); err != nil {
				return operatorError{sentence: OperatorMessage(err), err: err}
			}
			env.Logger.Info("signed out from the window")
			// Nobody's calendars stay on screen after a sign-out: a fresh
			// engine starts paused, asking to sign in.
			if c, ok := live.Config(); ok {
				live.Start(c)
			}
			return nil
		},
		Account: func(ctx context.Context) string {
			c, _ := live.Config()
			client, err := env.newAuthClient(c)
			if err != nil {
				return ""
			}
			acct, err := client.CurrentAccount(ctx)
			if err != nil {
				return ""
			}
			return acct.Username
		},
		Settings:         settings.Form,
		CheckSettings:    settings.Check,
		Budget:           settings.Budget,
		BudgetRooms:      settings.BudgetRooms,
		SaveSettings:     settings.Save,
		Connect:          settings.Connect,
		TrustCertificate: settings.TrustCertificate,
		SearchDirectory:  settings.SearchDirectory,
		AddColleagues:    settings.AddColleagues,
		TryDemo: func() {
			c := DefaultConfig()
			c.Provider = ProviderDemo
			live.Start(c)
		},
		LogFolder: env.Paths.LogDir,
		Diagnostics: func(ctx context.Context) (string, string, error) {
			c, _ := live.Config()
			live.mu.Lock()
			snap, have := live.latest, live.gen > 0
			live.mu.Unlock()
			return env.diagnostics(ctx, c, snap, have)
		},
		About: ui.AboutInfo{Version: Version, Commit: Commit, BuildDate: BuildDate, Licences: licenceNotices()},
	}
}

// consoleRefused answers a console start the profile lock refused: a running
// console is asked to come to the front; when none answers, the refusal goes
// to stderr, the log and, since a start from the applications menu has no
// terminal, a window of its own.
func (env *Env) consoleRefused(ctx context.Context, err error) int {
	running := errors.Is(err, ErrAlreadyRunning)
	if running {
		rerr := askToRaise(ctx, env.Paths.StateDir)
		if rerr == nil {
			fmt.Fprintln(env.Stderr, "frontdesk: Frontdesk is already open for this user; its window was brought to the front.")
			env.Logger.Info("second start: the running console was asked to come to the front")
			return ExitOK
		}
		env.Logger.Info("second start: no console answered", "err", rerr)
	}
	fmt.Fprintf(env.Stderr, "frontdesk: %v\n", err)
	env.Logger.Warn("second instance refused", "err", err)
	if running {
		_ = ui.ShowAlreadyRunning(Version, assets.Icon)
	}
	return ExitConfig
}

// settingsProblemSentence is what the window says, until settings are saved,
// when the configuration was refused: the file, key and line, and what
// Frontdesk runs on instead. Empty when it loaded.
func settingsProblemSentence(l *Loaded, err error) string {
	switch {
	case err == nil:
		return ""
	case l == nil:
		return lang.L("{{.Problem}} Frontdesk cannot read its settings and shows no colleagues until they are fixed in Settings or set up again here.", map[string]any{"Problem": OperatorMessage(err)})
	}
	return lang.L("{{.Problem}} Running on the last good settings; fix it in Settings.", map[string]any{"Problem": OperatorMessage(err)})
}

// policyProblemSentence is what the window says while the admin policy is
// not trusted: why, and whether the locks of its last trusted copy still
// apply. Empty when the policy is trusted or absent.
func policyProblemSentence(p Paths, l *Loaded) string {
	if l.PolicyDistrust == nil {
		return ""
	}
	args := map[string]any{"File": fileSafe(p.PolicyFile), "Reason": fileSafe(l.PolicyDistrust.Error())}
	if l.PolicyKept {
		return lang.L("The admin policy {{.File}} is not trusted ({{.Reason}}): the locks of its last trusted copy still apply. Tell your IT administrator.", args)
	}
	return lang.L("The admin policy {{.File}} is not trusted ({{.Reason}}), so its settings are ignored. Tell your IT administrator.", args)
}

// consoleStartup is what the console opens on.
type consoleStartup struct {
	cfg      Config
	firstRun bool // the welcome page, and no engine
	// settingsProblem and policyProblem are the window's sentences about a
	// refused configuration and an untrusted policy.
	settingsProblem, policyProblem string
}

// consoleStart loads the configuration for the console. A refused one runs
// on the last good settings when there are some; otherwise on nothing: the
// welcome page under the reason, never the fictional demo company (an
// operator would take it for a working console). Only --demo opens the demo.
func (env *Env) consoleStart(firstRun bool, override func(*Config)) consoleStartup {
	s := consoleStartup{firstRun: firstRun}
	if firstRun {
		// Nothing to run on yet, but a policy that was there and ignored
		// must say why above the welcome page and in the log: the operator
		// would otherwise set up by hand what IT meant to provision.
		if _, distrust, kept, err := policyInForce(env.Paths); err == nil && distrust != nil {
			env.Logger.Warn("configuration", "warning", policyDistrustWarning(env.Paths, distrust, kept))
			s.policyProblem = policyProblemSentence(env.Paths, &Loaded{PolicyDistrust: distrust, PolicyKept: kept})
		}
		return s
	}
	l, err := LoadConfigKeepingLastGood(env.Paths, override)
	s.settingsProblem = settingsProblemSentence(l, err)
	switch {
	case err != nil && l == nil && override != nil:
		env.Logger.Error("configuration rejected, no last good one; demo as asked", "err", err)
		s.cfg = DefaultConfig()
		override(&s.cfg)
	case err != nil && l == nil:
		env.Logger.Error("configuration rejected, no last good one", "err", err)
		s.firstRun = true
	case err != nil:
		env.Logger.Error("configuration rejected, running on the last good one", "err", err)
		s.cfg = l.Config
	default:
		s.cfg = l.Config
	}
	if l != nil {
		for _, w := range l.Warnings { // an untrusted policy file, unknown keys
			env.Logger.Warn("configuration", "warning", w)
		}
		s.policyProblem = policyProblemSentence(env.Paths, l)
	}
	return s
}
