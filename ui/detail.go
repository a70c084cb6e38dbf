package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// detailPane is what the operator reads out to the caller about one colleague.
type detailPane struct {
	root     fyne.CanvasObject
	name     *widget.Label
	dept     *widget.Label
	phone    *widget.Label
	status   *widget.Label
	what     *widget.Label
	nextFree *widget.Label
	oof      *widget.Label
	timeline *Timeline
}

func newDetailPane() *detailPane {
	d := &detailPane{
		name:     widget.NewLabelWithStyle("Select a colleague", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		dept:     widget.NewLabel(""),
		phone:    widget.NewLabel(""),
		status:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		what:     widget.NewLabel(""),
		nextFree: widget.NewLabel(""),
		oof:      widget.NewLabel(""),
		timeline: NewTimeline(),
	}
	d.what.Wrapping = fyne.TextWrapWord
	d.oof.Wrapping = fyne.TextWrapWord
	d.root = container.NewVBox(d.name, d.dept, d.phone, widget.NewSeparator(), d.status, d.what, d.nextFree, d.oof, d.timeline)
	return d
}

func (d *detailPane) clear() {
	d.name.SetText("Select a colleague")
	for _, l := range []*widget.Label{d.dept, d.phone, d.status, d.what, d.nextFree, d.oof} {
		l.SetText("")
	}
	d.timeline.Set(nil, calendar.Window{}, time.Time{})
}

func (d *detailPane) show(p calendar.PersonState, day calendar.Window, now time.Time) {
	d.name.SetText(p.Person.Name)
	d.dept.SetText(joinNonEmpty(" · ", p.Person.JobTitle, p.Person.Department))
	d.phone.SetText(p.Person.Phone)
	d.status.SetText(calendar.Describe(p, now))
	d.what.SetText(Details(p))
	switch {
	case !p.NextFree.IsZero():
		d.nextFree.SetText("Next free: " + calendar.ShortTime(p.NextFree, now))
	case p.Status == calendar.StatusFree || p.Status == calendar.StatusUnknown:
		d.nextFree.SetText("")
	default:
		d.nextFree.SetText("Next free: not in the next few days")
	}
	if p.OutOfOffice.Active && p.OutOfOffice.Message != "" {
		d.oof.SetText("Automatic reply: " + p.OutOfOffice.Message)
	} else {
		d.oof.SetText("")
	}
	d.timeline.Set(p.Slots, day, now)
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}
