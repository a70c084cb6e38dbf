//go:build unix

package app

import (
	"os"
	"os/signal"
	"syscall"
)

// onProfileSignal calls write on each SIGUSR1 until the returned stop.
func onProfileSignal(write func()) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				write()
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
