package ui

import (
	"context"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// signInWait bounds waiting for the operator in the browser or on the code page
// (Microsoft's device codes expire after 15 minutes).
const signInWait = 15 * time.Minute

// signInPrompt is the Microsoft 365 sign-in: the system browser, or a code to
// type on another device, each with a Cancel while it waits.
type signInPrompt struct {
	win      fyne.Window
	actions  *Actions
	async    func(func())
	onSignIn func(SignedIn)

	dlg     *dialog.CustomDialog
	body    *fyne.Container
	cancel  context.CancelFunc
	current context.Context // the sign-in the prompt is showing; older ones are ignored
	problem string
	open    bool
}

func newSignInPrompt(win fyne.Window, actions *Actions, async func(func()), onSignIn func(SignedIn)) *signInPrompt {
	p := &signInPrompt{win: win, actions: actions, async: async, onSignIn: onSignIn}
	p.body = container.NewVBox()
	p.dlg = dialog.NewCustomWithoutButtons(lang.L("Sign in to Microsoft 365"), p.body, win)
	p.dlg.SetOnClosed(func() {
		p.open = false
		p.stop()
	})
	return p
}

// Show opens the prompt at its first step.
func (p *signInPrompt) Show() {
	p.problem = ""
	p.showChoice()
	p.dlg.Show()
	p.open = true
}

func (p *signInPrompt) stop() {
	if p.cancel != nil {
		p.cancel()
		p.cancel, p.current = nil, nil
	}
}

func (p *signInPrompt) setBody(objects ...fyne.CanvasObject) {
	p.body.Objects = objects
	p.body.Refresh()
	p.dlg.Resize(fyne.NewSize(480, p.dlg.MinSize().Height))
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (p *signInPrompt) showChoice() {
	intro := wrapped(lang.L("Sign in with your work account to see your colleagues' calendars."))
	browser := widget.NewButtonWithIcon(lang.L("Sign in with Microsoft"), theme.LoginIcon(), p.startBrowser)
	browser.Importance = widget.HighImportance
	code := widget.NewButton(lang.L("Use a code instead"), p.startCode)
	closeBtn := widget.NewButton(lang.L("Close"), func() { p.dlg.Hide() })
	objects := []fyne.CanvasObject{intro}
	if p.problem != "" {
		problem := wrapped(p.problem)
		problem.Importance = widget.DangerImportance
		objects = append(objects, problem)
	}
	objects = append(objects, browser, code, closeBtn)
	p.setBody(objects...)
}

func (p *signInPrompt) waiting(text string, extra ...fyne.CanvasObject) {
	bar := widget.NewProgressBarInfinite()
	objects := append([]fyne.CanvasObject{wrapped(text)}, extra...)
	objects = append(objects, bar, widget.NewButton(lang.L("Cancel"), func() {
		p.stop()
		p.showChoice()
	}))
	p.setBody(objects...)
}

func (p *signInPrompt) startBrowser() {
	if p.actions.SignIn == nil {
		return
	}
	ctx := p.begin()
	p.waiting(lang.L("Finish signing in in your browser. Frontdesk waits here."))
	p.async(func() {
		res, err := p.actions.SignIn(ctx)
		fyne.Do(func() { p.finished(ctx, res, err) })
	})
}

func (p *signInPrompt) startCode() {
	if p.actions.SignInWithCode == nil {
		return
	}
	ctx := p.begin()
	p.waiting(lang.L("Asking Microsoft for a code…"))
	p.async(func() {
		res, err := p.actions.SignInWithCode(ctx, func(dc DeviceCode) {
			fyne.Do(func() {
				if ctx == p.current {
					p.showCode(dc)
				}
			})
		})
		fyne.Do(func() { p.finished(ctx, res, err) })
	})
}

func (p *signInPrompt) begin() context.Context {
	p.stop()
	ctx, cancel := context.WithTimeout(context.Background(), signInWait)
	p.cancel, p.current = cancel, ctx
	return ctx
}

// showCode shows the device code with a copy button and the address to open.
func (p *signInPrompt) showCode(dc DeviceCode) {
	link, code := deviceCodeParts(dc)
	p.waiting(lang.L("On any device, open this address and enter the code:"), link, code)
}

// deviceCodeParts are the address to open (a link when it parses) and the
// code with its copy button, shown alike by the sign-in prompt and the
// welcome page.
func deviceCodeParts(dc DeviceCode) (link, code fyne.CanvasObject) {
	label := widget.NewLabelWithStyle(dc.Code, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	label.Selectable = true
	label.SizeName = theme.SizeNameSubHeadingText
	copyBtn := widget.NewButtonWithIcon(lang.L("Copy code"), theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(dc.Code)
	})
	link = widget.NewLabel(dc.URL)
	if u, err := url.Parse(dc.URL); err == nil {
		link = widget.NewHyperlink(dc.URL, u)
	}
	return link, container.NewBorder(nil, nil, nil, copyBtn, label)
}

func (p *signInPrompt) finished(ctx context.Context, res SignedIn, err error) {
	if ctx != p.current {
		return // cancelled or replaced: the prompt already moved on
	}
	p.stop()
	if err != nil {
		p.problem = errorSentence(err)
		p.showChoice()
		return
	}
	objects := []fyne.CanvasObject{wrapped(lang.X("signin.done", "Signed in as {{.Account}}.", map[string]any{"Account": res.Account}))}
	if res.PresenceNote != "" {
		objects = append(objects, wrapped(res.PresenceNote))
		if u, perr := url.Parse(res.AdminConsentURL); perr == nil && res.AdminConsentURL != "" {
			objects = append(objects, widget.NewHyperlink(lang.L("Link for your IT administrator"), u),
				widget.NewButtonWithIcon(lang.L("Copy the link"), theme.ContentCopyIcon(), func() {
					fyne.CurrentApp().Clipboard().SetContent(res.AdminConsentURL)
				}))
		}
	}
	objects = append(objects, widget.NewButton(lang.L("Close"), func() { p.dlg.Hide() }))
	p.setBody(objects...)
	if p.onSignIn != nil {
		p.onSignIn(res)
	}
}

// errorSentence is an action's failure as the operator reads it: the
// composition root's errors already carry the sentence.
func errorSentence(err error) string { return calendar.ScrubSecrets(err.Error()) }
