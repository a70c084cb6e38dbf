// Command barewindow is the baseline for scripts/measure-idle.sh: a Fyne window
// with one label and nothing else, built with the same Fyne as Frontdesk, so the
// console's idle cost can be read as a ratio to Fyne's own.
package main

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := fyneapp.NewWithID("io.frontdesk.barewindow")
	w := a.NewWindow("Bare Fyne window")
	w.SetContent(widget.NewLabel("A bare Fyne window"))
	w.Resize(fyne.NewSize(960, 640))
	w.ShowAndRun()
}
