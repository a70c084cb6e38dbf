package app

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// BundleInput is what a diagnostics bundle is made of besides the files on
// disk: the doctor's report (the command) or the engine's state (the window).
type BundleInput struct {
	Doctor *DoctorReport
	// Config is the configuration in force; nil: loaded from the files.
	Config *Config
	// Snapshot is the engine's latest state, when HaveSnapshot.
	Snapshot     calendar.Snapshot
	HaveSnapshot bool
}

// bundleFileLimit caps each log file in the bundle (the rotated ones are 10 MB).
const bundleFileLimit = 20 << 20

// engineLogMessages are the log lines that tell the engine's state history.
var engineLogMessages = []string{
	"refresh engine started", "refresh cycle done", "refreshing stopped", "server is throttling",
	"cannot reach the server", "refreshing again", "operator acted", "holding requests back",
	"refresh interval", "directory re",
}

// WriteBundle writes frontdesk-diagnostics-<time>.zip into the log folder and
// returns its path: the doctor's report (text and JSON), the diagnostics text
// the window copies, the config and policy files with secrets removed, the
// engine's state history, version and OS, and the log files. Every text goes
// through scrubText on its way in; the log is redacted when written already.
// Never the message log of the state folder (messagelog.go): the callers,
// numbers and messages the desk took are personal data, and the log file
// carries only their counts. Files go in by name or by the log's own
// patterns, never by folder, for that reason (the state folder is the log
// folder on Linux).
func (env *Env) WriteBundle(_ context.Context, in BundleInput) (string, error) {
	if err := os.MkdirAll(env.Paths.LogDir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(env.Paths.LogDir, "frontdesk-diagnostics-"+env.Now().Format("20060102-150405")+".zip")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	zw := zip.NewWriter(f)
	add := func(name, text string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, scrubText(text))
		return err
	}
	var cfg Config
	if in.Config != nil {
		cfg = *in.Config
	} else if l, err := LoadConfig(env.Paths, nil); err == nil {
		cfg = l.Config
	} else {
		cfg = DefaultConfig()
	}
	build := CurrentBuild()
	var version strings.Builder
	build.Write(&version)
	fmt.Fprintf(&version, "os:      %s/%s\n", runtime.GOOS, runtime.GOARCH)
	files := []struct{ name, text string }{
		{"version.txt", version.String()},
		{"diagnostics.txt", env.diagnosticsText(cfg, in.Snapshot, in.HaveSnapshot)},
		{"config.toml", fileText(env.Paths.ConfigFile)},
		{"policy.toml", fileText(env.Paths.PolicyFile)},
		{"effective-config.toml", redactedConfig(cfg)},
		{"engine-history.txt", engineHistory(env.Paths.LogDir, in)},
	}
	if in.Doctor != nil {
		files = append(files, struct{ name, text string }{"doctor.txt", in.Doctor.Text()}, struct{ name, text string }{"doctor.json", string(in.Doctor.JSON())})
	} else {
		files = append(files, struct{ name, text string }{"doctor.txt", "Not run from the window: run frontdesk doctor --bundle for the network, keyring and account checks.\n"})
	}
	for _, file := range files {
		if err := add(file.name, file.text); err != nil {
			f.Close()
			return "", err
		}
	}
	for _, log := range logFiles(env.Paths.LogDir) {
		if err := add("logs/"+strings.TrimSuffix(filepath.Base(log), ".gz"), readLog(log)); err != nil {
			f.Close()
			return "", err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// fileText is a config or policy file as it is on disk, or why it is not there.
func fileText(path string) string {
	data, err := readSettingsFile(path) // a named pipe in its place must not hang the bundle
	if err != nil {
		return fmt.Sprintf("# %s: %v\n", path, err)
	}
	return "# " + path + "\n" + string(data)
}

// logFiles are the current log, the rotated ones and the crash log.
func logFiles(dir string) []string {
	var out []string
	for _, pattern := range []string{"frontdesk*.log", "frontdesk*.log.gz", "crash.log"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		out = append(out, matches...)
	}
	return out
}

// readLog is a log file's text (a rotated one decompressed), at most
// bundleFileLimit bytes of its end.
func readLog(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(%v)\n", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Sprintf("(%v)\n", err)
		}
		defer gz.Close()
		r = gz
	}
	data, err := io.ReadAll(io.LimitReader(r, 4*bundleFileLimit))
	if err != nil {
		return fmt.Sprintf("(%v)\n", err)
	}
	if len(data) > bundleFileLimit {
		data = data[len(data)-bundleFileLimit:]
	}
	return string(data)
}

// engineHistory is the engine's state over time, read from the log, and its
// latest snapshot when the window asked.
func engineHistory(dir string, in BundleInput) string {
	var b strings.Builder
	if in.HaveSnapshot {
		e := in.Snapshot.Engine
		fmt.Fprintf(&b, "now: %s, %d colleagues, interval %s, last complete refresh %s\n\n", e.State, len(in.Snapshot.People), e.Interval, e.LastSuccess.Format("2006-01-02 15:04:05"))
	}
	f, err := os.Open(filepath.Join(dir, LogFileName))
	if err != nil {
		b.WriteString("(no log)\n")
		return b.String()
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		for _, m := range engineLogMessages {
			if strings.Contains(line, `"msg":"`+m) {
				b.WriteString(line + "\n")
				break
			}
		}
	}
	return b.String()
}
