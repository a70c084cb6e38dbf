//go:build !windows

package app

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestPolicyOwnership(t *testing.T) {
	me := os.Getuid()
	tests := []struct {
		name  string
		mode  os.FileMode
		owner int // the uid the check requires
		want  string
	}{
		{"owner only writes", 0o644, me, ""},
		{"read-only", 0o444, me, ""},
		{"group may write", 0o664, me, "group or others may write it (mode 0664)"},
		{"others may write", 0o646, me, "group or others may write it (mode 0646)"},
		{"another owner", 0o644, me + 1, "not root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := t.TempDir() + "/policy.toml"
			write(t, path, "provider = \"demo\"\n")
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			err = policyOwnership(fi, tt.owner)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// A policy file anyone could have written is not obeyed: its keys are not
// applied or locked, and the warning names the file.
func TestUntrustedPolicyIsIgnoredWithAWarning(t *testing.T) {
	trustPolicyFile = policyFileTrusted
	t.Cleanup(func() { trustPolicyFile = func(*os.File) error { return nil } })
	p := testPaths(t)
	write(t, p.ConfigFile, "provider = \"demo\"\n")
	write(t, p.PolicyFile, "refresh_interval = \"120s\"\n")

	for _, mode := range []os.FileMode{0o666, 0o664} {
		if err := os.Chmod(p.PolicyFile, mode); err != nil {
			t.Fatal(err)
		}
		l, err := LoadConfig(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if l.Config.RefreshInterval.Duration == 120*time.Second || l.IsLocked("refresh_interval") {
			t.Errorf("mode %04o: the policy was applied", mode)
		}
		if len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], p.PolicyFile) || !strings.Contains(l.Warnings[0], "ignored") {
			t.Errorf("mode %04o: warnings %q, want one naming %s", mode, l.Warnings, p.PolicyFile)
		}
	}

	// Owner-only write: honoured when root owns it, ignored otherwise.
	if err := os.Chmod(p.PolicyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getuid() == 0 {
		if l.Config.RefreshInterval.Duration != 120*time.Second || !l.IsLocked("refresh_interval") || len(l.Warnings) != 0 {
			t.Errorf("a root-owned 0644 policy was not honoured: %v locked=%v warnings %q", l.Config.RefreshInterval, l.Locked, l.Warnings)
		}
		// The same file handed to another user is no longer the admin's:
		// reported, and its locks are those of the last trusted read, kept
		// (another user cannot lift them by taking the file over).
		if err := os.Chown(p.PolicyFile, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p.PolicyFile, []byte("refresh_interval = \"10s\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if l, err = LoadConfig(p, nil); err != nil {
			t.Fatal(err)
		}
		if l.Config.RefreshInterval.Duration != 120*time.Second || len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], "not root") || !strings.Contains(l.Warnings[0], "last trusted copy") {
			t.Errorf("a policy taken over by another user lifted the trusted locks or was not reported: %v warnings %q", l.Config.RefreshInterval, l.Warnings)
		}
		return
	}
	if l.Config.RefreshInterval.Duration == 120*time.Second || len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], "not root") {
		t.Errorf("a policy not owned by root was applied or not reported: %v warnings %q", l.Config.RefreshInterval, l.Warnings)
	}
}
