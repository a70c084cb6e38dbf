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
	"syscall"

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
		cost := refreshCost(cfg, max(people, 1))
		plan := calendar.PlanBudgetFor(cost, interval)
		requests := "requests"
		if cost.Each == 1 {
			requests = "request"
		}
		perRefresh := fmt.Sprintf("%d %s per refresh", cost.Each, requests)
		if cost.Periodic > 0 {
			perRefresh += fmt.Sprintf(" (%d every %dth, with everyone's automatic replies)", cost.Heaviest(), calendar.AutoReplyEvery)
		}
		detail := fmt.Sprintf("%d people listed%s; every %s, %s, %d per 10 minutes of the %d the mailbox may send (planned share %d)",
			people, more, calendar.FormatInterval(interval), perRefresh, plan.Requests, calendar.MailboxRequestLimit, calendar.PlannedRequestShare)
		if cfg.Rooms {
			detail += "; meeting rooms listed too, their calendars in the same batches"
		} else {
			detail += "; meeting rooms off (rooms = false)"
		}
		if plan.Stretched {
			return CheckResult{Status: CheckWarn, Detail: detail + "; " + plan.NoticeFor(people, cost, interval),
				Action: fmt.Sprintf("Set refresh_interval to %s or more, or list fewer people.", calendar.FormatInterval(plan.Interval))}
		}
		return CheckResult{Status: CheckOK, Detail: detail}
	})
}

// logErrorLines is how many of the log's last errors the doctor quotes.
const logErrorLines = 3

// doctorProbeSize is what the doctor writes to prove a folder writable: more
// than the record of rejected passwords or a log line needs, so a disk with
// a few bytes left is not reported writable.
const doctorProbeSize = 64 << 10

// lowFreeSpace is where the doctor warns: the log rotates at a few MB and the
// state files need little, but a disk this full fills within a day.
const lowFreeSpace = 16 << 20

// proveWritable writes doctorProbeSize bytes into dir, syncs and removes them:
// the only proof that counts (a mode bit says nothing of a full disk, a
// read-only mount or a quota, and nothing at all to root).
func proveWritable(dir string) error {
	probe, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return err
	}
	defer os.Remove(probe.Name())
	_, err = probe.Write(make([]byte, doctorProbeSize))
	if err == nil {
		err = probe.Sync()
	}
	if closeErr := probe.Close(); err == nil {
		err = closeErr
	}
	return err
}

// folderSpace proves dir writable and says how much room is left: FAIL when
// it takes no file, WARN when little room is left; detail starts "dir
// writable, N MB free".
func folderSpace(dir, what string) CheckResult {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s cannot be created: %v", dir, err),
			Action: "Give your account write access to that folder's parent; " + what}
	}
	free, known := freeSpace(dir)
	room := ""
	if known {
		room = fmt.Sprintf(", %s free", formatBytes(free))
	}
	if err := proveWritable(dir); err != nil {
		reason := "not writable"
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
			reason = "full"
		}
		return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s is %s (a test write failed: %v)%s", dir, reason, err, room),
			Action: "Free some space there or give your account write access to it; " + what}
	}
	detail := dir + " writable" + room
	if known && free < lowFreeSpace {
		return CheckResult{Status: CheckWarn, Detail: detail,
			Action: "Free some space there soon; " + what}
	}
	return CheckResult{Status: CheckOK, Detail: detail}
}

func formatBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// stateFolderNeed is why the state folder must take writes.
const stateFolderNeed = "without it Frontdesk cannot remember a rejected Exchange password and sends none."

// checkLogFolder: writable by a real write, free space, how big, and the
// last errors in it; the state folder too where it is another folder.
func (d *doctor) checkLogFolder(ctx context.Context) {
	dir := d.env.Paths.LogDir
	state := d.env.Paths.StateDir
	if state != "" && filepath.Clean(state) != filepath.Clean(dir) {
		d.step(ctx, "state folder", doctorLocalTimeout, func(context.Context) CheckResult {
			return folderSpace(state, stateFolderNeed)
		})
	}
	d.step(ctx, "log folder", doctorLocalTimeout, func(context.Context) CheckResult {
		need := "without a log nobody can trace a problem."
		if state == "" || filepath.Clean(state) == filepath.Clean(dir) {
			need = "it is also the state folder: " + stateFolderNeed
		}
		space := folderSpace(dir, need)
		if space.Status == CheckFail {
			return space
		}
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
		detail := fmt.Sprintf("%s, %d files, %.1f MB", space.Detail, files, float64(size)/(1<<20))
		errs, calendarFailures := lastErrorLines(filepath.Join(dir, LogFileName), logErrorLines, d.logSizeAtStart)
		if calendarFailures > 0 {
			detail += fmt.Sprintf("; %d %q line(s): a colleague's calendar could not be read", calendarFailures, calendar.LogCalendarUnreadable)
		}
		switch {
		case len(errs) == 0 && calendarFailures > 0:
			detail += "; no other warning or error logged"
		case len(errs) == 0:
			detail += "; no warning or error logged"
		default:
			detail += "; last warnings and errors:\n        " + strings.Join(errs, "\n        ")
		}
		// A folder low on room warns (space.Status); the errors quoted are
		// news, not a fault of the folder.
		return CheckResult{Status: space.Status, Detail: detail, Action: space.Action}
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
