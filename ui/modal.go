package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// modal is a dialog of the main window that has the keyboard while it is
// open: Esc closes it, Enter takes its default, and nothing typed reaches the
// console behind it. Fyne's dialogs take the mouse but leave the keyboard
// where it was: F1 then Esc cleared the search behind the open list of keys,
// and the letters typed went into it.
type modal struct {
	d    dialog.Dialog
	keys *modalKeys
	// enter is the default action, nil: Enter closes, as Esc does.
	enter func()
	win   fyne.Window
	name  string
	// keyHook sees each key first (the template picker's Up and Down); true:
	// it handled the key.
	keyHook func(*fyne.KeyEvent) bool
}

// showModal shows content in a dialog titled title with one button, dismiss,
// at size (zero: as small as its content), and gives it the keyboard. A dialog of the same name already open is
// brought to the keyboard instead of opening a second one on top (F1 twice).
func (m *mainWindow) showModal(name, title, dismiss string, content fyne.CanvasObject, size fyne.Size, enter func()) *modal {
	if m.modal != nil && m.modal.name == name {
		m.modal.focus()
		return m.modal
	}
	md := &modal{win: m.win, enter: enter, name: name}
	md.keys = &modalKeys{md: md}
	md.keys.ExtendBaseWidget(md.keys)
	// The key catcher lies under the content: on top, as a focusable object
	// it took every click, and nothing in a dialog could be ticked or pressed.
	d := dialog.NewCustomWithoutButtons(title, container.NewStack(md.keys, content), m.win)
	// Its button passes Esc on too, once Tab or a click gave it the focus.
	d.SetButtons([]fyne.CanvasObject{newKeyButton(dismiss, func() { d.Hide() })})
	md.d = d
	md.d.SetOnClosed(func() {
		if m.modal == md {
			m.modal = nil
		}
		if c := m.shownConsole(); c != nil {
			m.win.Canvas().Focus(c.SearchEntry())
		}
	})
	m.modal = md
	if !size.IsZero() {
		md.d.Resize(size)
	}
	md.d.Show()
	md.focus()
	return md
}

func (md *modal) focus() { md.win.Canvas().Focus(md.keys) }

// close closes the dialog; the console's search gets the keyboard back.
func (md *modal) close() { md.d.Hide() }

// typedKey answers the keys of an open dialog; every other key is dropped.
func (md *modal) typedKey(ev *fyne.KeyEvent) {
	if md.keyHook != nil && md.keyHook(ev) {
		return
	}
	switch ev.Name {
	case fyne.KeyEscape:
		md.d.Hide()
	case fyne.KeyReturn, fyne.KeyEnter:
		if md.enter != nil {
			md.enter()
		}
		md.d.Hide()
	case fyne.KeyF1:
		md.focus()
	}
}

// modalKeys is the dialog's keyboard: an invisible widget that holds the
// focus while the dialog is open, so keys come here and not to the search.
type modalKeys struct {
	widget.BaseWidget
	md *modal
}

func (k *modalKeys) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (k *modalKeys) MinSize() fyne.Size            { return fyne.Size{} }
func (k *modalKeys) FocusGained()                  {}
func (k *modalKeys) FocusLost()                    {}
func (k *modalKeys) TypedRune(rune)                {}
func (k *modalKeys) TypedKey(ev *fyne.KeyEvent)    { k.md.typedKey(ev) }
func (k *modalKeys) TypedShortcut(s fyne.Shortcut) {}
