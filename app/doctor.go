package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// CheckStatus is the verdict of one doctor check.
type CheckStatus string

const (
	CheckOK   CheckStatus = "OK"
	CheckWarn CheckStatus = "WARN"
	CheckFail CheckStatus = "FAIL"
	// CheckSkip: not run, because a check it depends on failed or it does not
	// apply to this configuration.
	CheckSkip CheckStatus = "SKIP"
)

// CheckResult is one line of the doctor's report.
type CheckResult struct {
	Name   string      `json:"name"`
	Status CheckStatus `json:"status"`
	// Detail is what was found.
	Detail string `json:"detail"`
	// Action is the one sentence saying what to do; empty when nothing is to be done.
	Action string `json:"action,omitempty"`
	Millis int64  `json:"ms"`
}

// DoctorReport is everything `frontdesk doctor` found, in the order checked.
type DoctorReport struct {
	Version string        `json:"version"`
	OS      string        `json:"os"`
	At      time.Time     `json:"at"`
	Config  string        `json:"config_file"`
	Policy  string        `json:"policy_file"`
	Checks  []CheckResult `json:"checks"`
	Exit    int           `json:"exit"`
}

// Budgets: each check has its own timeout, and the whole run stays under
// doctorTotal however many hosts the configuration names (a check that would
// start after the total is spent is skipped, saying so).
var doctorTotal = 14 * time.Second // a variable only so a test can spend it quickly

const (
	doctorDNSTimeout     = 3 * time.Second
	doctorConnectTimeout = 3 * time.Second
	doctorTLSTimeout     = 4 * time.Second
	doctorKeyringTimeout = 3 * time.Second
	doctorSignInTimeout  = 5 * time.Second
	doctorExchangeTime   = 6 * time.Second
	doctorLocalTimeout   = 2 * time.Second
)

// Clock skew limits against a server's Date header: tokens carry validity
// times checked to the minute, and NTLM and Kerberos refuse a skew of 5 min.
const (
	clockSkewWarn = 2 * time.Minute
	clockSkewFail = 5 * time.Minute
)

// doctor runs the checks in dependency order; later checks read what earlier
// ones found (a host that did not connect, a locked keyring) and skip instead
// of failing twice for one cause.
type doctor struct {
	env      *Env
	deadline time.Time
	report   *DoctorReport

	loaded *Loaded
	// hosts are what the configuration talks to, in check order.
	hosts []doctorHost
	// keyringUsable is false when the keyring is locked or unreachable:
	// nothing that needs it is attempted (touching a locked keyring can raise
	// an unlock prompt, and the doctor never prompts).
	keyringUsable bool
	keyringReason string
	// logSizeAtStart bounds the log folder check to what was logged before
	// this run.
	logSizeAtStart int64
}

// step runs one check under its own timeout, bounded by the whole run's.
func (d *doctor) step(ctx context.Context, name string, timeout time.Duration, check func(ctx context.Context) CheckResult) CheckResult {
	start := time.Now()
	remaining := time.Until(d.deadline)
	if remaining <= 0 {
		return d.add(CheckResult{Name: name, Status: CheckSkip, Detail: "not run: the doctor's time budget was spent on the checks above (under 15 s in all)",
			Action: "Fix the checks above that failed or timed out, then run frontdesk doctor again."})
	}
	ctx, cancel := context.WithTimeout(ctx, min(timeout, remaining))
	defer cancel()
	r := check(ctx)
	if r.Name == "" {
		r.Name = name
	}
	r.Millis = time.Since(start).Milliseconds()
	return d.add(r)
}

func (d *doctor) add(r CheckResult) CheckResult {
	d.report.Checks = append(d.report.Checks, r)
	return r
}

func (d *doctor) skip(name, why string) {
	d.add(CheckResult{Name: name, Status: CheckSkip, Detail: why})
}

// RunDoctor runs every check against the configuration in env.Paths. It
// never prompts, never retries an authentication failure and never sends a
// credential the lockout guard has recorded as rejected.
func (env *Env) RunDoctor(ctx context.Context) *DoctorReport {
	now := env.Now
	if now == nil {
		now = time.Now
	}
	d := &doctor{
		env:      env,
		deadline: time.Now().Add(doctorTotal),
		report: &DoctorReport{Version: Version, OS: runtime.GOOS + "/" + runtime.GOARCH, At: now().UTC(),
			Config: env.Paths.ConfigFile, Policy: env.Paths.PolicyFile},
	}
	if fi, err := os.Stat(filepath.Join(env.Paths.LogDir, LogFileName)); err == nil {
		d.logSizeAtStart = fi.Size()
	}
	if !d.checkConfig(ctx) {
		d.report.Exit = ExitConfig
		return d.report
	}
	d.env.applyLogLevel(d.loaded.Config)
	d.checkNetwork(ctx)
	d.checkKeyring(ctx)
	d.checkMicrosoft365(ctx)
	d.checkExchange(ctx)
	d.checkRefreshPlan(ctx)
	d.checkLogFolder(ctx)
	d.checkDeskNotes(ctx)
	d.checkEmojiFont(ctx)
	d.report.Exit = ExitOK
	for _, c := range d.report.Checks {
		if c.Status == CheckFail {
			d.report.Exit = ExitPartial
		}
	}
	return d.report
}

// WriteText prints the report for a person: one line per check, the action
// indented under it.
func (r *DoctorReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "frontdesk doctor %s on %s, %s\n", r.Version, r.OS, r.At.Format("2006-01-02 15:04:05 MST"))
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Name))
	}
	for _, c := range r.Checks {
		fmt.Fprintf(w, "%-4s  %-*s  %s\n", c.Status, width, c.Name, c.Detail)
		if c.Action != "" {
			fmt.Fprintf(w, "%-4s  %-*s  -> %s\n", "", width, "", c.Action)
		}
	}
	counts := map[CheckStatus]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
	}
	verdict := "nothing failed"
	switch r.Exit {
	case ExitConfig:
		verdict = "the configuration cannot be read"
	case ExitPartial:
		verdict = "something failed: start with the first FAIL"
	}
	fmt.Fprintf(w, "%d OK, %d WARN, %d FAIL, %d SKIP: %s.\n", counts[CheckOK], counts[CheckWarn], counts[CheckFail], counts[CheckSkip], verdict)
}

// Text is WriteText into a string.
func (r *DoctorReport) Text() string {
	var b strings.Builder
	r.WriteText(&b)
	return b.String()
}

// JSON is the report for scripts and the diagnostics bundle.
func (r *DoctorReport) JSON() []byte {
	data, _ := json.MarshalIndent(r, "", "  ")
	return append(data, '\n')
}
