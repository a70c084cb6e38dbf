package ui

import (
	"context"
	"errors"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.4/glfw"
)

// ErrNoDisplay means the window could not be opened because no display could
// be reached: no desktop session, or an X server that refused the connection.
var ErrNoDisplay = errors.New("no display could be reached")

// showAndRun is the window's ShowAndRun, with one failure turned into an
// error. Fyne logs a GLFW that could not start ("Failed to detect any
// supported platform") and carries on, and the first GLFW call then panics
// with NotInitialized: the operator got a crash.log instead of a sentence.
// The same panic once the event loop has started is a bug, not a missing
// display, and goes on as every other panic does.
func showAndRun(w fyne.Window, lc fyne.Lifecycle) (err error) {
	started := false
	lc.SetOnStarted(func() { started = true }) // called on this goroutine, before the loop
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if e, ok := r.(error); ok && !started && isGLFWNotInitialized(e) {
			err = fmt.Errorf("%w (DISPLAY=%q, WAYLAND_DISPLAY=%q)", ErrNoDisplay, os.Getenv("DISPLAY"), os.Getenv("WAYLAND_DISPLAY"))
			return
		}
		panic(r)
	}()
	w.ShowAndRun()
	return nil
}

// isGLFWNotInitialized matches by the code's name: go-gl keeps the constant
// for GLFW_NOT_INITIALIZED unexported.
func isGLFWNotInitialized(err error) bool {
	var ge *glfw.Error
	return errors.As(err, &ge) && ge.Code.String() == "NotInitialized"
}

// takeFyneStopHook takes Fyne's own "save the preferences" hook off the
// lifecycle's stop event and returns it, for the caller to run once the event
// loop has ended. Fyne 2.8.1 queues that hook from the main loop just as the
// loop closes the queue the hook is sent to, so an exit now and then died of
// "send on closed channel" in Lifecycle.RunEventQueue (seen about once in 300
// starts of the shutdown test). With no stop hook nothing is queued at exit.
// Frontdesk sets no OnStopped of its own, which would bring the race back.
// If Fyne's lifecycle stops offering these methods, nothing is taken and
// TestFyneStopHookIsTaken fails, to say so.
func takeFyneStopHook(a fyne.App) (runAfterLoop func()) {
	lc, ok := a.Lifecycle().(interface {
		OnStopped() func()
		SetOnStoppedHookExecuted(func())
	})
	if !ok {
		return func() {}
	}
	hook := lc.OnStopped()
	lc.SetOnStoppedHookExecuted(nil)
	if hook == nil {
		return func() {}
	}
	return hook
}

// raiseOnRequest shows the window and asks for the input focus each time a
// request arrives, until ctx ends, then calls raised (the next caller: a new
// search). The window manager decides whether a minimised window comes back:
// GLFW asks it to activate the window.
func raiseOnRequest(ctx context.Context, requests <-chan struct{}, w fyne.Window, raised func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-requests:
			fyne.Do(func() {
				raiseWindow(w)
				raised()
			})
		}
	}
}

// raiseWindow shows w and asks for the focus. A request that arrives as the
// console shuts down can run after GLFW has ended (fyne.Do then runs it at
// once, off the finished event loop): there is no window left to raise, and
// GLFW's NotInitialized panic stops here. Every other panic goes on.
func raiseWindow(w fyne.Window) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && isGLFWNotInitialized(e) {
				return
			}
			panic(r)
		}
	}()
	w.Show()
	w.RequestFocus()
}
