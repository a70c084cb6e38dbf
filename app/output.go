package app

import (
	"fmt"
	"io"
	"sync"
)

// outputWriter is stdout for a command: it remembers the first write that
// failed (a full disk, a closed pipe), so the command's exit code can say the
// answer never reached its reader instead of "all fine".
type outputWriter struct {
	w io.Writer

	mu  sync.Mutex
	err error
}

func (o *outputWriter) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return 0, o.err // nothing after a lost line: the reader would get a torn answer
	}
	n, err := o.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		o.err = err
	}
	return n, err
}

// Err is the first write that failed, if any.
func (o *outputWriter) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// outputErr is the first write to stdout that failed, when stdout is the
// command's outputWriter.
func (env *Env) outputErr() error {
	if o, ok := env.Stdout.(*outputWriter); ok {
		return o.Err()
	}
	return nil
}

// outputFailed reports a failed stdout once, on stderr, and returns the exit
// code for it. Commands return ExitOutput and leave the words to this.
func (env *Env) outputFailed(cmd string, err error) int {
	name := "frontdesk"
	if cmd != "" {
		name += " " + cmd
	}
	if err == nil {
		err = io.ErrShortWrite
	}
	if env.Logger != nil {
		env.Logger.Error("output not written", "command", cmd, "err", err)
	}
	fmt.Fprintf(env.Stderr, "%s: cannot write the output: %v. Nothing was lost on the server; run it again with the output going somewhere it can be written.\n", name, err)
	return ExitOutput
}
