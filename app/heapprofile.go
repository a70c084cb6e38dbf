package app

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// heapProfileEnv names the file a heap profile is written to, for finding where
// the console's memory goes (`go tool pprof -top frontdesk FILE`). Unset, the
// default, nothing is written. The profile holds allocation sites and sizes
// only: no names, mail addresses or secrets.
const heapProfileEnv = "FRONTDESK_HEAPPROFILE"

// startHeapProfile arranges for a heap profile to be written to the file
// FRONTDESK_HEAPPROFILE names: on SIGUSR1 (where there is one), so a running
// console can be looked at as it idles, and by the returned function at exit.
// Without the variable it does nothing.
func startHeapProfile(getenv func(string) string, stderr io.Writer) (stop func()) {
	path := getenv(heapProfileEnv)
	if path == "" {
		return func() {}
	}
	write := func() {
		if err := writeHeapProfile(path); err != nil && stderr != nil {
			fmt.Fprintf(stderr, "frontdesk: heap profile: %v\n", err)
		}
	}
	stopSignal := onProfileSignal(write)
	return func() {
		stopSignal()
		write()
	}
}

// writeHeapProfile writes the live heap after a collection, so the profile
// shows what is held rather than garbage not yet collected.
func writeHeapProfile(path string) error {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
