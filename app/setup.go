package app

import (
	"context"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// IsFirstRun reports whether the operator has nothing to run on yet: no
// config file, and no admin policy that is a working configuration by itself.
// A policy that sets nothing (the .deb's commented-out template) or leaves a
// key for the operator (a tenant without a client ID) opens the welcome page,
// prefilled from the policy, rather than demo data under an error. A policy
// that is itself wrong does not: the console names its file.
func IsFirstRun(p Paths) bool {
	if p.ConfigFile != "" {
		if _, err := os.Stat(p.ConfigFile); err == nil || !errors.Is(err, os.ErrNotExist) {
			return false
		}
	}
	l, err := LoadConfig(p, nil)
	if err == nil {
		return len(l.Locked) == 0
	}
	var ce *ConfigError
	return errors.As(err, &ce) && ce.File != p.PolicyFile
}

// policyDefaults is the defaults under the admin policy, not validated: what
// the welcome page starts from when the policy leaves keys for the operator.
func policyDefaults(p Paths) *Loaded {
	l := &Loaded{Config: DefaultConfig(), User: DefaultConfig(), Locked: map[string]bool{}}
	if data, _, _, err := policyInForce(p); err == nil { // trusted, or the last trusted copy
		if decodeData(p.PolicyFile, data, &l.Config, l.Locked, &l.Warnings) != nil {
			return &Loaded{Config: DefaultConfig(), User: DefaultConfig(), Locked: map[string]bool{}}
		}
	}
	return l
}

// settingsFromConfig is the form's view of cfg.
func settingsFromConfig(cfg Config) ui.Settings {
	people := ui.PeopleList
	switch {
	case cfg.People.All:
		people = ui.PeopleAll
	case cfg.People.Group != "":
		people = ui.PeopleGroup
	}
	return ui.Settings{
		Provider:        cfg.Provider,
		Tenant:          cfg.Microsoft365.Tenant,
		ClientID:        cfg.Microsoft365.ClientID,
		Cloud:           cfg.Microsoft365.Cloud,
		Presence:        cfg.Microsoft365.Presence,
		EWSURL:          cfg.EWS.URL,
		EWSVersion:      cfg.EWS.Version,
		EWSAuth:         cfg.EWS.Auth,
		EWSUser:         cfg.EWS.Username,
		EWSCAFile:       cfg.EWS.CAFile,
		RefreshInterval: calendar.FormatInterval(cfg.RefreshInterval.Duration),
		People:          people,
		Emails:          strings.Join(cfg.People.Emails, "\n"),
		Group:           cfg.People.Group,
		Favourites:      strings.Join(cfg.People.Favourites, "\n"),
		TimeZone:        cfg.TimeZone,
		Photos:          cfg.Photos,
		Rooms:           cfg.Rooms,
		FreeSoonMinutes: strconv.Itoa(cfg.Actions.FreeSoonMinutes),
		NotesFile:       cfg.NotesFile,
	}
}

// applySettings writes the form's values into cfg, except the keys locked by
// the admin policy, which keep the policy's values. An interval or a number
// of minutes that does not parse is reported with the loader's sentence.
func applySettings(cfg Config, s ui.Settings, locked map[string]bool) (Config, error) {
	set := func(key string, apply func()) {
		if !locked[key] {
			apply()
		}
	}
	var intervalErr error
	set("photos", func() { cfg.Photos = s.Photos })
	set("rooms", func() { cfg.Rooms = s.Rooms })
	set("notes_file", func() { cfg.NotesFile = s.NotesFile })
	set("actions.free_soon_minutes", func() {
		if strings.TrimSpace(s.FreeSoonMinutes) == "" {
			cfg.Actions.FreeSoonMinutes = int(calendar.SoonWithin / time.Minute) // an emptied box: the default
			return
		}
		m, err := strconv.Atoi(strings.TrimSpace(s.FreeSoonMinutes))
		if err != nil {
			intervalErr = freeSoonProblem(s.FreeSoonMinutes)
			return
		}
		cfg.Actions.FreeSoonMinutes = m
	})
	set("provider", func() { cfg.Provider = s.Provider })
	set("microsoft365.tenant", func() { cfg.Microsoft365.Tenant = s.Tenant })
	set("microsoft365.client_id", func() { cfg.Microsoft365.ClientID = s.ClientID })
	set("microsoft365.cloud", func() { cfg.Microsoft365.Cloud = s.Cloud })
	set("microsoft365.presence", func() { cfg.Microsoft365.Presence = s.Presence })
	set("ews.url", func() { cfg.EWS.URL = s.EWSURL })
	set("ews.version", func() { cfg.EWS.Version = s.EWSVersion })
	set("ews.auth", func() { cfg.EWS.Auth = s.EWSAuth })
	set("ews.username", func() { cfg.EWS.Username = s.EWSUser })
	set("ews.ca_file", func() { cfg.EWS.CAFile = s.EWSCAFile })
	set("time_zone", func() { cfg.TimeZone = s.TimeZone })
	set("refresh_interval", func() {
		var d Duration
		if err := d.UnmarshalText([]byte(s.RefreshInterval)); err != nil {
			intervalErr = &ConfigError{Key: "refresh_interval", Problem: notADuration, ProblemArgs: quoted(s.RefreshInterval)}
			return
		}
		cfg.RefreshInterval = d
	})
	if !locked["people.emails"] && !locked["people.group"] && !locked["people.all"] {
		cfg.People.Emails, cfg.People.Group, cfg.People.All = nil, "", false
		switch s.People {
		case ui.PeopleAll:
			cfg.People.All = true
		case ui.PeopleGroup:
			cfg.People.Group = s.Group
		default:
			cfg.People.Emails = ui.Lines(s.Emails)
		}
	}
	set("people.favourites", func() { cfg.People.Favourites = ui.Lines(s.Favourites) })
	return cfg, intervalErr
}

// fieldProblem turns the loader's complaint into the form's: the same key, the
// same sentence.
func fieldProblem(err error) *ui.FieldProblem {
	if err == nil {
		return nil
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return &ui.FieldProblem{Key: ce.Key, Problem: ce.OperatorProblem()}
	}
	return &ui.FieldProblem{Problem: err.Error()}
}

// windowSettings is the settings logic behind the window: the form, its
// checks, saving and applying live.
type windowSettings struct {
	env  *Env
	live *liveEngine

	mu sync.Mutex
	// opened is the configuration the form opened with: the inline checks run
	// against it, so typing reads no file; Save and Connect load afresh.
	opened *Loaded
}

// load reads the configuration as it is on disk now (the operator or an admin
// may have changed it since the window opened).
func (ws *windowSettings) load() (*Loaded, error) {
	l, err := LoadConfig(ws.env.Paths, nil)
	if err != nil {
		// A broken file must still open in Settings so it can be fixed there:
		// start from defaults under the policy.
		fallback := ws.env.Paths
		fallback.ConfigFile = ""
		if good, gerr := LoadConfig(fallback, nil); gerr == nil {
			return good, err
		}
		return policyDefaults(fallback), err
	}
	return l, nil
}

// Form is what Settings opens with.
func (ws *windowSettings) Form() ui.SettingsForm {
	l, _ := ws.load()
	ws.mu.Lock()
	ws.opened = l
	ws.mu.Unlock()
	// The form shows what is saved, on the provider in use: trying the demo
	// (--demo, or from the welcome page) opens on the demo company, not on a
	// Microsoft 365 without a client id, red and with Save off (issue 21).
	values := settingsFromConfig(l.Config)
	if running, ok := ws.live.Config(); ok && running.Provider == ProviderDemo {
		values.Provider = ProviderDemo
	}
	return ui.SettingsForm{Values: values, Locked: l.Locked, Clouds: slices.Clone(clouds), EWSVersions: slices.Clone(ewsVersions)}
}

// effective is the configuration s would give: the form over the saved file,
// the policy on top.
func (ws *windowSettings) effective(s ui.Settings, fresh bool) (Config, *Loaded, error) {
	ws.mu.Lock()
	l := ws.opened
	ws.mu.Unlock()
	if fresh || l == nil {
		l, _ = ws.load()
	}
	cfg, err := applySettings(l.Config, s, l.Locked)
	if err != nil {
		return cfg, l, err
	}
	if !l.Locked["policy.allow_fast_refresh"] {
		cfg.Policy = PolicyOnlyConfig{}
	}
	return cfg, l, cfg.Validate()
}

// Check is the inline validation: the loader's sentence for the first wrong key.
func (ws *windowSettings) Check(s ui.Settings) *ui.FieldProblem {
	_, _, err := ws.effective(s, false)
	return fieldProblem(err)
}

// Budget is the requests an hour s would cost for the colleagues last seen.
func (ws *windowSettings) Budget(s ui.Settings) (int, int) {
	var d Duration
	if err := d.UnmarshalText([]byte(s.RefreshInterval)); err != nil || d.Duration <= 0 {
		return 0, 0
	}
	people := ws.live.People()
	if s.People == ui.PeopleList {
		if n := len(ui.Lines(s.Emails)); n > 0 {
			people = n
		}
	}
	if people == 0 {
		return 0, 0
	}
	cfg := Config{Provider: s.Provider, Microsoft365: M365Config{Presence: s.Presence}, EWS: EWSConfig{Version: s.EWSVersion}}
	rooms := 0
	if s.Rooms {
		rooms = ws.live.Rooms()
	}
	cost := refreshCost(cfg, people)
	cost.Each += roomRequests(cfg, rooms)
	return cost.PerHour(d.Duration), people
}

// BudgetRooms is how many meeting rooms Budget counts when the rooms are on.
func (ws *windowSettings) BudgetRooms() int { return ws.live.Rooms() }

// Save writes the form to the per-user file (atomically; policy-locked keys
// keep the user's own values there) and applies it to the running engine. It
// goes through the config writer, so it lands after any star clicked before
// it and on the file as that star left it; favourites the form did not change
// stay as the stars made them. It gives up with ctx.Err() when ctx ends first.
func (ws *windowSettings) Save(ctx context.Context, s ui.Settings) error {
	ws.mu.Lock()
	opened := ws.opened
	ws.mu.Unlock()
	var cfg Config
	var formErr error
	err := ws.env.configWriter().apply(ctx, func(latest *Loaded, _ error) (Config, error) {
		// A file that does not load is replaced by the form: that is how
		// Settings fixes it.
		form := s
		if opened != nil && slices.Equal(ui.Lines(s.Favourites), opened.Config.People.Favourites) {
			form.Favourites = strings.Join(latest.Config.People.Favourites, "\n")
		}
		effective, err := applySettings(latest.Config, form, latest.Locked)
		if err == nil {
			if !latest.Locked["policy.allow_fast_refresh"] {
				effective.Policy = PolicyOnlyConfig{}
			}
			err = effective.Validate()
		}
		if err == nil && (opened == nil || effective.NotesFile != opened.Config.NotesFile) {
			// A new notes file only: a share that is down for a moment
			// must not stop the operator saving another setting.
			err = notesFolderProblem(effective.NotesFile)
		}
		if err != nil {
			formErr = err
			return Config{}, err
		}
		user, err := applySettings(latest.User, form, latest.Locked)
		if err != nil {
			formErr = err
			return Config{}, err
		}
		cfg = effective
		return user, nil
	})
	switch {
	case err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()):
		// Given up waiting: the edit may still be running, so cfg and
		// formErr are not ours to read.
		ws.env.Logger.Warn("settings not saved: gave up waiting", "err", err)
		return err
	case formErr != nil && errors.Is(err, formErr):
		return fieldProblem(err)
	case err != nil:
		ws.env.Logger.Error("settings not saved", "file", ws.env.Paths.ConfigFile, "err", err)
		return operatorError{sentence: notSavedMessage(ws.env.Paths.ConfigFile, err), err: err}
	}
	ws.env.Logger.Info("settings saved from the window", "file", ws.env.Paths.ConfigFile, "provider", cfg.Provider, "interval", cfg.RefreshInterval.Duration)
	ws.live.Apply(cfg)
	return nil
}

// Connect proves a first-run choice before anything is saved: a Microsoft 365
// sign-in, or one availability request for the operator's own Exchange mailbox.
func (ws *windowSettings) Connect(ctx context.Context, s ui.Settings, password string, showCode func(ui.DeviceCode)) error {
	cfg, _, err := ws.effective(s, true)
	if err != nil {
		// The form names the field by its label on screen.
		return fieldProblem(err)
	}
	switch cfg.Provider {
	case ProviderM365:
		client, err := ws.env.newAuthClient(cfg)
		if err != nil {
			return connectError(err)
		}
		if showCode != nil {
			_, err = client.SignInWithDeviceCode(ctx, func(p auth.DeviceCodePrompt) {
				showCode(ui.DeviceCode{Code: p.UserCode, URL: p.VerificationURL})
			})
		} else {
			_, err = client.SignIn(ctx)
		}
		if err != nil {
			return connectError(err)
		}
	case ProviderEWS:
		if err := ws.env.proveEWSPassword(ctx, cfg, password); err != nil {
			return connectError(err)
		}
		if err := ws.env.saveEWSPassword(ctx, cfg, password); err != nil {
			return connectError(err)
		}
	}
	err = ws.env.configWriter().apply(ctx, func(latest *Loaded, _ error) (Config, error) {
		return applySettings(latest.User, s, latest.Locked)
	})
	if err != nil {
		return operatorError{sentence: notSavedMessage(ws.env.Paths.ConfigFile, err), err: err}
	}
	ws.env.Logger.Info("first run: connected and saved", "provider", cfg.Provider, "file", ws.env.Paths.ConfigFile)
	ws.live.Start(cfg)
	return nil
}

// connectError is a failed Connect for the welcome form: a settings
// problem names its key, which the form shows by its label on screen.
func connectError(err error) error {
	var ce *ConfigError
	if errors.As(err, &ce) {
		return fieldProblem(err)
	}
	return operatorError{sentence: OperatorMessage(err), err: err}
}

// saveEWSPassword keeps the Exchange password in the keyring for the
// configured user and clears a recorded rejection, as `frontdesk ews-password`:
// typing it in the window is the operator's explicit retry.
func (env *Env) saveEWSPassword(ctx context.Context, cfg Config, password string) error {
	return env.StoreEWSPassword(ctx, cfg, password)
}

// remedyFor names the one action that gets the engine going again after err.
func remedyFor(provider string, err error) ui.Remedy {
	var ce *ConfigError
	switch {
	case errors.As(err, &ce), calendar.KindOf(err) == calendar.KindConfig:
		return ui.RemedySettings
	case auth.IsKeyringUnavailable(err):
		return ui.RemedyUnlockKeyring
	}
	switch calendar.KindOf(err) {
	case calendar.KindAuth:
		if provider == ProviderEWS {
			return ui.RemedyPassword
		}
		if auth.IsNotSignedIn(err) {
			return ui.RemedyFirstSignIn
		}
		return ui.RemedySignIn
	case calendar.KindPermission:
		if provider == ProviderM365 {
			return ui.RemedySignIn
		}
	case calendar.KindThrottled, calendar.KindTransient:
		return ui.RemedyWait
	}
	return ui.RemedyRetry
}

// windowMessage is OperatorMessage with the places the window has: a locked
// keyring on Exchange is about the stored password, not a sign-in.
func windowMessage(provider string, err error, now time.Time) string {
	if rej, ok := calendar.PasswordRejection(err); ok {
		return RejectedPasswordMessage(rej, lang.L(`the "Enter the password" button`), now)
	}
	var ce *calendar.Error
	if provider == ProviderEWS && errors.As(err, &ce) && ce.Hint == noEWSPasswordHint {
		return lang.L(`No Exchange password is stored yet: click "Enter the password" above the list.`)
	}
	if auth.IsKeyringUnavailable(err) && provider == ProviderEWS {
		return lang.L(`The system keyring is locked or unavailable, so Frontdesk cannot read the Exchange password: unlock it, then click "Unlock the keyring and retry".`)
	}
	return OperatorMessage(err)
}

// notSavedMessage is the sentence for settings that could not be written to file.
func notSavedMessage(file string, err error) string {
	return lang.L("Frontdesk could not save {{.File}}: {{.Reason}}. Check that you may write to that folder, then try again.",
		map[string]any{"File": file, "Reason": err.Error()})
}

// operatorError is a failure whose text is already the operator's sentence.
type operatorError struct {
	sentence string
	err      error
}

func (e operatorError) Error() string { return e.sentence }
func (e operatorError) Unwrap() error { return e.err }
