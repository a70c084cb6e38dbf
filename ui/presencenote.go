package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// presenceNote is the colleague's own Teams note under their presence in the
// details, with when it expires (where they work is on the presence's line:
// workLocationLine). The note is the colleague's text: it is shown through
// calendar.VisibleText, so a bidirectional override or a control character
// reads as an escape instead of reordering the line.
type presenceNote struct {
	root *fyne.Container
	note *widget.Label
}

func newPresenceNote() *presenceNote {
	n := &presenceNote{note: widget.NewLabel("")}
	n.note.Wrapping = fyne.TextWrapWord
	n.root = container.NewVBox(n.note)
	return n
}

// set shows p's note at now: a note that expired since the snapshot was made
// is not shown either.
func (n *presenceNote) set(p calendar.PersonState, now time.Time) {
	n.note.SetText(statusNoteLine(p.StatusMessage, now))
	n.root.Hidden = n.note.Text == ""
}

// statusNoteLine is "Note: Back at 15:00, call my mobile · until 15:00".
func statusNoteLine(m calendar.StatusMessage, now time.Time) string {
	if !m.ActiveAt(now) {
		return ""
	}
	line := lang.L("Note: {{.Text}}", map[string]any{"Text": calendar.VisibleText(m.Text)})
	if !m.Expires.IsZero() {
		line += " · " + lang.L("until {{.Time}}", map[string]any{"Time": shortTime(m.Expires.In(now.Location()), now)})
	}
	return line
}

// workLocationLine is where the colleague works today, in words; nothing when
// Teams does not say.
func workLocationLine(w calendar.WorkLocation) string {
	switch w {
	case calendar.WorkLocationOffice:
		return lang.L("In the office")
	case calendar.WorkLocationRemote:
		return lang.L("Working remotely")
	case calendar.WorkLocationTimeOff:
		return lang.L("Time off")
	}
	return ""
}

// presenceNoteMarks are the list row's marks, in words so that they need no
// colour to be read: "Remote" or "Time off" where that changes what the
// caller is told (the office is not marked on every row), and "Note" when
// the colleague left one; its text is in the details.
func presenceNoteMarks(p calendar.PersonState, now time.Time) string {
	where := ""
	switch p.WorkLocation {
	case calendar.WorkLocationRemote:
		where = lang.L("Remote")
	case calendar.WorkLocationTimeOff:
		where = lang.L("Time off")
	}
	note := ""
	if p.StatusMessage.ActiveAt(now) {
		note = lang.L("Note")
	}
	return joinNonEmpty(" · ", where, note)
}
