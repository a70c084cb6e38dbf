package app

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
)

// A configuration that cannot be read never opens the fictional demo
// company: with a last good one the console runs on it and says so, with the
// file and the line; without one (or with that garbled too) the welcome page
// opens under the reason.
func TestARefusedConfigNeverOpensTheDemo(t *testing.T) {
	const garbled = "provider = \"demo\"\nrefresh_interval = 60s\n"
	const good = "provider = \"demo\"\nrefresh_interval = \"90s\"\n"
	tests := []struct {
		name, config, lastGood string
		wantWelcome            bool
		wantProblem            []string
	}{
		{"good", good, "", false, nil},
		{"garbled, no last good", garbled, "", true, []string{"config.toml: refresh_interval: line 2", "cannot read its settings"}},
		{"garbled, last good garbled too", garbled, "provider = [\n", true, []string{"config.toml: refresh_interval: line 2", "cannot read its settings"}},
		{"garbled, last good kept", garbled, good, false, []string{"config.toml: refresh_interval: line 2", "Running on the last good settings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, tt.config)
			if tt.lastGood != "" {
				write(t, lastGoodPath(p), tt.lastGood)
			}
			env := &Env{Paths: p, Logger: discardLogger(), Stderr: os.Stderr}
			s := env.consoleStart(false, nil)
			if s.firstRun != tt.wantWelcome {
				t.Errorf("welcome page %v, want %v", s.firstRun, tt.wantWelcome)
			}
			if tt.wantWelcome && s.cfg.Provider == ProviderDemo {
				t.Errorf("opened on the demo company")
			}
			if !tt.wantWelcome && s.cfg.RefreshInterval.Duration.String() != "1m30s" {
				t.Errorf("runs on %v, want the good settings' 90s", s.cfg.RefreshInterval)
			}
			if tt.wantProblem == nil && s.settingsProblem != "" {
				t.Errorf("problem %q, want none", s.settingsProblem)
			}
			for _, want := range tt.wantProblem {
				if !strings.Contains(s.settingsProblem, want) {
					t.Errorf("problem %q, want it to say %q", s.settingsProblem, want)
				}
			}
		})
	}
}

// A complete admin policy that is not trusted leaves the operator on the
// welcome page, and both the page and the log say why: a fresh profile
// (no config.toml yet) is exactly where IT's provisioning is met first.
func TestTheWelcomePageSaysWhyThePolicyWasIgnored(t *testing.T) {
	const reason = "it is owned by S-1-5-21-0-0-0-1000, not Administrators or SYSTEM"
	saved := trustPolicyFile
	t.Cleanup(func() { trustPolicyFile = saved })
	trustPolicyFile = func(*os.File) error { return errors.New(reason) }
	p := testPaths(t)
	write(t, p.PolicyFile, "[microsoft365]\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"11111111-2222-3333-4444-555555555555\"\n")
	if !IsFirstRun(p) {
		t.Fatal("an untrusted policy and no config.toml: not the welcome page")
	}
	var log bytes.Buffer
	env := &Env{Paths: p, Logger: slog.New(slog.NewTextHandler(&log, nil)), Stderr: os.Stderr}
	s := env.consoleStart(true, nil)
	if !s.firstRun {
		t.Error("not the welcome page")
	}
	if !strings.Contains(s.policyProblem, "not trusted") || !strings.Contains(s.policyProblem, reason) {
		t.Errorf("the window says %q, want why the policy is not trusted (%q)", s.policyProblem, reason)
	}
	if !strings.Contains(log.String(), "ignored, because "+reason) {
		t.Errorf("the log says %q, want why the policy was ignored", log.String())
	}
}
