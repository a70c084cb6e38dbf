//go:build !windows

package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The folders above the policy file are checked up to top: each must be
// owned by the required owner and writable by no one else.
func TestPolicyFolderChain(t *testing.T) {
	me := os.Getuid()
	tests := []struct {
		name  string
		setup func(t *testing.T, top string) string // returns the policy's folder
		want  string
	}{
		{"owner-only folders", func(t *testing.T, top string) string {
			return mkdirMode(t, filepath.Join(top, "etc", "frontdesk"), 0o755)
		}, ""},
		{"the folder writable by all", func(t *testing.T, top string) string {
			return mkdirMode(t, filepath.Join(top, "etc", "frontdesk"), 0o777)
		}, "group or others may write its folder"},
		{"the folder writable by its group", func(t *testing.T, top string) string {
			return mkdirMode(t, filepath.Join(top, "etc", "frontdesk"), 0o775)
		}, "(mode 0775)"},
		{"a parent writable by all", func(t *testing.T, top string) string {
			dir := mkdirMode(t, filepath.Join(top, "etc", "frontdesk"), 0o755)
			chmod(t, filepath.Join(top, "etc"), 0o777)
			return dir
		}, filepath.Join("etc") + " (mode 0777)"},
		{"a missing folder under a safe parent", func(t *testing.T, top string) string {
			mkdirMode(t, filepath.Join(top, "etc"), 0o755)
			return filepath.Join(top, "etc", "frontdesk")
		}, ""},
		{"a missing folder under an open parent", func(t *testing.T, top string) string {
			mkdirMode(t, filepath.Join(top, "etc"), 0o777)
			return filepath.Join(top, "etc", "frontdesk")
		}, "(mode 0777)"},
		{"a link to an open folder", func(t *testing.T, top string) string {
			open := mkdirMode(t, filepath.Join(top, "open"), 0o777)
			mkdirMode(t, filepath.Join(top, "etc"), 0o755)
			link := filepath.Join(top, "etc", "frontdesk")
			if err := os.Symlink(open, link); err != nil {
				t.Fatal(err)
			}
			return link
		}, "open (mode 0777)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := t.TempDir()
			chmod(t, top, 0o755)
			err := policyFolderChain(tt.setup(t, top), top, me)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if err := policyFolderChain(t.TempDir(), "", me+1); err == nil || !strings.Contains(err.Error(), "not root") {
		t.Errorf("a folder of another owner: err = %v, want it refused as not root's", err)
	}
}

// With the policy's folder writable by everyone, deleting or replacing the
// policy does not lift its locks: the last trusted copy still applies, and
// the warning says so. Once the folder is safe again, a policy gone from it
// was removed by an administrator, and its locks go with it.
func TestAnUntrustedPolicyFolderKeepsTheLastTrustedLocks(t *testing.T) {
	p := testPaths(t)
	top := filepath.Dir(filepath.Dir(p.PolicyFile))
	chmod(t, top, 0o755)
	me := os.Getuid()
	oldFile, oldFolder := trustPolicyFile, trustPolicyFolder
	trustPolicyFile = func(f *os.File) error {
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		return policyOwnership(fi, me)
	}
	trustPolicyFolder = func(path string) error { return policyFolderChain(filepath.Dir(path), top, me) }
	t.Cleanup(func() { trustPolicyFile, trustPolicyFolder = oldFile, oldFolder })

	write(t, p.ConfigFile, "provider = \"demo\"\nrefresh_interval = \"30s\"\n")
	write(t, p.PolicyFile, "refresh_interval = \"120s\"\n")
	chmod(t, filepath.Dir(p.PolicyFile), 0o755)
	chmod(t, p.PolicyFile, 0o644)
	steps := []struct {
		name       string
		change     func(t *testing.T)
		wantLocked bool
		wantWarn   string
	}{
		{"trusted", func(*testing.T) {}, true, ""},
		{"the folder opened to everyone", func(t *testing.T) { chmod(t, filepath.Dir(p.PolicyFile), 0o777) }, true, "last trusted copy"},
		{"the policy deleted from the open folder", func(t *testing.T) {
			if err := os.Remove(p.PolicyFile); err != nil {
				t.Fatal(err)
			}
		}, true, "it is missing, and group or others may write its folder"},
		{"a policy anyone may write put back", func(t *testing.T) {
			write(t, p.PolicyFile, "refresh_interval = \"10s\"\n")
			chmod(t, p.PolicyFile, 0o666)
		}, true, "group or others may write it (mode 0666)"},
		{"the folder made safe, the policy removed by the admin", func(t *testing.T) {
			if err := os.Remove(p.PolicyFile); err != nil {
				t.Fatal(err)
			}
			chmod(t, filepath.Dir(p.PolicyFile), 0o755)
		}, false, ""},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.change(t)
			l, err := LoadConfig(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			locked := l.IsLocked("refresh_interval") && l.Config.RefreshInterval.Duration == 120*time.Second
			if locked != step.wantLocked {
				t.Errorf("refresh_interval %v locked %v, want the policy's 120s locked: %v", l.Config.RefreshInterval, l.IsLocked("refresh_interval"), step.wantLocked)
			}
			warnings := strings.Join(l.Warnings, "\n")
			if step.wantWarn == "" && warnings != "" {
				t.Errorf("warnings %q, want none", warnings)
			}
			if step.wantWarn != "" && (!strings.Contains(warnings, p.PolicyFile+": ignored") || !strings.Contains(warnings, step.wantWarn) || l.PolicyDistrust == nil || !l.PolicyKept) {
				t.Errorf("warnings %q (distrust %v, kept %v), want one naming %s with %q", warnings, l.PolicyDistrust, l.PolicyKept, p.PolicyFile, step.wantWarn)
			}
		})
	}
	if _, err := os.Stat(lastTrustedPolicyPath(p)); !os.IsNotExist(err) {
		t.Errorf("the kept copy outlived the policy an admin removed: %v", err)
	}
}

// doctor names an untrusted policy folder, and the locks kept from the last
// trusted copy.
func TestDoctorReportsAPolicyDeletedFromAnOpenFolder(t *testing.T) {
	useAuthTestKeyring(t)
	p := testPaths(t)
	top := filepath.Dir(filepath.Dir(p.PolicyFile))
	chmod(t, top, 0o755)
	oldFolder := trustPolicyFolder
	trustPolicyFolder = func(path string) error { return policyFolderChain(filepath.Dir(path), top, os.Getuid()) }
	t.Cleanup(func() { trustPolicyFolder = oldFolder })
	write(t, p.ConfigFile, "provider = \"demo\"\n")
	write(t, p.PolicyFile, "refresh_interval = \"2m\"\n")
	chmod(t, filepath.Dir(p.PolicyFile), 0o755)
	if _, checks := runDoctor(t, p, nil); checks["policy"].Status != CheckOK {
		t.Fatalf("trusted policy: %+v", checks["policy"])
	}
	chmod(t, filepath.Dir(p.PolicyFile), 0o777)
	if err := os.Remove(p.PolicyFile); err != nil {
		t.Fatal(err)
	}
	_, checks := runDoctor(t, p, nil)
	c := checks["policy"]
	for _, want := range []string{p.PolicyFile + " is ignored: it is missing, and group or others may write its folder", "last trusted copy", "still apply: refresh_interval"} {
		if c.Status != CheckWarn || !strings.Contains(c.Detail, want) {
			t.Errorf("policy: %s %q, want WARN with %q", c.Status, c.Detail, want)
		}
	}
	if !strings.Contains(c.Action, "every folder above it") {
		t.Errorf("action %q", c.Action)
	}
}

func mkdirMode(t *testing.T, dir string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	chmod(t, dir, mode)
	return dir
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
