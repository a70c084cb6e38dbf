package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Ctrl+Enter on the real binary hands the selected colleague's work number,
// as a tel: URI, to the system: here a recording xdg-open first on PATH,
// which is what Fyne's OpenURL runs on Linux.
func TestCtrlEnterCallsUnderXvfb(t *testing.T) {
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	env, config := keyboardEnv(t)
	bin := t.TempDir()
	record := filepath.Join(bin, "opened")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + record + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	status := demoStatus(t, env)
	if len(status.People) == 0 {
		t.Fatal("the demo has nobody")
	}
	name := status.People[0].Name

	c := startKeyConsole(t, env, config)
	c.typeText(name)
	c.key("Return", "ctrl+Return")

	var opened string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(record); err == nil && strings.HasSuffix(string(b), "\n") {
			opened = string(b)
			break
		}
	}
	// Every demo colleague's work number is "+1 555 01xx".
	if !regexp.MustCompile(`^tel:\+155501\d\d\n$`).MatchString(opened) {
		t.Errorf("xdg-open got %q for %s, want exactly one tel:+155501xx", opened, name)
	}
}
