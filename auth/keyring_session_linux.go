//go:build linux

package auth

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/godbus/dbus/v5"
)

// userRuntimeDir is the systemd runtime folder the D-Bus library also looks
// in; tests point it elsewhere.
var userRuntimeDir = func() string { return fmt.Sprintf("/run/user/%d", os.Getuid()) }

// keyringSessionReady makes sure the Secret Service call that follows finds the
// session bus without autolaunching one. With DBUS_SESSION_BUS_ADDRESS unset,
// godbus runs dbus-launch --autolaunch: a new dbus-daemon per process that
// outlives it, and no keyring on it. The session bus socket, when there is
// one ($XDG_RUNTIME_DIR/bus, as systemd and dbus-broker place it), is named in
// DBUS_SESSION_BUS_ADDRESS so godbus dials it; without one the answer is
// ErrNoKeyringService, at once.
func keyringSessionReady() error {
	switch addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr {
	case noSessionBus:
		return ErrNoKeyringService
	case "", "autolaunch:":
	default:
		return nil
	}
	for _, dir := range []string{os.Getenv("XDG_RUNTIME_DIR"), userRuntimeDir()} {
		if dir == "" {
			continue
		}
		socket := filepath.Join(dir, "bus")
		if fi, err := os.Stat(socket); err == nil && fi.Mode()&fs.ModeSocket != 0 {
			return os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+dbus.EscapeBusAddressValue(socket))
		}
	}
	return ErrNoKeyringService
}

// noSessionBus is the address PreventBusAutolaunch sets: godbus autolaunches
// only for an empty address (or "autolaunch:"), and refuses this one at once
// as an unknown transport.
const noSessionBus = "disabled:"

// PreventBusAutolaunch makes sure nothing in this process autolaunches a
// D-Bus daemon: it names the session bus socket when there is one, and when
// there is none sets an address that fails at once. The console calls it
// before Fyne starts, whose settings watcher asks godbus for the session bus
// (through the XDG portal) and would otherwise leave a dbus-daemon behind.
// Programs the console opens (xdg-open) inherit the address and find no bus,
// as there is none, rather than each autolaunching one.
func PreventBusAutolaunch() {
	if keyringSessionReady() != nil {
		_ = os.Setenv("DBUS_SESSION_BUS_ADDRESS", noSessionBus)
	}
}
