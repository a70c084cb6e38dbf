package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// settingsProblemBar stays above the console, or the welcome page, while
// Frontdesk runs on the last good settings or cannot read them at all: it
// names the file, key and line and opens Settings. Unlike the start-up notice
// it does not go away with the first good refresh, or an operator whose edit
// was refused would never learn it; it goes when settings are saved. An admin
// policy that is not trusted is said here too, and stays: saving settings
// does not make it trusted.
type settingsProblemBar struct {
	root     *fyne.Container
	settings *fyne.Container
	text     *widget.Label
}

func newSettingsProblemBar(problem, policy string, openSettings func()) *settingsProblemBar {
	b := &settingsProblemBar{root: container.NewVBox()}
	if problem != "" {
		b.text = warningLabel(problem)
		open := widget.NewButtonWithIcon(lang.L("Open Settings"), theme.SettingsIcon(), openSettings)
		b.settings = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), container.NewCenter(open), b.text)
		b.root.Add(b.settings)
	}
	if policy != "" {
		b.root.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, warningLabel(policy)))
	}
	if len(b.root.Objects) == 0 {
		b.root.Hide()
	}
	return b
}

func warningLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}

// shown reports whether the settings problem is on show.
func (b *settingsProblemBar) shown() bool { return b.settings != nil && b.settings.Visible() }

// clear takes the settings problem off: the settings were saved. Call on
// the Fyne goroutine.
func (b *settingsProblemBar) clear() {
	if b.settings == nil {
		return
	}
	b.settings.Hide()
	b.root.Remove(b.settings)
	b.settings = nil
	if len(b.root.Objects) == 0 {
		b.root.Hide()
	}
	b.root.Refresh()
}
