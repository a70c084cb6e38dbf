package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// checkConfig loads the configuration and the policy; false when the
// configuration cannot be used, and nothing else is worth checking.
func (d *doctor) checkConfig(ctx context.Context) bool {
	p := d.env.Paths
	r := d.step(ctx, "config", doctorLocalTimeout, func(context.Context) CheckResult {
		l, err := LoadConfig(p, nil)
		if err != nil {
			detail := err.Error()
			if _, statErr := os.Stat(p.ConfigFile); errors.Is(statErr, fs.ErrNotExist) {
				detail += " (" + p.ConfigFile + " does not exist: these are the defaults)"
			}
			return CheckResult{Status: CheckFail, Detail: detail,
				Action: "Correct the file and key named here (the README lists every key), then run frontdesk doctor again."}
		}
		d.loaded = l
		where := p.ConfigFile
		if _, err := os.Stat(p.ConfigFile); err != nil {
			where += " (not present: defaults)"
		}
		return CheckResult{Status: CheckOK, Detail: fmt.Sprintf("%s: provider %s, refresh every %s", where, l.Config.Provider, calendar.FormatInterval(l.Config.RefreshInterval.Duration))}
	})
	if r.Status == CheckFail {
		return false
	}
	for _, w := range d.loaded.Warnings {
		if strings.HasPrefix(w, p.PolicyFile+": ignored") {
			continue // the policy check below says it, with what to do
		}
		d.add(CheckResult{Name: "config", Status: CheckWarn, Detail: w, Action: "Remove or correct that line; Frontdesk ignores it."})
	}
	d.step(ctx, "policy", doctorLocalTimeout, func(context.Context) CheckResult { return d.policyCheck() })
	return true
}

func (d *doctor) policyCheck() CheckResult {
	path := d.env.Paths.PolicyFile
	if d.loaded != nil && d.loaded.PolicyDistrust != nil {
		detail := fmt.Sprintf("%s is ignored: %v; ", path, d.loaded.PolicyDistrust)
		if d.loaded.PolicyKept {
			detail += fmt.Sprintf("the locks of its last trusted copy (%s) still apply: %s", lastTrustedPolicyPath(d.env.Paths), strings.Join(d.lockedKeys(), ", "))
		} else {
			detail += "its locks do not apply"
		}
		return CheckResult{Status: CheckWarn, Detail: detail,
			Action: fmt.Sprintf("Make %s and every folder above it owned by %s and writable by no one else, or its locks do not apply.", path, policyOwnerName)}
	}
	f, err := openSettingsFile(path) // never blocks on a named pipe in its place
	if errors.Is(err, fs.ErrNotExist) || path == "" {
		return CheckResult{Status: CheckOK, Detail: path + " not present: no setting is locked"}
	}
	if err != nil {
		return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s cannot be read: %v", path, err),
			Action: "Make the policy file readable by every user (mode 0644), or remove it."}
	}
	defer f.Close()
	if distrust := trustPolicyFile(f); distrust != nil {
		return CheckResult{Status: CheckWarn, Detail: fmt.Sprintf("%s is ignored: %v", path, distrust),
			Action: fmt.Sprintf("Make %s owned by %s and writable by no one else, or its locks do not apply.", path, policyOwnerName)}
	}
	locked := d.lockedKeys()
	if len(locked) == 0 {
		return CheckResult{Status: CheckOK, Detail: path + ": trusted, locks nothing"}
	}
	return CheckResult{Status: CheckOK, Detail: fmt.Sprintf("%s: trusted, locks %s", path, strings.Join(locked, ", "))}
}

// lockedKeys are the keys the policy in force locks, sorted.
func (d *doctor) lockedKeys() []string {
	var locked []string
	for k := range d.loaded.Locked {
		locked = append(locked, k)
	}
	slices.Sort(locked)
	return locked
}

// checkRefreshPlan says what polling will cost the operator's mailbox.
func (d *doctor) checkRefreshPlan(ctx context.Context) {
	d.step(ctx, "refresh plan", doctorLocalTimeout, func(context.Context) CheckResult {
		cfg := d.loaded.Config
		interval := cfg.RefreshInterval.Duration
		if cfg.Provider == ProviderDemo {
			return CheckResult{Status: CheckOK, Detail: fmt.Sprintf("demo company, every %s: no request leaves this machine", calendar.FormatInterval(interval))}
		}
		people := len(cfg.People.Emails)
		var more string
		switch {
		case cfg.People.All:
			more = " plus the whole directory (counted at the first refresh)"
		case cfg.People.Group != "":
			more = " plus the members of " + cfg.People.Group + " (counted at the first refresh)"
		case people == 0:
			return CheckResult{Status: CheckWarn, Detail: "no colleague is configured: the console will be empty",
				Action: "Set people.emails, people.group or people.all in the config file."}
		}
		perRefresh := refreshRequests(cfg, max(people, 1))
		plan := calendar.PlanBudget(perRefresh, interval)
		requests := "requests"
		if perRefresh == 1 {
			requests = "request"
		}
		detail := fmt.Sprintf("%d people listed%s; every %s, %d %s per refresh, %d per 10 minutes of the %d the mailbox may send (planned share %d)",
			people, more, calendar.FormatInterval(interval), perRefresh, requests, plan.Requests, calendar.MailboxRequestLimit, calendar.PlannedRequestShare)
		if plan.Stretched {
			return CheckResult{Status: CheckWarn, Detail: detail + "; " + plan.Notice(people, perRefresh, interval),
				Action: fmt.Sprintf("Set refresh_interval to %s or more, or list fewer people.", calendar.FormatInterval(plan.Interval))}
		}
		return CheckResult{Status: CheckOK, Detail: detail}
	})
}

// logErrorLines is how many of the log's last errors the doctor quotes.
const logErrorLines = 3

// checkLogFolder: writable, how big, and the last errors in it.
func (d *doctor) checkLogFolder(ctx context.Context) {
	dir := d.env.Paths.LogDir
	d.step(ctx, "log folder", doctorLocalTimeout, func(context.Context) CheckResult {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s cannot be created: %v", dir, err),
				Action: "Give your account write access to that folder's parent; without a log nobody can trace a problem."}
		}
		probe, err := os.CreateTemp(dir, ".doctor-*")
		if err != nil {
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s is not writable: %v", dir, err),
				Action: "Give your account write access to the log folder."}
		}
		probe.Close()
		os.Remove(probe.Name())
		var size int64
		files := 0
		_ = filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				if fi, err := e.Info(); err == nil {
					size += fi.Size()
					files++
				}
			}
			return nil
		})
		detail := fmt.Sprintf("%s writable, %d files, %.1f MB", dir, files, float64(size)/(1<<20))
		errs, calendarFailures := lastErrorLines(filepath.Join(dir, LogFileName), logErrorLines, d.logSizeAtStart)
		if calendarFailures > 0 {
			detail += fmt.Sprintf("; %d %q line(s): a colleague's calendar could not be read", calendarFailures, calendar.LogCalendarUnreadable)
		}
		if len(errs) == 0 && calendarFailures > 0 {
			return CheckResult{Status: CheckOK, Detail: detail + "; no other warning or error logged"}
		}
		if len(errs) == 0 {
			return CheckResult{Status: CheckOK, Detail: detail + "; no warning or error logged"}
		}
		return CheckResult{Status: CheckOK, Detail: detail + "; last warnings and errors:\n        " + strings.Join(errs, "\n        ")}
	})
}

// lastErrorLines are the last n lines of the JSON log at level WARN or
// ERROR within its first limit bytes (what was logged before this doctor
// run, whose own probes are not news): a rejected request or a paused
// engine is where support starts. Lines about one colleague's calendar are
// counted instead: thirty unshared calendars would otherwise push the one
// line about the account out of view.
func lastErrorLines(path string, n int, limit int64) (lines []string, calendarFailures int) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0
	}
	defer f.Close()
	var ring []string
	sc := bufio.NewScanner(io.LimitReader(f, limit))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, `"level":"ERROR"`) && !strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"doctor_probe":true`) {
			continue
		}
		if strings.Contains(line, `"msg":"`+calendar.LogCalendarUnreadable+`"`) {
			calendarFailures++
			continue
		}
		if len(line) > 300 {
			line = line[:300] + "..."
		}
		if len(ring) == n {
			ring = ring[1:]
		}
		ring = append(ring, line)
	}
	return ring, calendarFailures
}
