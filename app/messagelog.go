package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/app/messagelog"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// The message log's folders in the state folder. The demo company's
// messages are kept apart: an operator trying the demo (or a trainer showing
// it to a room) must neither fill the real log with fictional colleagues nor
// see the real callers of the desk on a demo screen, and the demo's clock
// (--at) writes days that have nothing to do with the real ones.
const (
	messagesFolder     = "messages"
	demoMessagesFolder = "demo-messages"
)

// messagePruneEvery is how often a console that stays open deletes what is
// past the retention; it also does at start.
const messagePruneEvery = 24 * time.Hour

// deskMessages is the window's message log (ui.MessageLog): the store in the
// state folder, the demo's or the real one as the console shows. What it
// logs is counts, never a name, a number or a text.
type deskMessages struct {
	stateDir string
	now      func() time.Time
	logger   *slog.Logger
	// demo reports whether the console shows the demo company now.
	demo func() bool
	// retention is the configuration's message_retention now.
	retention func() time.Duration
}

var _ ui.MessageLog = (*deskMessages)(nil)

// newDeskMessages is the message log of the console that live runs.
func (env *Env) newDeskMessages(live *liveEngine) *deskMessages {
	return &deskMessages{
		stateDir: env.Paths.StateDir,
		now:      env.Now,
		logger:   env.Logger,
		demo: func() bool {
			c, _ := live.Config()
			return c.Provider == ProviderDemo
		},
		retention: func() time.Duration {
			c, ok := live.Config()
			if !ok {
				return messagelog.DefaultRetention
			}
			return c.Actions.MessageRetention.Duration
		},
	}
}

func (d *deskMessages) storeFor(demo bool) *messagelog.Store {
	folder := messagesFolder
	if demo {
		folder = demoMessagesFolder
	}
	return messagelog.Open(filepath.Join(d.stateDir, folder), messagelog.Options{Retention: d.retention(), Now: d.now})
}

func (d *deskMessages) store() *messagelog.Store { return d.storeFor(d.demo()) }

// Add keeps m. A failure comes back as the operator's sentence: the message
// went out, only its copy in the log is missing.
func (d *deskMessages) Add(ctx context.Context, m ui.TakenMessage) error {
	if m.At.IsZero() {
		m.At = d.now() // the form's time is the one to keep; lacking it, now
	}
	s := d.store()
	if err := s.Add(ctx, messagelog.Message(m)); err != nil {
		d.logger.Warn("message log: a message taken could not be kept", "dir", s.Dir(), "err", err)
		// The window puts this after "The message for … was not kept in
		// the message log:".
		return operatorError{err: err, sentence: lang.L("{{.Reason}}. Check that you may write to {{.Folder}}.",
			map[string]any{"Folder": s.Dir(), "Reason": err.Error()})}
	}
	d.logger.Info("message log: message kept", "sent_via", m.SentVia)
	return nil
}

// Find returns the messages kept since since that hold every word of query.
func (d *deskMessages) Find(ctx context.Context, query string, since time.Time) ([]ui.TakenMessage, error) {
	s := d.store()
	found, err := s.Find(ctx, query, since)
	if found.Skipped > 0 {
		d.logger.Warn("message log: lines that are no message skipped", "count", found.Skipped, "dir", s.Dir())
	}
	if err != nil {
		d.logger.Warn("message log: cannot be read", "dir", s.Dir(), "err", err)
		return nil, operatorError{err: err, sentence: lang.L("Frontdesk cannot read the message log in {{.Folder}}: {{.Reason}}.",
			map[string]any{"Folder": s.Dir(), "Reason": err.Error()})}
	}
	out := make([]ui.TakenMessage, len(found.Messages))
	for i, m := range found.Messages {
		out[i] = ui.TakenMessage(m)
	}
	// Counts only: the words searched for are as personal as the messages.
	period := "all kept"
	if !since.IsZero() {
		period = since.Format(time.RFC3339)
	}
	d.logger.Debug("message log: searched", "found", len(out), "words", len(strings.Fields(query)), "since", period)
	return out, nil
}

// prune deletes, in the real log and the demo's, the messages past the
// retention, and logs how many.
func (d *deskMessages) prune(ctx context.Context) {
	for _, demo := range []bool{false, true} {
		s := d.storeFor(demo)
		p, err := s.Prune(ctx)
		if err != nil {
			d.logger.Warn("message log: messages past the retention not all deleted", "dir", s.Dir(), "err", err)
		}
		if p.Removed > 0 || p.Files > 0 {
			d.logger.Info("message log: messages past the retention deleted", "dir", s.Dir(), "messages", p.Removed, "files", p.Files, "retention", calendar.FormatInterval(s.Retention()))
		}
	}
}

// keepPruning prunes now and then once a day until ctx ends.
func (d *deskMessages) keepPruning(ctx context.Context) {
	d.prune(ctx)
	t := time.NewTicker(messagePruneEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.prune(ctx)
		}
	}
}
