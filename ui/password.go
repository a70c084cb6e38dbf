package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// keyringTimeout bounds storing the password: a keyring that asks to be
// unlocked must not leave the dialog waiting for ever.
const keyringTimeout = 30 * time.Second

// passwordPrompt asks for the Exchange password. Saving checks it with one
// request and, once the server took it, stores it and resumes polling; a
// rejected one keeps the prompt open with the server's answer and nothing is
// stored. Should the resumed engine be refused all the same, the window brings
// the prompt back (checking is set until the next snapshot says how it went).
type passwordPrompt struct {
	win     fyne.Window
	actions *Actions
	async   func(func())

	dlg      *dialog.CustomDialog
	intro    *widget.Label
	problem  *widget.Label
	entry    *keyEntry
	reveal   *keyCheck
	save     *keyButton
	cancel   *keyButton
	checking bool
	open     bool
}

func newPasswordPrompt(win fyne.Window, actions *Actions, async func(func())) *passwordPrompt {
	p := &passwordPrompt{win: win, actions: actions, async: async}
	p.intro = widget.NewLabel("")
	p.intro.Wrapping = fyne.TextWrapWord
	p.problem = widget.NewLabel("")
	p.problem.Wrapping = fyne.TextWrapWord
	p.problem.Importance = widget.DangerImportance
	// A password entry draws its own eye button unless it has an action item:
	// an empty one leaves the labelled Show check as the one toggle.
	p.entry = newKeyEntry()
	p.entry.Password = true
	p.entry.ActionItem = layout.NewSpacer()
	p.entry.SetPlaceHolder(lang.L("Exchange password"))
	p.entry.OnSubmitted = func(string) { p.submit() }
	p.reveal = newKeyCheck(lang.L("Show password"), func(on bool) {
		p.entry.Password = !on
		p.entry.Refresh()
	})
	p.save = newKeyButton(lang.L("Save and retry"), p.submit)
	p.save.Importance = widget.HighImportance
	p.cancel = newKeyButton(lang.L("Cancel"), func() { p.dlg.Hide() })
	content := container.NewVBox(p.intro, p.problem, p.entry, p.reveal)
	p.dlg = dialog.NewCustomWithoutButtons(lang.L("Exchange password"), content, win)
	p.dlg.SetButtons([]fyne.CanvasObject{p.cancel, p.save})
	p.dlg.SetOnClosed(func() { p.open = false })
	return p
}

// Show opens the prompt; problem is the server's answer to the last password, or "".
func (p *passwordPrompt) Show(problem string) {
	user := ""
	if p.actions.ExchangeUser != nil {
		user = p.actions.ExchangeUser()
	}
	p.intro.SetText(lang.X("password.intro", "Type the Exchange password for {{.User}}. Frontdesk keeps it in the system keyring and checks it with one request.",
		map[string]any{"User": user}))
	p.setProblem(problem)
	p.entry.SetText("")
	p.reveal.SetChecked(false)
	p.entry.Password = true
	p.setBusy(false)
	p.dlg.Resize(fyne.NewSize(460, p.dlg.MinSize().Height))
	p.dlg.Show()
	p.open = true
	p.win.Canvas().Focus(p.entry)
}

func (p *passwordPrompt) setProblem(text string) {
	p.problem.SetText(text)
	if text == "" {
		p.problem.Hide()
	} else {
		p.problem.Show()
	}
}

func (p *passwordPrompt) setBusy(busy bool) {
	if busy {
		p.save.SetText(lang.L("Checking…"))
		p.save.Disable()
		p.entry.Disable()
		return
	}
	p.save.SetText(lang.L("Save and retry"))
	p.save.Enable()
	p.entry.Enable()
}

func (p *passwordPrompt) submit() {
	password := p.entry.Text
	if password == "" {
		p.setProblem(lang.L("Type the password first."))
		return
	}
	if p.actions.StorePassword == nil {
		return
	}
	p.setBusy(true)
	p.async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
		defer cancel()
		err := p.actions.StorePassword(ctx, password)
		fyne.Do(func() {
			p.setBusy(false)
			if err != nil {
				// Checked before it is stored: a rejection keeps the
				// prompt open with the server's answer.
				problem, ok := rejectedInPrompt(err)
				if !ok {
					problem = calendar.ScrubSecrets(err.Error())
				}
				p.setProblem(problem)
				// Disabling the entry while checking took the focus away.
				p.entry.SetText("")
				p.win.Canvas().Focus(p.entry)
				return
			}
			p.entry.SetText("")
			p.checking = true
			p.dlg.Hide()
		})
	})
}

// Open reports whether the prompt is on screen.
func (p *passwordPrompt) Open() bool { return p.open }
