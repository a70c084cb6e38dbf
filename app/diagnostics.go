package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"github.com/frontdesk-app/frontdesk/assets"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// Commit and BuildDate are stamped at build time like Version.
var (
	Commit    = "unknown"
	BuildDate = "unknown"
)

// diagnosticLogLines is how much of the log Copy diagnostics takes.
const diagnosticLogLines = 300

// diagnostics is what Help > Copy diagnostics puts on the clipboard and in a
// file in the log folder: enough for IT to start, with no secret in it. The
// same text goes into the zip bundle (WriteBundle, also `frontdesk doctor
// --bundle`), which it writes beside it with the log files.
func (env *Env) diagnostics(ctx context.Context, cfg Config, snap calendar.Snapshot, haveSnap bool) (text, path string, err error) {
	text = env.diagnosticsText(cfg, snap, haveSnap)
	if bundle, err := env.WriteBundle(ctx, BundleInput{Config: &cfg, Snapshot: snap, HaveSnapshot: haveSnap}); err == nil {
		text += "\nDiagnostics bundle (config, engine history, all logs): " + bundle + "\n"
	} else {
		text += "\nNo diagnostics bundle: " + err.Error() + "\n"
	}
	path = filepath.Join(env.Paths.LogDir, "frontdesk-diagnostics-"+env.Now().Format("20060102-150405")+".txt")
	if err := auth.WriteFileAtomic(path, []byte(text)); err != nil {
		return text, "", err
	}
	return text, path, nil
}

// diagnosticsText is the one description of this installation that both the
// window's Copy diagnostics and the bundle carry.
func (env *Env) diagnosticsText(cfg Config, snap calendar.Snapshot, haveSnap bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Frontdesk %s (commit %s, built %s)\n", Version, Commit, BuildDate)
	fmt.Fprintf(&b, "OS: %s/%s, Go %s\n", runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(&b, "Config file: %s\nPolicy file: %s\nLog folder: %s\n\n", env.Paths.ConfigFile, env.Paths.PolicyFile, env.Paths.LogDir)
	b.WriteString("Settings in force (secrets removed):\n")
	b.WriteString(redactedConfig(cfg))
	b.WriteString("\nEngine: ")
	if haveSnap {
		fmt.Fprintf(&b, "%s, %d colleagues, interval %s, last complete refresh %s", snap.Engine.State, len(snap.People), snap.Engine.Interval, snap.Engine.LastSuccess.Format("2006-01-02 15:04:05"))
		if snap.Engine.Reason != nil {
			fmt.Fprintf(&b, ", reason: %s", OperatorMessage(snap.Engine.Reason))
		}
	} else {
		b.WriteString("not started")
	}
	if env.uiThread != nil {
		b.WriteString("\nWindow: " + uiThreadLine(env.uiThread()))
	}
	fmt.Fprintf(&b, "\n\nLast %d log lines:\n", diagnosticLogLines)
	b.WriteString(lastLines(filepath.Join(env.Paths.LogDir, LogFileName), diagnosticLogLines))
	// The clipboard and the file get what the bundle gets: every secret this
	// process knows hidden, in the reason and in log lines an older run wrote.
	return scrubText(b.String())
}

// uiThreadLine says how long the window's thread was held at most, by what,
// and how often past ui.SlowUICallback: where an operator's "it freezes"
// starts.
func uiThreadLine(r ui.UIThreadReport) string {
	if r.Callbacks == 0 {
		return "no snapshot applied yet"
	}
	l := r.Longest
	cpu := ""
	if l.CPUKnown {
		cpu = fmt.Sprintf(", %d ms of it on the CPU", l.CPU.Milliseconds())
	}
	return fmt.Sprintf("longest callback on the UI thread %d ms (%s, %d colleagues, at %s%s); %d of %d over %d ms",
		l.Took.Milliseconds(), l.What, l.People, l.At.Format("15:04:05"), cpu, r.Slow, r.Callbacks, ui.SlowUICallback.Milliseconds())
}

// uiThreadAttrs are the same figures for the log line at the console's end.
func uiThreadAttrs(r ui.UIThreadReport) []any {
	attrs := []any{"ui_callbacks", r.Callbacks, "ui_slow", r.Slow, "ui_longest_ms", r.Longest.Took.Milliseconds(),
		"ui_longest", r.Longest.What, "ui_longest_people", r.Longest.People}
	if r.Longest.CPUKnown {
		attrs = append(attrs, "ui_longest_cpu_ms", r.Longest.CPU.Milliseconds())
	}
	return attrs
}

// redactedConfig is cfg as TOML with any password in a URL removed. The
// config holds no secret by design; URLs are the one place one could hide.
func redactedConfig(cfg Config) string {
	cfg.EWS.URL = redactURL(cfg.EWS.URL)
	cfg.Microsoft365.AuthorityURL = redactURL(cfg.Microsoft365.AuthorityURL)
	cfg.Microsoft365.GraphURL = redactURL(cfg.Microsoft365.GraphURL)
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
		return "(cannot encode: " + err.Error() + ")\n"
	}
	return buf.String()
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// lastLines is the tail of a file, n lines at most.
func lastLines(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return "(no log: " + err.Error() + ")\n"
	}
	defer f.Close()
	ring := make([]string, 0, n)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if len(ring) == n {
			ring = ring[1:]
		}
		ring = append(ring, sc.Text())
	}
	return strings.Join(ring, "\n") + "\n"
}

// licenceNotices are the licence texts of the modules built into this
// binary, for Help > About (the notices their licences ask us to ship).
func licenceNotices() string { return assets.Licences }
