package app

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Commit and BuildDate (declared with the diagnostics) are stamped next to
// Version by scripts/package.sh. A plain `go build` in a git checkout leaves
// them "unknown"; the toolchain's own VCS stamp (vcs.revision, vcs.time)
// stands in for them then.
const notStamped = "unknown"

// BuildInfo is what `frontdesk version` prints: enough for a support ticket to
// name the exact build without asking the operator anything else.
type BuildInfo struct {
	Version   string
	Commit    string
	BuildDate string
	Go        string
	Fyne      string
}

// CurrentBuild reads the stamped values and, where a value was not stamped,
// what the Go toolchain recorded in the binary.
func CurrentBuild() BuildInfo {
	b := BuildInfo{Version: Version, Go: runtime.Version()}
	if Commit != notStamped {
		b.Commit = Commit
	}
	if BuildDate != notStamped {
		b.BuildDate = BuildDate
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b.withUnknowns()
	}
	for _, dep := range info.Deps {
		if dep.Path == "fyne.io/fyne/v2" {
			b.Fyne = dep.Version
			if dep.Replace != nil {
				b.Fyne = dep.Replace.Version
			}
		}
	}
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if b.Commit == "" && len(s.Value) >= 12 {
				b.Commit = s.Value[:12]
			}
		case "vcs.time":
			if b.BuildDate == "" {
				b.BuildDate = s.Value
			}
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && Commit == notStamped && b.Commit != "" {
		b.Commit += "-dirty"
	}
	return b.withUnknowns()
}

func (b BuildInfo) withUnknowns() BuildInfo {
	for _, v := range []*string{&b.Commit, &b.BuildDate, &b.Fyne} {
		if *v == "" {
			*v = notStamped
		}
	}
	return b
}

// Write prints the build, first line "frontdesk VERSION" (scripts read it).
func (b BuildInfo) Write(w io.Writer) {
	fmt.Fprintf(w, "frontdesk %s\ncommit:  %s\nbuilt:   %s\ngo:      %s\nfyne:    %s\n",
		b.Version, b.Commit, b.BuildDate, b.Go, b.Fyne)
}
