package app

import (
	"io"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// scrubbingWriter passes everything a command prints (stdout, stderr, the
// standard logger Fyne and libraries write to) through the process's one
// secret scrubber, so a password or token a server echoed into a message
// never reaches the terminal or a script's pipe. Each Write is scrubbed
// whole: a command writes a line or a document at a time.
type scrubbingWriter struct{ w io.Writer }

func (s scrubbingWriter) Write(p []byte) (int, error) {
	clean := calendar.ScrubSecrets(string(p))
	n, err := io.WriteString(s.w, clean)
	if err == nil && n < len(clean) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// registerEnvironmentSecrets registers the secrets a command can be given in
// its environment before anything can quote them.
func (env *Env) registerEnvironmentSecrets() {
	for _, name := range []string{EWSPasswordEnv, GraphTokenEnv} {
		calendar.RegisterSecret(calendar.Secret(env.Getenv(name)))
	}
}
