package ui

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/go-gl/glfw/v3.4/glfw"
)

func TestFyneStopHookIsTaken(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	lc, ok := a.Lifecycle().(interface {
		OnStopped() func()
		SetOnStoppedHookExecuted(func())
	})
	if !ok {
		t.Fatalf("Fyne's lifecycle (%T) no longer offers OnStopped and SetOnStoppedHookExecuted: review takeFyneStopHook against Fyne's shutdown", a.Lifecycle())
	}
	saved := 0
	lc.SetOnStoppedHookExecuted(func() { saved++ })

	runAfterLoop := takeFyneStopHook(a)
	if f := lc.OnStopped(); f != nil {
		t.Fatal("the stop hook is still queued at exit")
	}
	runAfterLoop()
	if saved != 1 {
		t.Fatalf("the taken hook ran %d times, want 1", saved)
	}
}

func TestShowAndRunTurnsOnlyAnUninitialisedGLFWIntoErrNoDisplay(t *testing.T) {
	notInitialized := &glfw.Error{Code: glfw.ErrorCode(0x00010001), Desc: "The GLFW library is not initialized"}
	if !isGLFWNotInitialized(notInitialized) {
		t.Fatalf("%v is not recognised as NotInitialized", notInitialized)
	}
	if !isGLFWNotInitialized(fmt.Errorf("wrapped: %w", notInitialized)) {
		t.Fatal("a wrapped NotInitialized is not recognised")
	}
	for _, err := range []error{
		&glfw.Error{Code: glfw.APIUnavailable, Desc: "no GL"},
		errors.New("NotInitialized: The GLFW library is not initialized"),
	} {
		if isGLFWNotInitialized(err) {
			t.Errorf("%v taken for NotInitialized", err)
		}
	}
}

// panickingWindow is a window whose Show panics as a terminated GLFW does.
type panickingWindow struct {
	fyne.Window
	panicWith any
}

func (w panickingWindow) Show() { panic(w.panicWith) }

func TestRaisingAWindowGLFWNoLongerHasIsQuiet(t *testing.T) {
	notInitialized := &glfw.Error{Code: glfw.ErrorCode(0x00010001), Desc: "The GLFW library is not initialized"}
	raiseWindow(panickingWindow{panicWith: notInitialized}) // must not panic

	defer func() {
		if r := recover(); r != "something else" {
			t.Errorf("recovered %v, want the other panic to go on", r)
		}
	}()
	raiseWindow(panickingWindow{panicWith: "something else"})
	t.Error("the other panic was swallowed")
}

// recordingWindow tells what was asked of it.
type recordingWindow struct {
	fyne.Window
	asked chan string
}

func (w recordingWindow) Show()         { w.asked <- "show" }
func (w recordingWindow) RequestFocus() { w.asked <- "focus" }

func TestEachRaiseRequestShowsAndFocusesTheWindow(t *testing.T) {
	test.NewTempApp(t)
	w := recordingWindow{asked: make(chan string, 8)}
	requests := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { raiseOnRequest(ctx, requests, w, func() { w.asked <- "new search" }); close(done) }()
	for range 2 {
		requests <- struct{}{}
		for _, want := range []string{"show", "focus", "new search"} {
			if got := <-w.asked; got != want {
				t.Fatalf("asked %q, want %q", got, want)
			}
		}
	}
	cancel()
	<-done
}

// startingWindow runs the lifecycle's started hook, as the event loop does,
// when asked to, then panics as GLFW does.
type startingWindow struct {
	fyne.Window
	lc       fyne.Lifecycle
	loopRuns bool
}

func (w startingWindow) ShowAndRun() {
	if w.loopRuns {
		w.lc.(interface{ OnStarted() func() }).OnStarted()()
	}
	panic(&glfw.Error{Code: glfw.ErrorCode(0x00010001), Desc: "The GLFW library is not initialized"})
}

func TestOnlyAGLFWThatNeverStartedIsNoDisplay(t *testing.T) {
	lc := test.NewTempApp(t).Lifecycle()
	if err := showAndRun(startingWindow{lc: lc}, lc); !errors.Is(err, ErrNoDisplay) {
		t.Errorf("before the loop: %v, want ErrNoDisplay", err)
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("a NotInitialized panic once the loop ran was taken for no display")
		}
	}()
	_ = showAndRun(startingWindow{lc: lc, loopRuns: true}, lc)
}
