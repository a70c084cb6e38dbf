package app

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The About box must carry the notice of every module the binary links: a
// dependency added without running scripts/licences.sh fails here.
// Each system's build is checked: the Windows one links modules the Linux one
// does not (github.com/danieljoos/wincred, the Credential Manager), and its
// About box lacked their notices.
func TestLicenceNoticesCoverEveryModule(t *testing.T) {
	notices := licenceNotices()
	for _, goos := range []string{"linux", "windows", "darwin"} {
		t.Run(goos, func(t *testing.T) {
			cmd := exec.Command("go", "list", "-deps", "-f",
				"{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}",
				"github.com/frontdesk-app/frontdesk")
			cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED=1")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list: %v", err)
			}
			modules := 0
			for _, mod := range strings.Fields(string(out)) {
				modules++
				if !strings.Contains(notices, "==== "+mod+" ====") {
					t.Errorf("no licence notice for %s: run scripts/licences.sh", mod)
				}
			}
			if modules < 10 {
				t.Fatalf("go list found only %d modules; expected Fyne, MSAL, msgraph and their dependencies", modules)
			}
		})
	}
	for _, licence := range []string{"BSD", "MIT", "Apache License"} {
		if !strings.Contains(notices, licence) {
			t.Errorf("the notices carry no %s licence text", licence)
		}
	}
}
