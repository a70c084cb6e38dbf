package ui

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// WindowOptions are what the composition root hands the main window.
type WindowOptions struct {
	Console Options
	Actions Actions
	// FirstRun opens the welcome page instead of the console (no config, no policy).
	FirstRun bool
	// Version goes into the Fyne metadata and Help > About.
	Version string
	// Icon is the application icon (PNG).
	Icon []byte
	// Raise brings the window to the front each time it delivers: a second
	// start of Frontdesk for the same profile. Nil: never.
	Raise <-chan struct{}
	// SettingsProblem, when not empty, says that the settings file was
	// refused (file, key, line) and what Frontdesk runs on instead; it stays
	// on show, with a button to Settings, until settings are saved.
	SettingsProblem string
	// PolicyProblem, when not empty, says that the admin policy is not
	// trusted and which locks still apply; it stays on show.
	PolicyProblem string
	// Logger hears of callbacks that held the window's thread too long
	// (uiThreadMeter). Nil: nobody does.
	Logger *slog.Logger
}

// mainWindow is the console window and everything it opens: the banner, the
// sign-in and password prompts, settings and help. It lives on the Fyne goroutine.
type mainWindow struct {
	win     fyne.Window
	opts    WindowOptions
	actions *Actions
	// async runs I/O off the Fyne goroutine; tests make it synchronous.
	async func(func())

	console *Console
	source  string // Snapshot.Source the console was built for
	banner  *Banner
	limits  *limitationsBar
	loading *loadingBar
	hint    *colleaguesHint
	problem *settingsProblemBar
	account *accountBar
	body    *fyne.Container
	frame   *fyne.Container // banner and account bar above the console
	welcome *welcomePage

	password *passwordPrompt
	signIn   *signInPrompt
	settings *settingsWindow
	modal    *modal        // the dialog that has the keyboard, nil when none is open
	messages *messagesView // the messages taken, when open
}

func newMainWindow(win fyne.Window, opts WindowOptions) *mainWindow {
	m := &mainWindow{win: win, opts: opts, actions: &opts.Actions, async: func(f func()) { go f() }}
	if m.opts.Console.Now == nil {
		m.opts.Console.Now = time.Now
	}
	if m.opts.Console.Describe == nil {
		m.opts.Console.Describe = func(err error) string { return err.Error() }
	}
	m.opts.Console.Describe = scrubbedDescribe(m.opts.Console.Describe)
	m.opts.Console.EngineBanner = true
	m.banner = newBanner(m.opts.Console.Describe, m.actions.Remedy, m.opts.Console.Now, m.remedy)
	m.limits = newLimitationsBar()
	m.loading = newLoadingBar()
	m.hint = newColleaguesHint(func() { m.openColleaguePicker() })
	m.problem = newSettingsProblemBar(opts.SettingsProblem, opts.PolicyProblem, m.openSettings)
	if save := m.actions.SaveSettings; save != nil {
		m.actions.SaveSettings = func(ctx context.Context, s Settings) error {
			err := save(ctx, s)
			if err == nil {
				fyne.Do(m.settingsSaved)
			}
			return err
		}
	}
	m.account = newAccountBar(m)
	m.password = newPasswordPrompt(win, m.actions, m.runAsync)
	m.signIn = newSignInPrompt(win, m.actions, m.runAsync, m.signedIn)
	m.body = container.NewStack()
	m.buildConsole(sourceOf(opts))
	if opts.FirstRun {
		m.showWelcome()
	} else {
		m.showConsole()
	}
	m.win.SetMainMenu(m.menu())
	m.addShortcuts()
	return m
}

// runAsync indirects through m.async so tests can swap it after construction.
func (m *mainWindow) runAsync(f func()) { m.async(f) }

func sourceOf(opts WindowOptions) string {
	if opts.Console.Demo {
		return calendar.DemoSourceName
	}
	return ""
}

// buildConsole makes a fresh console for source: a provider change drops the
// old engine's people rather than mixing them with the new one's.
func (m *mainWindow) buildConsole(source string) {
	opts := m.opts.Console
	opts.Demo = source == calendar.DemoSourceName
	opts.ShowShortcuts = m.showShortcuts // F1: the same list as Help > Keyboard shortcuts
	opts.TextSizeChanged = m.showTextSizeInSettings
	if m.console != nil {
		opts.Notice = "" // the start-up notice was about the settings just replaced
		opts.SplitOffset = m.console.SplitOffset()
	}
	m.console = NewConsole(opts)
	m.console.showMessages = m.showMessages
	m.console.showModal = m.showModal
	m.console.async = m.runAsync
	m.source = source
	m.account.setVisible(source == sourceMicrosoft365 && m.actions.Account != nil)
}

func (m *mainWindow) title() string {
	if m.source == calendar.DemoSourceName {
		return lang.L("Frontdesk (DEMO DATA)")
	}
	return "Frontdesk"
}

func (m *mainWindow) showConsole() {
	m.welcome = nil
	top := container.NewVBox(m.problem.root, m.account.root, m.banner.root, m.limits.root, m.loading.root, m.hint.root)
	m.frame = container.NewBorder(top, nil, nil, nil, m.console.Content())
	m.body.Objects = []fyne.CanvasObject{m.frame}
	m.body.Refresh()
	m.win.SetTitle(m.title())
	m.focusSearch()
}

// focusSearch puts the keyboard in the console's search once the window
// shows the console: before Run sets the window's content, Fyne refuses
// ("Failed to focus object which is not part of the canvas' content", at
// every start).
func (m *mainWindow) focusSearch() {
	if m.welcome == nil && m.win.Canvas().Content() == m.body {
		m.win.Canvas().Focus(m.console.SearchEntry())
	}
}

// shownConsole is the console when it is on screen, nil while the welcome
// page is: keys typed there belong to the page, and the console behind it has
// never been laid out (typing into its search crashed on the unrendered list).
func (m *mainWindow) shownConsole() *Console {
	if m.welcome != nil {
		return nil
	}
	return m.console
}

// installKeys gives the console its keys (see InstallConsoleKeys), except
// while a dialog is open: then a key that reaches the window (nothing
// focused: the operator clicked on the dialog's text) is the dialog's.
func (m *mainWindow) installKeys(cv fyne.Canvas) {
	InstallConsoleKeys(cv, func() *Console {
		if m.modal != nil {
			return nil
		}
		return m.shownConsole()
	})
	consoleKey := cv.OnTypedKey()
	cv.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if m.modal != nil {
			m.modal.typedKey(ev)
			return
		}
		if m.password != nil && m.password.open {
			// The password prompt has the keyboard: Esc is its Cancel,
			// and no key reaches the search behind it.
			if ev.Name == fyne.KeyEscape {
				m.password.dlg.Hide()
			}
			return
		}
		consoleKey(ev)
	})
}

func (m *mainWindow) showWelcome() {
	m.welcome = newWelcomePage(m)
	m.body.Objects = []fyne.CanvasObject{m.welcome.root}
	if m.problem.root.Visible() {
		// A config that cannot be read opens here, not on the demo company:
		// the reason above the page that sets things up again.
		m.body.Objects = []fyne.CanvasObject{container.NewBorder(m.problem.root, nil, nil, nil, m.welcome.root)}
	}
	m.body.Refresh()
	m.win.SetTitle(lang.L("Welcome to Frontdesk"))
}

// settingsSaved takes the settings problem off the window: the file now
// holds what the operator saved. Call on the Fyne goroutine.
func (m *mainWindow) settingsSaved() {
	if m.problem.shown() {
		m.problem.clear()
		if m.frame != nil {
			m.frame.Refresh()
		}
	}
}

// Content is the window's root object.
func (m *mainWindow) Content() fyne.CanvasObject { return m.body }

// Apply shows a snapshot. Call on the Fyne goroutine.
func (m *mainWindow) Apply(s calendar.Snapshot) {
	if s.Source != "" && s.Source != m.source {
		m.buildConsole(s.Source)
		m.showConsole()
	} else if m.welcome != nil {
		m.showConsole()
	}
	m.console.Apply(s)
	bannerWas := m.banner.root.Visible()
	m.banner.Show(s.Engine)
	limitsChanged := m.limits.Show(s.Engine.Limitations)
	m.loading.waiting = m.console.waitingIn
	loadingChanged := m.loading.Show(s)
	loadingChanged = m.hint.Show(s, m.actions.SearchDirectory != nil && m.actions.AddColleagues != nil) || loadingChanged
	if m.banner.root.Visible() != bannerWas || m.banner.root.Visible() || limitsChanged || loadingChanged {
		// The border sizes its top from the banner's height: lay it out again.
		m.frame.Refresh()
	}
	m.followPasswordCheck(s.Engine)
	if !m.account.signed && (s.Engine.State == calendar.StateOK || s.Engine.State == calendar.StatePartial) {
		m.account.refresh() // signed in elsewhere (frontdesk signin) since the window opened
	}
}

// followPasswordCheck closes the loop of the password prompt: the one request
// after a new password either worked (done) or was rejected again (the prompt
// comes back with the server's answer; nothing is retried).
func (m *mainWindow) followPasswordCheck(s calendar.EngineState) {
	if !m.password.checking {
		return
	}
	switch {
	case engineNeedsOperator(s) && m.banner.Remedy() == RemedyPassword:
		m.password.checking = false
		m.password.Show(m.passwordProblem(s.Reason))
	case s.State == calendar.StateOK || s.State == calendar.StatePartial:
		m.password.checking = false
	}
}

// passwordProblem is the server's answer in the words of the prompt the
// operator is looking at: the banner's sentence points at a button, which the
// reopened prompt is already.
func (m *mainWindow) passwordProblem(reason error) string {
	if sentence, ok := rejectedInPrompt(reason); ok {
		return sentence
	}
	return m.opts.Console.Describe(reason)
}

// rejectedInPrompt is the prompt's sentence for a password the server
// rejected, now or before (then it was not sent again).
func rejectedInPrompt(err error) (string, bool) {
	if rej, ok := calendar.PasswordRejection(err); ok && !rej.Unchecked {
		return lang.L("Exchange rejected this password at {{.Time}}. Check it and type it again.", map[string]any{"Time": clock(rej.At)}), true
	}
	return "", false
}

// remedy runs the banner's action.
func (m *mainWindow) remedy(r Remedy) {
	switch r {
	case RemedyPassword:
		m.password.Show("")
	case RemedySignIn, RemedyFirstSignIn:
		m.signIn.Show()
	case RemedySettings:
		m.openSettings()
	case RemedyUnlockKeyring, RemedyRetry:
		if m.actions.Resume != nil {
			m.async(m.actions.Resume)
		}
	}
}

// signedIn is called on the Fyne goroutine after a sign-in from the window.
func (m *mainWindow) signedIn(SignedIn) {
	m.account.refresh()
	if m.actions.Resume != nil {
		m.async(m.actions.Resume)
	}
}

// accountBar shows the signed-in Microsoft 365 account with Sign out, or Sign in.
type accountBar struct {
	m      *mainWindow
	root   *fyne.Container
	label  *widget.Label
	button *widget.Button
	signed bool
}

func newAccountBar(m *mainWindow) *accountBar {
	a := &accountBar{m: m, label: widget.NewLabel("")}
	a.button = widget.NewButton("", a.clicked)
	a.root = container.NewHBox(layout.NewSpacer(), a.label, a.button)
	a.root.Hide()
	return a
}

func (a *accountBar) setVisible(on bool) {
	if on {
		a.root.Show()
		a.refresh()
	} else {
		a.root.Hide()
	}
}

// refresh reads the cached account (no network) off the Fyne goroutine.
func (a *accountBar) refresh() {
	if a.m.actions.Account == nil || !a.root.Visible() {
		return
	}
	a.m.async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
		defer cancel()
		name := a.m.actions.Account(ctx)
		fyne.Do(func() { a.show(name) })
	})
}

func (a *accountBar) show(name string) {
	a.signed = name != ""
	if a.signed {
		a.label.SetText(lang.X("account.signed_in", "Signed in as {{.Account}}", map[string]any{"Account": name}))
		a.button.SetText(lang.L("Sign out"))
	} else {
		a.label.SetText(lang.L("Not signed in"))
		a.button.SetText(lang.L("Sign in"))
	}
}

func (a *accountBar) clicked() {
	if !a.signed {
		a.m.signIn.Show()
		return
	}
	if a.m.actions.SignOut == nil {
		return
	}
	a.button.Disable()
	a.m.async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
		defer cancel()
		err := a.m.actions.SignOut(ctx)
		fyne.Do(func() {
			a.button.Enable()
			if err != nil {
				a.label.SetText(a.m.opts.Console.Describe(err))
				return
			}
			a.show("")
		})
	})
}

// sourceMicrosoft365 is the Graph source's name in snapshots (the status --json contract).
const sourceMicrosoft365 = "microsoft365"
