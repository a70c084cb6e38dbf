package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
)

// First run on a provisioned machine: IT's policy at /etc/frontdesk sets the
// tenant (and, for this test, where sign-in and Graph are: the loopback
// identity server and Prism) but leaves the client ID to the operator. A
// fresh profile opens the welcome page with the policy's tenant filled in;
// the operator picks Microsoft 365, types the client ID and signs in in the
// (fake) system browser; colleagues arrive from Prism, and config.toml is
// written without any token the identity server issued. The policy sits at
// its real path in a private mount namespace of the console alone.
func TestWindowFirstRunMicrosoft365(t *testing.T) {
	w := newAuthWorld(t, true)
	c, logFile := startConsoleUnderPolicy(t, w, "Welcome to Frontdesk", m365Policy(w, startPrism(t), ""))
	time.Sleep(time.Second)
	welcome := screenshot(t, "out/window-welcome-policy.png")
	if distinctColours(welcome) < 8 {
		t.Fatal("blank welcome page")
	}

	c.click(t, windowWidth/2, welcomeM365Y)
	time.Sleep(time.Second)
	screenshot(t, "out/window-welcome-m365-page.png")
	c.click(t, welcomeFieldX, welcomeClientIDY)
	c.typeText(t, authClientID)
	time.Sleep(500 * time.Millisecond)
	screenshot(t, "out/window-welcome-m365.png")
	if _, err := os.Stat(w.configFile); !os.IsNotExist(err) {
		t.Fatalf("settings saved before the sign-in (%v)", err)
	}
	c.click(t, windowWidth/2, welcomeSignInY)
	waitUntil(t, "the browser sign-in", 60*time.Second, func() bool { return w.browserOpens() == 1 })
	waitUntil(t, "a refresh of both colleagues from Prism", 60*time.Second, func() bool { return cycleDone(t, logFile, 2) })
	time.Sleep(2 * time.Second)
	console := screenshot(t, "out/window-first-run-m365.png")
	if distinctColours(console) < 8 {
		t.Error("blank window after the first-run sign-in")
	}

	data, err := os.ReadFile(w.configFile)
	if err != nil {
		t.Fatalf("no settings after the sign-in: %v", err)
	}
	for _, want := range []string{`provider = "microsoft365"`, authClientID} {
		if !strings.Contains(string(data), want) {
			t.Errorf("config.toml lacks %s:\n%s", want, data)
		}
	}
	secrets := w.issuedSecrets()
	if len(secrets) == 0 {
		t.Fatal("the identity server issued no token: the grep would prove nothing")
	}
	for _, s := range secrets {
		if strings.Contains(string(data), s) {
			t.Errorf("config.toml holds a token the identity server issued (%d chars)", len(s))
		}
	}
	w.assertNoSecretsOnDisk(secrets)
	if !strings.Contains(keyringItems(t), "service = "+auth.KeyringService) {
		t.Error("no Frontdesk item in the keyring after the first-run sign-in")
	}
}

// A machine IT has fully provisioned: the policy sets the tenant, the client
// ID, where sign-in and Graph are, and the colleagues. A fresh profile skips
// the welcome page and opens the console, signed out, refreshing nobody; the
// operator's only step is Sign in from the account bar. Colleagues then come
// from Prism, and no token reaches the disk.
func TestWindowProvisionedByPolicySignsIn(t *testing.T) {
	w := newAuthWorld(t, true)
	// The console's own title, not "Welcome to Frontdesk".
	c, logFile := startConsoleUnderPolicy(t, w, "Frontdesk", m365Policy(w, startPrism(t), authClientID))
	time.Sleep(3 * time.Second)
	screenshot(t, "out/window-provisioned-signed-out.png")
	if cycleDone(t, logFile, 2) {
		t.Fatal("colleagues refreshed before anyone signed in")
	}

	c.click(t, windowWidth-50, menuBarHeight+22) // the account bar's Sign in
	time.Sleep(time.Second)
	c.click(t, windowWidth/2, signInButtonY)
	waitUntil(t, "the browser sign-in", 60*time.Second, func() bool { return w.browserOpens() == 1 })
	waitUntil(t, "a refresh of both colleagues from Prism", 60*time.Second, func() bool { return cycleDone(t, logFile, 2) })
	time.Sleep(time.Second)
	c.click(t, windowWidth/2, signInCloseY)
	time.Sleep(time.Second)
	console := screenshot(t, "out/window-provisioned-signed-in.png")
	if distinctColours(console) < 8 {
		t.Error("blank window after the sign-in")
	}

	secrets := w.issuedSecrets()
	if len(secrets) == 0 {
		t.Fatal("the identity server issued no token: the grep would prove nothing")
	}
	w.assertNoSecretsOnDisk(secrets)
	if !strings.Contains(keyringItems(t), "service = "+auth.KeyringService) {
		t.Error("no Frontdesk item in the keyring after the sign-in")
	}
}

// Where the welcome page (960x640, centred 520-wide column) has the Microsoft
// 365 choice and, on its page, the client ID field and "Sign in with
// Microsoft" (below the policy's greyed tenant and its "Set by your
// administrator" note); measured on out/window-welcome-policy.png and
// out/window-welcome-m365-page.png.
const (
	welcomeM365Y     = 174
	welcomeFieldX    = 600
	welcomeClientIDY = 236
	welcomeSignInY   = 276
)

// m365Policy is an admin policy for Microsoft 365 with sign-in at the
// loopback identity server, Graph at graphURL and Adele and Megan as the
// colleagues; clientID "" leaves the client ID to the operator.
func m365Policy(w *authWorld, graphURL, clientID string) string {
	policy := fmt.Sprintf(`time_zone = "America/Los_Angeles"
[microsoft365]
tenant = %q
authority_url = "%s/%s"
graph_url = %q
presence = true
[people]
emails = [%q, %q]
`, authTenant, w.idp.URL, authTenant, graphURL, adele, megan)
	if clientID != "" {
		policy = strings.Replace(policy, "[microsoft365]\n", fmt.Sprintf("[microsoft365]\nclient_id = %q\n", clientID), 1)
	}
	return policy
}

// startConsoleUnderPolicy runs the console on a fresh profile of w with policy
// as its real /etc/frontdesk/policy.toml (underPolicy), and waits for the
// window named title. It
// returns the console and its log file, which is printed if the test fails.
func startConsoleUnderPolicy(t *testing.T, w *authWorld, title, policy string) (*console, string) {
	t.Helper()
	if err := os.Remove(w.configFile); err != nil { // a fresh profile
		t.Fatal(err)
	}
	logFile := filepath.Join(w.stateDir, "frontdesk.log")
	c := startConsoleVia(t, w.env("LANG=C.UTF-8"), title, underPolicy(t, policy, frontdeskBin(t)))
	t.Cleanup(func() {
		if t.Failed() {
			data, _ := os.ReadFile(logFile)
			t.Logf("console log:\n%s\nconsole stderr:\n%s", data, c.stderr.String())
		}
	})
	return c, logFile
}

// underPolicy is argv run with policy as /etc/frontdesk/policy.toml, seen by
// that process alone and needing no root: unshare gives it a user namespace
// (where the test's user is root, so the policy file is root's, as the
// console demands) and a mount namespace with a writable overlay on /etc
// (upper layer on a tmpfs), where /etc/frontdesk is made and the policy's
// folder bind-mounted. The shell execs argv in place: the PID is the
// console's. Nothing outside the namespace sees /etc/frontdesk.
func underPolicy(t *testing.T, policy string, argv ...string) []string {
	t.Helper()
	policyDir := t.TempDir()
	if err := os.Chmod(policyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(policyDir, "policy.toml"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	const script = `set -e
scratch=$1 policy=$2
shift 2
mount -t tmpfs frontdesk-etc "$scratch"
mkdir "$scratch/upper" "$scratch/work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$scratch/upper,workdir=$scratch/work" /etc
mkdir -p /etc/frontdesk
mount --bind "$policy" /etc/frontdesk
exec "$@"`
	return append([]string{"unshare", "--user", "--map-root-user", "--mount", "--propagation", "private",
		"sh", "-c", script, "sh", t.TempDir(), policyDir}, argv...)
}
