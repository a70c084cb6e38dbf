package app

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names the file a CPU profile of the whole run is written to,
// for finding where the console's CPU goes (`go tool pprof -top frontdesk
// FILE`; the window's callbacks carry the label ui_callback, so
// `-tagfocus ui_callback=...` keeps one kind). Unset, the default, nothing
// is profiled. The profile holds code locations and sample counts only: no
// names, mail addresses or secrets.
const cpuProfileEnv = "FRONTDESK_CPUPROFILE"

// startCPUProfile profiles the process into the file FRONTDESK_CPUPROFILE
// names until the returned function, which writes it. Without the variable
// it does nothing.
func startCPUProfile(getenv func(string) string, stderr io.Writer) (stop func()) {
	path := getenv(cpuProfileEnv)
	if path == "" {
		return func() {}
	}
	fail := func(err error) {
		if stderr != nil {
			fmt.Fprintf(stderr, "frontdesk: CPU profile: %v\n", err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		fail(err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fail(err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fail(err)
		}
	}
}
