package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Banner sits above the console while the engine cannot poll. It says why in the
// operator's words and carries the one action that fixes it; a wait the engine
// sits out by itself shows when it ends instead of a button.
type Banner struct {
	root    *fyne.Container
	icon    *widget.Icon
	message *widget.Label
	wait    *widget.Label
	action  *widget.Button

	remedy   Remedy
	describe func(error) string
	classify func(error) Remedy
	onAction func(Remedy)
	now      func() time.Time
}

func newBanner(describe func(error) string, classify func(error) Remedy, now func() time.Time, onAction func(Remedy)) *Banner {
	b := &Banner{describe: describe, classify: classify, now: now, onAction: onAction}
	b.icon = widget.NewIcon(theme.WarningIcon())
	b.message = widget.NewLabel("")
	b.message.Wrapping = fyne.TextWrapWord
	b.message.Importance = widget.WarningImportance
	b.wait = widget.NewLabel("")
	b.action = widget.NewButton("", func() {
		if b.onAction != nil {
			b.onAction(b.remedy)
		}
	})
	b.action.Importance = widget.HighImportance
	b.root = container.NewBorder(nil, nil, b.icon, container.NewVBox(b.action), container.NewVBox(b.message, b.wait))
	b.root.Hide()
	return b
}

// remedyLabel is the button that fixes each pause.
func remedyLabel(r Remedy) string {
	switch r {
	case RemedySignIn:
		return lang.L("Sign in again")
	case RemedyFirstSignIn:
		return lang.L("Sign in")
	case RemedyPassword:
		return lang.L("Enter the password")
	case RemedyUnlockKeyring:
		return lang.L("Unlock the keyring and retry")
	case RemedyRetry:
		return lang.L("Retry now")
	case RemedySettings:
		return lang.L("Open Settings")
	}
	return ""
}

// Show reflects the engine state of a snapshot. Call on the Fyne goroutine.
func (b *Banner) Show(s calendar.EngineState) {
	switch {
	case engineNeedsOperator(s):
		b.remedy = RemedyRetry
		if s.State == calendar.StateConfigError {
			b.remedy = RemedySettings
		}
		if b.classify != nil && s.Reason != nil {
			b.remedy = b.classify(s.Reason)
		}
		b.message.SetText(b.sentence(s.Reason, lang.L("Frontdesk stopped asking the server until you act.")))
		b.wait.Hide()
	case s.State == calendar.StateThrottled || s.State == calendar.StateOffline:
		b.remedy = RemedyWait
		fallback := lang.L("Cannot reach the server. Showing the last known data; Frontdesk keeps trying.")
		if s.State == calendar.StateThrottled {
			fallback = lang.L("The server asked Frontdesk to slow down. It will try again by itself.")
		}
		b.message.SetText(b.sentence(s.Reason, fallback))
		if s.Until.IsZero() {
			b.wait.SetText(lang.L("Frontdesk tries again by itself."))
		} else {
			b.wait.SetText(lang.X("banner.next_try", "Next try at {{.Time}}, by itself.",
				map[string]any{"Time": shortTime(s.Until, b.now())}))
		}
		b.wait.Show()
	default:
		b.remedy = RemedyWait
		b.root.Hide()
		return
	}
	if label := remedyLabel(b.remedy); label != "" {
		b.action.SetText(label)
		b.action.Show()
	} else {
		b.action.Hide()
	}
	b.root.Show()
	b.root.Refresh()
}

func (b *Banner) sentence(err error, fallback string) string {
	if err == nil || b.describe == nil {
		return fallback
	}
	return b.describe(err)
}

// Remedy is the action the banner offers now (RemedyWait when none).
func (b *Banner) Remedy() Remedy { return b.remedy }
