package ui

import (
	"errors"
	"fmt"
	"testing"

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
