package ui

import (
	"context"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// AppID is Fyne's application id (preferences, storage); it never holds secrets.
const AppID = "io.frontdesk.console"

// Run opens the console window and blocks until it closes. Snapshots arrive on
// snapshots from the refresh engine.
func Run(ctx context.Context, opts Options, snapshots <-chan calendar.Snapshot) {
	a := fyneapp.NewWithID(AppID)
	title := "Frontdesk"
	if opts.Demo {
		title = "Frontdesk (DEMO DATA)"
	}
	w := a.NewWindow(title)
	c := NewConsole(opts)
	w.SetContent(c.Content())
	w.Resize(fyne.NewSize(960, 640))
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyF5:
			c.RefreshSelected()
		case fyne.KeyEscape:
			c.search.SetText("")
		}
	})
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.Canvas().Focus(c.search)
	})
	w.Canvas().Focus(c.search)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go Bridge(ctx, snapshots, c)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}
