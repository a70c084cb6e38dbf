//go:build !unix

package app

// onProfileSignal: there is no SIGUSR1 here; the profile is written at exit.
func onProfileSignal(func()) (stop func()) { return func() {} }
