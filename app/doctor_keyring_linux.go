package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/godbus/dbus/v5"
)

const secretService = "org.freedesktop.secrets"

// systemKeyringLockState asks the Secret Service (gnome-keyring, KWallet)
// over D-Bus whether the default collection is locked: a property read,
// which never raises a prompt.
func systemKeyringLockState(ctx context.Context) (locked, known bool, where string, err error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "disabled:" { // auth.PreventBusAutolaunch found none
		return false, false, "", errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// Never autolaunch a bus (it would start a daemon for nothing).
		if _, statErr := os.Stat(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "bus")); os.Getenv("XDG_RUNTIME_DIR") == "" || statErr != nil {
			return false, false, "", errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
		}
	}
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return false, false, "", err
	}
	defer conn.Close()
	var owned bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, secretService).Store(&owned); err != nil {
		return false, false, "", err
	}
	if !owned {
		return false, false, "", errors.New("no Secret Service (org.freedesktop.secrets) on the session bus")
	}
	var collection dbus.ObjectPath
	svc := conn.Object(secretService, "/org/freedesktop/secrets")
	if err := svc.CallWithContext(ctx, "org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&collection); err != nil || collection == "/" {
		// go-keyring uses the "login" collection when there is no default.
		collection = "/org/freedesktop/secrets/collection/login"
	}
	var v dbus.Variant
	if err := conn.Object(secretService, collection).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		"org.freedesktop.Secret.Collection", "Locked").Store(&v); err != nil {
		return false, false, "", err
	}
	locked, ok := v.Value().(bool)
	if !ok {
		return false, false, "", errors.New("the Secret Service answered the lock question with no yes or no")
	}
	label := "the keyring " + filepath.Base(string(collection))
	return locked, true, label, nil
}
