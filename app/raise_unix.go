//go:build !windows

package app

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
)

// raiseSocketName is the console's Unix socket in its state folder, which
// only the user can enter.
const raiseSocketName = "console.sock"

func listenRaiseEndpoint(stateDir string) (net.Listener, func(), error) {
	path := filepath.Join(stateDir, raiseSocketName)
	// The caller holds the profile lock, so a socket left here is a dead
	// console's.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, nil, err
	}
	return l, func() { _ = os.Remove(path) }, nil
}

func dialRaiseEndpoint(ctx context.Context, stateDir string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", filepath.Join(stateDir, raiseSocketName))
}
