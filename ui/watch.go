package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// "Tell me when free" (Ctrl+B, the bell): the console watches a busy
// colleague and, when they can take a call, raises one desktop notification
// and a line above the search with a Call button. The watches themselves
// (calendar.Watches) end when they fire, when removed, or with the day, and
// are kept in Fyne's preferences (the keys and the date) so a restart the
// same day keeps them.

// watchesPreference is the preferences key of the watches.
const watchesPreference = "watches"

// Bells: outlined for "tell me", filled in the warning colour while watched.
// Our own drawing, in the star's style.
const bellPath = `M12 3a1.5 1.5 0 0 1 1.5 1.5v.7A6 6 0 0 1 18 11v4.5l2 2V19H4v-1.5l2-2V11a6 6 0 0 1 4.5-5.8v-.7A1.5 1.5 0 0 1 12 3zM10 20.5h4a2 2 0 0 1-4 0z`

var (
	bellOn = theme.NewColoredResource(fyne.NewStaticResource("bell-on.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="`+bellPath+`"/></svg>`)), theme.ColorNameWarning)
	bellOff = theme.NewThemedResource(fyne.NewStaticResource("bell-off.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="none" stroke="#000" stroke-width="1.6" stroke-linejoin="round" d="`+bellPath+`"/></svg>`)))
)

func bellIcon(on bool) fyne.Resource {
	if on {
		return bellOn
	}
	return bellOff
}

// shortcutWatch is Ctrl+B: tell me when the selected colleague is free.
// shortcutCallFreed is Ctrl+Shift+Enter: call the colleague the newest
// "is free now" line names (Ctrl+Enter calls the selected one).
var (
	shortcutWatch     = &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutCallFreed = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	// The keypad's Enter, as for Ctrl+Enter.
	shortcutCallFreedKeypad = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
)

// normalKey is a person key as the watches and favourites compare it.
func normalKey(k string) string { return strings.ToLower(strings.TrimSpace(k)) }

// restoreWatches reads the watches kept by an earlier start today.
func restoreWatches(now time.Time) *calendar.Watches {
	saved := ""
	if a := fyne.CurrentApp(); a != nil {
		saved = a.Preferences().String(watchesPreference)
	}
	return calendar.RestoreWatches(saved, now)
}

// watchesChanged keeps the watches for a restart and tells the engine whom
// to ask about first.
func (c *Console) watchesChanged() {
	if a := fyne.CurrentApp(); a != nil {
		a.Preferences().SetString(watchesPreference, c.watches.Save())
	}
	if c.opts.WatchesChanged != nil {
		c.opts.WatchesChanged(c.watches.Keys())
	}
}

// isWatched reports whether the colleague with key is watched.
func (c *Console) isWatched(key string) bool { return c.watches.Watching(key) }

// toggleWatch watches the selected colleague, or stops watching them (Ctrl+B).
func (c *Console) toggleWatch() { c.toggleWatchOf(c.chosen) }

// toggleWatchOf watches one colleague or ends the watch, and says which in
// the status line. A colleague free to take a call now is not watched: the
// status line says so at once, since a watch would only tell the operator
// the same a minute later, when the caller may have hung up.
func (c *Console) toggleWatchOf(key string) {
	p, ok := c.person(key)
	if !ok {
		return
	}
	name := map[string]any{"Name": p.Person.Name}
	switch {
	case c.watches.Remove(key):
		c.say(lang.L("No longer watching {{.Name}}.", name))
	case c.watches.Add(p, c.now(), c.snap.Stale(&p, c.now())):
		c.say(lang.L("You will be told when {{.Name}} is free.", name))
	default:
		c.say(lang.L("{{.Name}} is free now: put the call through.", name))
		return
	}
	c.watchesChanged()
	c.list.Refresh()
	c.showChosen()
}

// person is the colleague with key in the snapshot on show.
func (c *Console) person(key string) (calendar.PersonState, bool) {
	if key == "" {
		return calendar.PersonState{}, false
	}
	k := normalKey(key)
	for _, p := range c.snap.People {
		if normalKey(p.Person.Key()) == k {
			return *p, true
		}
	}
	return calendar.PersonState{}, false
}

// now is the console's clock in the snapshot's zone: the operator's day.
func (c *Console) now() time.Time {
	if c.snap.At.IsZero() {
		return c.opts.Now()
	}
	return c.opts.Now().In(c.snap.At.Location())
}

// checkWatches reads a new snapshot for the watches: those of an earlier day
// end, and each watched colleague now free to take a call gets one
// notification and one line in the window. It reports whether the watches
// changed (the rows' bells).
func (c *Console) checkWatches() bool {
	fired, changed := c.watches.Check(c.watchedOnly(), c.now())
	if changed {
		c.watchesChanged()
	}
	for _, p := range fired {
		c.freed.add(p, c.now())
		c.notify(p)
	}
	return changed
}

// notify raises the desktop notification: a toast on Windows, D-Bus
// org.freedesktop.Notifications on Linux. Fyne's call waits for the bus's
// answer, so it never runs on the Fyne goroutine.
func (c *Console) notify(p calendar.PersonState) {
	n := fyne.NewNotification(lang.L("{{.Name}} is free", map[string]any{"Name": p.Person.Name}),
		lang.L("You asked to be told. Ctrl+Shift+Enter in Frontdesk calls them."))
	if c.opts.Notify != nil {
		c.opts.Notify(n)
		return
	}
	if a := fyne.CurrentApp(); a != nil {
		go a.SendNotification(n)
	}
}

// freedBanner holds one line per watch that fired, newest on top: "Ben Holm
// is free (10:31)", a Call button and a close button. It stays until the
// operator calls or closes it: a notification missed while on the phone is
// still there afterwards.
type freedBanner struct {
	console *Console
	root    *fyne.Container
	lines   []freedLine
}

type freedLine struct {
	person calendar.PersonState
	root   fyne.CanvasObject
	text   *widget.Label
}

func newFreedBanner(c *Console) *freedBanner {
	b := &freedBanner{console: c, root: container.NewVBox()}
	b.root.Hide()
	return b
}

// add puts a line for p on top.
func (b *freedBanner) add(p calendar.PersonState, at time.Time) {
	b.remove(p.Person.Key())
	l := freedLine{person: p}
	l.text = widget.NewLabelWithStyle(lang.L("{{.Name}} is free ({{.Time}})", map[string]any{"Name": p.Person.Name, "Time": clock(at)}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.text.Wrapping = fyne.TextWrapWord
	key := p.Person.Key()
	call := widget.NewButton(lang.L("Call"), func() { b.call(key) })
	call.Importance = widget.HighImportance
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { b.remove(key) })
	closeBtn.Importance = widget.LowImportance
	l.root = container.NewBorder(nil, nil, widget.NewIcon(bellOn), container.NewHBox(call, closeBtn), l.text)
	b.lines = append([]freedLine{l}, b.lines...)
	b.layout()
	// The line takes height from the details below; without this their pane
	// kept its place in pixels and the colleague's name went out of view.
	if sc, ok := b.console.detail.root.(*container.Scroll); ok {
		sc.ScrollToTop()
	}
}

// call calls the colleague of the line for key, and the line goes: it did its job.
func (b *freedBanner) call(key string) {
	for _, l := range b.lines {
		if normalKey(l.person.Person.Key()) == normalKey(key) {
			p := l.person
			if latest, ok := b.console.person(key); ok {
				p = latest
			}
			b.console.callPerson(p, preferredNumber(p))
			b.remove(key)
			return
		}
	}
}

// callNewest calls the colleague of the top line (Ctrl+Shift+Enter).
func (b *freedBanner) callNewest() {
	if len(b.lines) > 0 {
		b.call(b.lines[0].person.Person.Key())
	}
}

func (b *freedBanner) remove(key string) {
	kept := b.lines[:0]
	for _, l := range b.lines {
		if normalKey(l.person.Person.Key()) != normalKey(key) {
			kept = append(kept, l)
		}
	}
	b.lines = kept
	b.layout()
}

func (b *freedBanner) layout() {
	b.root.Objects = b.root.Objects[:0]
	for _, l := range b.lines {
		b.root.Objects = append(b.root.Objects, l.root)
	}
	b.root.Hidden = len(b.lines) == 0
	b.root.Refresh()
}
