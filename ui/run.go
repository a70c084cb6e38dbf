package ui

import (
	"context"
	"io"
	"log"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// AppID is Fyne's application id (preferences, storage); it never holds secrets.
const AppID = "io.frontdesk.console"

// newFyneApp is the Fyne app with Frontdesk's id, metadata, words, text size,
// theme and icon, before any window. savePreferences is Fyne's own save at
// exit, for the caller to run once the event loop has ended (see
// takeFyneStopHook).
func newFyneApp(version string, icon []byte) (a fyne.App, savePreferences func()) {
	fyneapp.SetMetadata(Metadata(version, icon))
	a = fyneapp.NewWithID(AppID)
	savePreferences = takeFyneStopHook(a)
	RegisterTranslations()
	applyTextSize(CurrentTextSize(a))
	applyTheme(a, CurrentThemeChoice(a))
	if len(icon) > 0 {
		a.SetIcon(fyne.NewStaticResource("icon.png", icon))
	}
	return a, savePreferences
}

// Run opens the console window and blocks until it closes. Snapshots arrive on
// snapshots from the refresh engine; the channel outlives engine rebuilds.
// The error is ErrNoDisplay when the window could not be opened at all.
func Run(ctx context.Context, opts WindowOptions, snapshots <-chan calendar.Snapshot) error {
	a, savePreferences := newFyneApp(opts.Version, opts.Icon)
	w := a.NewWindow("Frontdesk")
	layout := restoredLayout(a.Preferences())
	opts.Console.SplitOffset = layout.SplitOffset
	m := newMainWindow(w, opts)
	w.SetContent(m.Content())
	m.focusSearch()
	w.Resize(atTextSize(layout.Size, CurrentTextSize(a)))
	// Keys the console answers to when no widget has focus (the widgets pass
	// them on themselves): see InstallConsoleKeys.
	m.installKeys(w.Canvas())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	uiThread.setLogger(opts.Logger)
	go Bridge(ctx, snapshots, m)
	// The window back at the front is the next caller: typing starts a new
	// search, whether a second start or the operator brought it back.
	newCaller := func() {
		if c := m.shownConsole(); c != nil {
			c.NewCaller()
		}
	}
	a.Lifecycle().SetOnEnteredForeground(newCaller)
	go raiseOnRequest(ctx, opts.Raise, w, newCaller)
	// The layout and Fyne's own save of the preferences are written while
	// the event loop still runs. Written after it, they raced Fyne's watcher
	// of the preferences folder: once the loop has ended, fyne.Do runs the
	// watcher's reload at once on its own goroutine, and it read the file
	// Fyne had just truncated to rewrite it ("Preferences load error: EOF"
	// on stderr, about one close in six). On the loop, the reload waits its
	// turn and finds the save marked as Fyne's own.
	var saveOnce sync.Once
	saveLayout := func(shown bool) {
		saveOnce.Do(func() {
			if shown {
				size := atNormalTextSize(w.Canvas().Size(), CurrentTextSize(a))
				rememberLayout(a.Preferences(), windowLayout{Size: size, SplitOffset: m.console.SplitOffset()})
			}
			savePreferences()
		})
	}
	w.SetCloseIntercept(func() {
		saveLayout(true)
		w.Close()
	})
	go func() {
		<-ctx.Done()
		// The driver's Quit, not the app's. Once the event loop has ended (the
		// window closed, or Fyne's own SIGTERM handler quit it), fyne.Do runs
		// its function at once on this goroutine, and the app's Quit would
		// close windows on a GLFW already terminated: "GLFW library is not
		// initialized", a panic in crash.log. The driver's Quit only ends the
		// loop, and does nothing when it has ended.
		fyne.Do(func() {
			saveLayout(true)
			a.Driver().Quit()
		})
	}()
	err := showAndRun(w, a.Lifecycle())
	cancel() // no snapshot or raise request reaches the finished window
	// Fyne's own SIGTERM handler may have ended the loop first: then save now.
	// Fyne's watcher of the preferences folder then rereads the file while
	// this save rewrites it, and logs the half-written file as "Preferences
	// load error: EOF" (one SIGTERM in twenty under load). Nothing is lost:
	// the save completes and the reread copy dies with the process. The
	// words would only make an admin reading stderr look for a fault.
	log.SetOutput(&droppingPreferencesReload{out: log.Writer()})
	saveLayout(err == nil)
	return err
}

// droppingPreferencesReload passes every log line on but Fyne's report of a
// preferences reread that failed, and the Cause and At lines under it. Only
// installed once the event loop has ended (see Run).
type droppingPreferencesReload struct {
	out  io.Writer
	skip int
}

func (d *droppingPreferencesReload) Write(p []byte) (int, error) {
	line := string(p)
	switch {
	case strings.Contains(line, "Fyne error:  Preferences load error:"):
		d.skip = 2
		return len(p), nil
	case d.skip > 0 && (strings.Contains(line, "  Cause:") || strings.Contains(line, "  At:")):
		d.skip--
		return len(p), nil
	}
	d.skip = 0
	return d.out.Write(p)
}
