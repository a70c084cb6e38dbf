package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// ShowAlreadyRunning tells, in a small window of its own, that Frontdesk is
// already running for this user and could not be brought to the front: in a
// terminal (frontdesk watch), or a console still starting. A start from the
// applications menu has no terminal for the refusal to appear in, so without
// this window the click did nothing. It returns once the operator closes the
// window, or at once with ErrNoDisplay.
func ShowAlreadyRunning(version string, icon []byte) error {
	a, savePreferences := newFyneApp(version, icon)
	w := a.NewWindow("Frontdesk")
	message := widget.NewLabel(alreadyRunningSentence())
	message.Wrapping = fyne.TextWrapWord
	ok := widget.NewButton(lang.L("OK"), w.Close)
	ok.Importance = widget.HighImportance
	w.SetContent(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), ok), nil, nil, message))
	w.Resize(atTextSize(fyne.NewSize(440, 150), CurrentTextSize(a)))
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyEscape:
			w.Close()
		}
	})
	err := showAndRun(w, a.Lifecycle())
	savePreferences()
	return err
}

func alreadyRunningSentence() string {
	return lang.L("Frontdesk is already running for this user, in a terminal (frontdesk watch) or still starting. Close it there, then open Frontdesk again.")
}
