package ui

import (
	"net/url"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// limitationsBar sits above the console while the source has switched a part
// of its answers off (Teams presence not approved, no automatic replies from
// Exchange): without it those parts would simply look empty, and a colleague
// away with an empty calendar would look free. It says so in words, with the
// admin-consent link where there is one.
type limitationsBar struct {
	root  *fyne.Container
	shown []calendar.Limitation
}

func newLimitationsBar() *limitationsBar {
	b := &limitationsBar{root: container.NewVBox()}
	b.root.Hide()
	return b
}

// limitationSentence is what the operator reads about one limitation.
func limitationSentence(l calendar.Limitation) string {
	switch l.Kind {
	case calendar.LimitPresenceNotApproved:
		return lang.L("Teams presence is off: your organisation has not approved it.")
	case calendar.LimitMailTipsUnsupported:
		return lang.L("Automatic replies are not shown: this Exchange server does not offer them.")
	case calendar.LimitMailTipsRefused:
		return lang.L("Automatic replies are not shown: Exchange refused them to this account. Ask your Exchange administrator.")
	case calendar.LimitDirectoryIncomplete:
		return lang.L("Some colleagues may be missing: the directory sent entries Frontdesk could not read ({{.Count}}). Details are in the log.",
			map[string]any{"Count": l.Count})
	}
	return ""
}

// Show reflects the limitations of a snapshot; it reports whether the bar
// changed, so the window lays its top out again. Call on the Fyne goroutine.
func (b *limitationsBar) Show(limits []calendar.Limitation) bool {
	if slices.EqualFunc(limits, b.shown, func(x, y calendar.Limitation) bool { return x.Kind == y.Kind && x.URL == y.URL && x.Count == y.Count }) {
		return false
	}
	b.shown = slices.Clone(limits)
	b.root.Objects = b.root.Objects[:0]
	for _, l := range limits {
		sentence := limitationSentence(l)
		if sentence == "" {
			continue
		}
		text := widget.NewLabel(sentence)
		text.Wrapping = fyne.TextWrapWord
		text.Importance = widget.WarningImportance
		row := []fyne.CanvasObject{text}
		if u, err := url.Parse(l.URL); err == nil && l.URL != "" {
			link := l.URL
			row = append(row, container.NewHBox(
				widget.NewHyperlink(lang.L("Link for your IT administrator"), u),
				widget.NewButtonWithIcon(lang.L("Copy the link"), theme.ContentCopyIcon(), func() {
					fyne.CurrentApp().Clipboard().SetContent(link)
				})))
		}
		b.root.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), nil, container.NewVBox(row...)))
	}
	if len(b.root.Objects) == 0 {
		b.root.Hide()
	} else {
		b.root.Show()
	}
	b.root.Refresh()
	return true
}
