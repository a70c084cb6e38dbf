package app

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// statusTimeout bounds the whole status command, so one refresh never hangs a
// script; each request has the engine's own timeout inside it.
const statusTimeout = 2 * time.Minute

// statusMemoryLimit is the soft memory limit status runs under. status is one
// refresh that exits: its live heap only grows until the document is
// written, and the collector's default lets the heap grow to twice that
// before collecting, memory the command never uses again (at 100,000
// colleagues 145 MB live made 360 MB resident). Under the limit the
// collector works harder only once the heap nears it: below some 50,000
// colleagues nothing changes; at 100,000 it costs about a tenth more CPU on a
// weekend and a quarter more on a busy weekday, and resident memory stays
// under 300 MB. A soft limit never fails: a heap that needs more gets it.
const statusMemoryLimit = 240 << 20

// withStatusMemoryLimit sets statusMemoryLimit unless a limit is already set
// (GOMEMLIMIT: an admin's choice stands) and returns what puts it back.
func withStatusMemoryLimit() (restore func()) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return func() {}
	}
	debug.SetMemoryLimit(statusMemoryLimit)
	return func() { debug.SetMemoryLimit(math.MaxInt64) }
}

func (env *Env) cmdStatus(ctx context.Context, args []string) int {
	fs := env.newFlagSet("status")
	var common commonFlags
	common.register(fs)
	asJSON := fs.Bool("json", false, "print JSON (the README documents the shape)")
	atFlag := fs.String("at", "", "evaluate \"now\" at this RFC3339 instant")
	if err := fs.Parse(args); err != nil {
		return ExitConfig
	}
	at := env.Now()
	if *atFlag != "" {
		t, err := time.Parse(time.RFC3339, *atFlag)
		if err != nil {
			fmt.Fprintf(env.Stderr, "frontdesk status: --at %q is not an RFC3339 time such as 2026-11-23T10:00:00+01:00\n", *atFlag)
			return ExitConfig
		}
		at = t
	}
	l, err := env.loadConfig(common)
	if err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk: configuration error: %v\n", err)
		return ExitConfig
	}
	defer withStatusMemoryLimit()()
	snap, err := env.refreshOnce(ctx, l.Config, at)
	if env.interrupted(ctx) {
		return ExitInterrupted
	}
	if err != nil {
		env.Logger.Error("status failed", "err", err)
		msg := OperatorMessage(err)
		if calendar.KindOf(err) == calendar.KindThrottled {
			msg = throttledOnceMessage(err, snap, env.Now(), location(l.Config))
		}
		fmt.Fprintf(env.Stderr, "frontdesk status: %s\n", termSafe(msg))
		if snap.Source == "" {
			return exitCodeFor(err)
		}
	}
	if *asJSON {
		// Streamed: the whole document, then indented, took 1.8 GB at 100,000 people.
		if snap.WriteJSON(env.Stdout) != nil {
			return ExitOutput
		}
	} else if env.printTable(snap) != nil {
		return ExitOutput
	}
	if err != nil {
		return exitCodeFor(err)
	}
	if snap.Engine.State == calendar.StatePartial {
		return ExitPartial
	}
	return ExitOK
}

// refreshOnce is one cycle of the same engine the console and watch run,
// evaluated at `at`: same window, same order, same gates. On a whole-source
// failure the snapshot carries the state and err the reason.
func (env *Env) refreshOnce(ctx context.Context, cfg Config, at time.Time) (calendar.Snapshot, error) {
	src, err := env.buildSource(ctx, cfg)
	if err != nil {
		return calendar.Snapshot{}, err
	}
	if demo, ok := src.(*calendar.Demo); ok {
		// The demo's presence and Teams notes are told at the instant the
		// snapshot is evaluated at, --at included: a note expiring "within
		// the hour" of the real clock was shown as current at any --at.
		demo.Now = func() time.Time { return at }
	}
	return env.refreshSource(ctx, cfg, src, at)
}

func (env *Env) refreshSource(ctx context.Context, cfg Config, src calendar.Source, at time.Time) (calendar.Snapshot, error) {
	engine, err := env.newEngine(cfg, src, instantClock{at: at})
	if err != nil {
		return calendar.Snapshot{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, statusTimeout)
	defer cancel()
	snap, err := engine.RefreshOnce(ctx)
	snap.GeneratedAt = env.Now()
	if snap.Source == "" {
		// Stopped before the engine said anything: still name the source and the instant.
		snap = env.failedSnapshot(cfg, err)
		snap.Source, snap.At = src.Name(), at.In(location(cfg))
	}
	return snap, err
}

func (env *Env) printTable(snap calendar.Snapshot) error {
	fmt.Fprintf(env.Stdout, "%s at %s: %s\n", sourceLabel(snap.Source), snap.At.Format("Mon 2 Jan 15:04 MST"), snap.Engine.State)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDEPARTMENT\tSTATUS\tNEXT FREE\tDETAILS")
	// The colleagues first, then the meeting rooms.
	for _, p := range append(snap.Colleagues(), snap.MeetingRooms()...) {
		next := ""
		switch phrase := calendar.NextFreePhrase(*p, snap.At); phrase.Kind {
		case calendar.PhraseNextFree:
			next = calendar.ShortTime(p.NextFree, snap.At)
		case calendar.PhraseReturnUnknown:
			next = "return not known"
		}
		status := calendar.Describe(*p, snap.At)
		if snap.Stale(p, snap.At) {
			status += " (as of " + calendar.ShortTime(p.FetchedAt, snap.At) + ")"
		}
		// Names, departments and details come from the server: termSafe.
		about := details(*p)
		if note := presenceNote(*p, snap.At); note != "" && about != "" {
			about += " · " + note
		} else if note != "" {
			about = note
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", termSafe(p.Person.Name), termSafe(departmentColumn(*p.Person)), status, next, termSafe(about))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return env.outputErr()
}

// departmentColumn is a colleague's department, or for a meeting room what
// the directory tells about it: "room, 12 seats, London HQ, floor 3".
func departmentColumn(p calendar.Person) string {
	if !p.IsRoom() {
		return p.Department
	}
	parts := []string{"room"}
	switch c := p.Room.Capacity; {
	case c == 1:
		parts = append(parts, "1 seat")
	case c > 1:
		parts = append(parts, fmt.Sprintf("%d seats", c))
	}
	if p.Room.Building != "" {
		parts = append(parts, p.Room.Building)
	}
	if p.Room.Floor != "" {
		parts = append(parts, "floor "+p.Room.Floor)
	}
	return strings.Join(parts, ", ")
}

// details is the meeting or reason behind a status, if the colleague shares it.
func details(p calendar.PersonState) string {
	switch {
	case p.Err != nil:
		return p.Err.Error()
	case p.Current != nil && p.Current.Private:
		return "Private appointment"
	case p.Current != nil && p.Current.Meeting() != "":
		return p.Current.Meeting()
	case p.OutOfOffice.Active:
		return p.OutOfOffice.Message
	}
	return ""
}

// presenceNote is the colleague's own Teams note, with when it expires, and
// where they work today, for the table's details. Unescaped: the caller
// passes the whole column through termSafe.
func presenceNote(p calendar.PersonState, at time.Time) string {
	var parts []string
	if m := p.StatusMessage; m.Text != "" {
		note := "Note: " + m.Text
		if !m.Expires.IsZero() {
			note += " (until " + calendar.ShortTime(m.Expires, at) + ")"
		}
		parts = append(parts, note)
	}
	switch p.WorkLocation {
	case calendar.WorkLocationOffice:
		parts = append(parts, "In the office")
	case calendar.WorkLocationRemote:
		parts = append(parts, "Working remotely")
	case calendar.WorkLocationTimeOff:
		parts = append(parts, "Time off")
	}
	return strings.Join(parts, " · ")
}

// sourceLabel makes demo data impossible to mistake for real colleagues.
func sourceLabel(source string) string {
	switch source {
	case calendar.DemoSourceName:
		return "DEMO DATA (fictional company)"
	case ProviderEWS:
		return "Exchange (EWS)"
	case ProviderM365:
		return "Microsoft 365"
	}
	return source
}

// throttledOnceMessage is what a one-shot command says when the server asked
// it to wait (now or in another process's run): when to try again, since it
// makes no further attempt itself. OperatorMessage's "it will try again by
// itself" is the console's and watch's promise, not status's.
func throttledOnceMessage(err error, snap calendar.Snapshot, now time.Time, loc *time.Location) string {
	retry := snap.Engine.Until
	if retry.IsZero() {
		if wait := calendar.RetryAfterOf(err); wait > 0 {
			retry = now.Add(wait)
		}
	}
	if !retry.After(now) {
		return lang.L("The server asked Frontdesk to slow down, so nothing more was sent. Run this again in a few minutes.")
	}
	retry = retry.In(loc)
	data := map[string]any{"Time": retry.Format("15:04:05"), "Day": retry.Format("2006-01-02")}
	if y, m, d := now.In(loc).Date(); !sameDay(retry, y, m, d) {
		return lang.L("The server asked Frontdesk to wait until {{.Day}} at {{.Time}}, so nothing more was sent. Run this again after that.", data)
	}
	return lang.L("The server asked Frontdesk to wait until {{.Time}}, so nothing more was sent. Run this again after that.", data)
}
