package app

import (
	"context"
	"errors"
	"sync"
)

// configEdit turns the configuration as it is on disk now into the per-user
// file to write. latest is what LoadConfig read; when the file does not load,
// loadErr says why and latest is the defaults under the policy (Settings may
// still fix a broken file from the form; a favourite star must not overwrite
// it). Returning errNothingToWrite leaves the file as it is.
type configEdit func(latest *Loaded, loadErr error) (user Config, err error)

// errNothingToWrite: the edit has nothing to change (trying the demo, with
// no config file to write into).
var errNothingToWrite = errors.New("nothing to write")

// configWriter is the only writer of the per-user config.toml while the
// console runs: favourite stars, Settings' Save and the first run's Connect
// all go through it. Edits run one at a time, in the order they were
// submitted, each on the file as the previous edit left it, and each write is
// atomic. Without it two quick changes each read the file, and the later
// write dropped the other's change.
type configWriter struct {
	paths Paths
	// written is told about every finished write (logging).
	written func(err error)

	mu      sync.Mutex
	queue   []*pendingEdit
	working bool
}

type editState int

const (
	editQueued editState = iota
	editRunning
	editDropped
)

// pendingEdit is one submitted edit; wait gives its outcome.
type pendingEdit struct {
	w     *configWriter
	edit  configEdit
	state editState // under w.mu
	done  chan error
}

func newConfigWriter(paths Paths, written func(error)) *configWriter {
	return &configWriter{paths: paths, written: written}
}

// configWriter is the Env's one writer, made on first use.
func (env *Env) configWriter() *configWriter {
	env.writerOnce.Do(func() {
		env.writer = newConfigWriter(env.Paths, func(err error) {
			if err != nil && env.Logger != nil {
				env.Logger.Error("config not written", "file", env.Paths.ConfigFile, "err", err)
			}
		})
	})
	return env.writer
}

// submit queues edit behind every edit submitted before it and returns at
// once: call it where the order is decided (the Fyne goroutine for a star).
func (w *configWriter) submit(edit configEdit) *pendingEdit {
	p := &pendingEdit{w: w, edit: edit, done: make(chan error, 1)}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.queue = append(w.queue, p)
	if !w.working {
		w.working = true
		go w.work()
	}
	return p
}

// apply submits edit and waits for it.
func (w *configWriter) apply(ctx context.Context, edit configEdit) error {
	return w.submit(edit).wait(ctx)
}

// work runs the queue until it is empty; no goroutine outlives the last edit.
func (w *configWriter) work() {
	for {
		w.mu.Lock()
		if len(w.queue) == 0 {
			w.working = false
			w.mu.Unlock()
			return
		}
		p := w.queue[0]
		w.queue = w.queue[1:]
		dropped := p.state == editDropped
		p.state = editRunning
		w.mu.Unlock()
		if dropped {
			continue
		}
		err := w.run(p.edit)
		if w.written != nil && !errors.Is(err, errNothingToWrite) {
			w.written(err)
		}
		if errors.Is(err, errNothingToWrite) {
			err = nil
		}
		p.done <- err
	}
}

func (w *configWriter) run(edit configEdit) error {
	latest, loadErr := w.load()
	user, err := edit(latest, loadErr)
	if err != nil {
		return err
	}
	user.Policy = PolicyOnlyConfig{} // the policy's own keys never go into the user's file
	return SaveUserConfig(w.paths.ConfigFile, user)
}

// load reads the configuration as it is on disk now. A broken file is
// reported with the defaults under the policy, so Settings can still fix it.
func (w *configWriter) load() (*Loaded, error) {
	l, err := LoadConfig(w.paths, nil)
	if err == nil {
		return l, nil
	}
	fallback := w.paths
	fallback.ConfigFile = ""
	if good, gerr := LoadConfig(fallback, nil); gerr == nil {
		return good, err
	}
	return policyDefaults(fallback), err
}

// wait is the edit's outcome, or ctx.Err() as soon as ctx ends. An edit still
// in the queue is then dropped (it never reaches the file); one already being
// written finishes, and its outcome is logged.
func (p *pendingEdit) wait(ctx context.Context) error {
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		p.w.mu.Lock()
		if p.state == editQueued {
			p.state = editDropped
		}
		p.w.mu.Unlock()
		return ctx.Err()
	}
}
