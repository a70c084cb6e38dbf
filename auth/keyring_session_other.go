//go:build !linux

package auth

// keyringSessionReady has nothing to check outside Linux: Windows Credential
// Manager and the macOS Keychain need no bus.
func keyringSessionReady() error { return nil }

// PreventBusAutolaunch has nothing to prevent outside Linux.
func PreventBusAutolaunch() {}
