//go:build !windows

package app

// letTheRunningConsoleTakeTheForeground does nothing: X11, Wayland and macOS
// leave activation to the window manager, which GLFW asks.
func letTheRunningConsoleTakeTheForeground() {}
