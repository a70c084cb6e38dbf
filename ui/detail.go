package ui

import (
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// detailPane is what the operator reads out to the caller about one colleague:
// who they are and how to reach them, what they are doing now and until when,
// when they are next free, their automatic reply and their day.
type detailPane struct {
	console *Console
	root    fyne.CanvasObject
	body    *fyne.Container
	empty   *widget.Label

	star   *widget.Button
	avatar *avatar
	bell   *widget.Button // tell me when free
	name   *detailText
	role   *widget.Label
	email  *field
	phone  *field
	mobile *field
	// actions are the ways to reach the colleague by writing: a Teams chat,
	// an email, a message taken for them.
	actions  *fyne.Container
	chat     *widget.Button
	mail     *widget.Button
	message  *widget.Button
	swatch   *canvas.Rectangle
	status   *tintedLabel // the status's words in its colour
	presence *widget.Label
	note     *presenceNote // their own Teams note and work location
	what     *widget.Label
	nextFree *widget.Label
	hours    *widget.Label // their working hours, when they share them
	oof      *widget.Label
	deskNote *noteBlock    // the desk's own note (notes.go)
	updated  *widget.Label // when this colleague's data was fetched
	stale    *widget.Label // said only when that data may have changed since

	dayTitle *widget.Label
	today    *widget.Button
	next     *widget.Button
	timeline *Timeline
	items    *fyne.Container
}

// field is one contact detail: a caption, the value as selectable text and a
// copy button; its caption and root go into a form layout, in two columns.
type field struct {
	caption *widget.Label
	root    *fyne.Container
	value   *detailText
	call    *widget.Button // phone numbers only
}

// newField is a contact detail with its copy button; a phone number
// (callable) also has a Call button that dials it through the call template.
func newField(c *Console, caption string, callable bool) *field {
	f := &field{value: newDetailText(c, fyne.TextStyle{}), caption: widget.NewLabel(caption)}
	copyBtn := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		c.copied(f.value.Text)
	})
	copyBtn.Importance = widget.LowImportance
	buttons := container.NewHBox(copyBtn)
	if callable {
		f.call = widget.NewButton(lang.L("Call"), func() { c.call(f.value.Text) })
		f.call.Importance = widget.LowImportance
		buttons.Objects = append([]fyne.CanvasObject{f.call}, buttons.Objects...)
	}
	f.caption.TextStyle = fyne.TextStyle{Italic: true}
	f.root = container.NewBorder(nil, nil, nil, buttons, f.value)
	return f
}

func (f *field) set(v string) {
	f.value.SetText(v)
	f.root.Hidden = v == ""
	f.caption.Hidden = v == ""
}

func newDetailPane(c *Console) *detailPane {
	d := &detailPane{
		console:  c,
		empty:    widget.NewLabel(lang.L("Select a colleague to see their day")),
		avatar:   newAvatar(detailAvatarSide),
		name:     newDetailText(c, fyne.TextStyle{Bold: true}),
		role:     widget.NewLabel(""),
		email:    newField(c, lang.L("Email"), false),
		phone:    newField(c, lang.L("Phone"), true),
		mobile:   newField(c, lang.L("Mobile"), true),
		swatch:   canvas.NewRectangle(StatusColor(calendar.StatusUnknown)),
		status:   newTintedLabel(nil, fyne.TextStyle{Bold: true}),
		presence: widget.NewLabel(""),
		note:     newPresenceNote(),
		what:     widget.NewLabel(""),
		nextFree: widget.NewLabel(""),
		hours:    widget.NewLabel(""),
		oof:      widget.NewLabel(""),
		updated:  widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Italic: true}),
		stale:    widget.NewLabel(""),
		dayTitle: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		timeline: NewTimeline(),
		items:    container.NewVBox(),
	}
	d.deskNote = newNoteBlock(c)
	d.empty.Wrapping = fyne.TextWrapWord
	// Title, department and office wrap rather than cut: the pane scrolls.
	d.role.Wrapping = fyne.TextWrapWord
	d.name.SizeName = theme.SizeNameSubHeadingText
	d.presence.Truncation = fyne.TextTruncateEllipsis
	d.status.Wrapping = fyne.TextWrapWord
	d.what.Wrapping = fyne.TextWrapWord
	d.nextFree.Wrapping = fyne.TextWrapWord
	d.oof.Wrapping = fyne.TextWrapWord
	d.hours.Wrapping = fyne.TextWrapWord // "Works Tue–Sat 9:00 AM–5:30 PM (…)" must not narrow the list
	d.oof.Importance = widget.WarningImportance
	d.stale.Importance = widget.WarningImportance
	d.stale.Wrapping = fyne.TextWrapWord
	d.star = widget.NewButtonWithIcon("", starOff, func() { c.toggleFavourite() })
	d.star.Importance = widget.LowImportance
	d.bell = widget.NewButtonWithIcon("", bellOff, func() { c.toggleWatch() })
	d.bell.Importance = widget.LowImportance
	d.today = widget.NewButton(lang.L("Today"), func() { c.showDay(false) })
	d.next = widget.NewButton(lang.L("Next working day"), func() { c.showDay(true) })
	d.swatch.SetMinSize(fyne.NewSize(swatchWidth, 1))
	d.chat = widget.NewButtonWithIcon(lang.L("Chat"), theme.MailComposeIcon(), c.chatSelected)
	d.mail = widget.NewButtonWithIcon(lang.L("Email"), theme.MailSendIcon(), c.emailSelected)
	d.message = widget.NewButtonWithIcon(lang.L("Take a message"), theme.DocumentCreateIcon(), c.takeMessage)
	d.actions = container.NewHBox(d.chat, d.mail, d.message, d.deskNote.add)

	header := container.NewBorder(nil, nil, d.star, d.bell, d.name)
	// The name is what the operator checks first and is never narrowed; the
	// age of the answer shares the role's line, which wraps.
	roleLine := container.NewBorder(nil, nil, nil, d.updated, d.role)
	statusLine := container.NewBorder(nil, nil, d.swatch, nil, container.NewVBox(d.status, d.presence, d.note.root))
	dayBar := container.NewBorder(nil, nil, nil, container.NewHBox(d.today, d.next), d.dayTitle)
	// What the caller is told comes first (status, now, next free, the reply),
	// then how to reach them, then the day: at the default window size the
	// timeline is on screen without scrolling.
	// Each number on a line of its own: side by side, at 960x640 every mobile
	// read "+1 555 700…" and at Larger text size only "…" (issue 21).
	contacts := container.New(layout.NewFormLayout(),
		d.phone.caption, d.phone.root,
		d.mobile.caption, d.mobile.root,
		d.email.caption, d.email.root)
	// The photo (or initials) beside who they are: a namesake is told apart at a glance.
	who := []fyne.CanvasObject{header, roleLine}
	if c.opts.Photos != nil {
		who = []fyne.CanvasObject{container.NewBorder(nil, nil, container.NewPadded(container.NewCenter(d.avatar)), nil, container.NewVBox(who...))}
	}
	d.body = container.NewVBox(append(who,
		statusLine, d.stale, d.what, d.nextFree, d.hours, d.oof,
		d.deskNote.root,
		contacts, d.actions,
		widget.NewSeparator(),
		dayBar, d.timeline, d.items,
	)...)
	d.root = container.NewVScroll(container.NewStack(d.empty, d.body))
	d.clear()
	return d
}

func (d *detailPane) clear() {
	d.body.Hide()
	d.empty.Show()
}

func (d *detailPane) show(p calendar.PersonState, day calendar.Window, now time.Time, nextDay, favourite, stale bool) {
	d.empty.Hide()
	d.body.Show()
	d.star.SetIcon(starIcon(favourite))
	d.name.SetText(p.Person.Name)
	if d.console.opts.Photos != nil {
		d.avatar.set(p.Person.Name, d.console.photoOf(*p.Person, true))
	}
	d.role.SetText(whoLine(*p.Person, true))
	d.email.set(p.Person.Email)
	d.phone.set(p.Person.Phone)
	d.mobile.set(p.Person.MobilePhone)
	// Writing needs an address and someone to read it; a desk note needs
	// neither (a room's "projector broken").
	noAddress := p.Person.Email == "" || p.Person.IsRoom()
	d.chat.Hidden, d.mail.Hidden, d.message.Hidden = noAddress, noAddress, noAddress
	d.actions.Refresh()

	d.swatch.FillColor = statusSwatch(p, now)
	d.swatch.Refresh()
	// Data that may have changed is said in words and drawn in italics, so
	// nobody reads a paused or old answer out as today's.
	d.status.set(detailStatus(p, now), fyne.TextStyle{Bold: !stale, Italic: stale}, statusTint(p, now))
	d.updated.SetText("")
	if !p.FetchedAt.IsZero() {
		// With seconds, as in the status line: F5 on a colleague visibly moves it.
		updated := clockSeconds(p.FetchedAt.In(now.Location()))
		if !calendar.SameDay(p.FetchedAt.In(now.Location()), now) {
			updated = shortTime(p.FetchedAt, now)
		}
		d.updated.SetText(lang.L("Updated {{.Time}}", map[string]any{"Time": updated}))
	}
	d.stale.SetText("")
	if stale {
		text := lang.L("Not updated since {{.Time}}: this may have changed.", map[string]any{"Time": shortTime(p.FetchedAt, now)})
		if p.StaleReason != nil {
			// The latest answer about them came but could not be read: say why
			// the older one is on show.
			text += " " + personReason(p.StaleReason)
		}
		d.stale.SetText(text)
	}
	d.stale.Hidden = d.stale.Text == ""
	if words := presenceWords(p.Presence); words != "" {
		d.presence.SetText(lang.L("Teams: {{.Presence}}", map[string]any{"Presence": words}))
	} else {
		d.presence.SetText("")
	}
	// Where they work shares the presence's line: most colleagues have one,
	// and a line of its own pushed the day below the fold.
	d.presence.SetText(joinNonEmpty(" · ", d.presence.Text, workLocationLine(p.WorkLocation)))
	d.presence.Hidden = d.presence.Text == ""
	d.note.set(p, now)
	d.what.SetText(currentItem(p))
	d.what.Hidden = d.what.Text == ""
	d.nextFree.SetText(phraseWords(calendar.NextFreePhrase(p, now)))
	d.nextFree.Hidden = d.nextFree.Text == ""
	d.hours.SetText(workingHoursLine(p, day))
	d.hours.Hidden = d.hours.Text == ""
	d.oof.SetText(outOfOfficeLine(p.OutOfOffice))
	d.oof.Hidden = d.oof.Text == ""
	d.deskNote.show(p.Person.Key())

	data := map[string]any{"Weekday": weekdayShort(day.Start.Weekday()), "Day": day.Start.Day(), "Month": monthShort(day.Start.Month())}
	if nextDay {
		d.dayTitle.SetText(lang.L("{{.Weekday}} {{.Day}} {{.Month}}", data))
		d.today.Importance, d.next.Importance = widget.MediumImportance, widget.HighImportance
	} else {
		d.dayTitle.SetText(lang.L("Today, {{.Weekday}} {{.Day}} {{.Month}}", data))
		d.today.Importance, d.next.Importance = widget.HighImportance, widget.MediumImportance
	}
	d.today.Refresh()
	d.next.Refresh()
	unknown := ""
	slots := p.DaySlots()
	if p.Err != nil && len(slots) == 0 {
		unknown = lang.L("No data: calendar unavailable")
	}
	if nextDay {
		now = time.Time{} // no now marker on another day
	}
	d.timeline.Set(slots, day, now, p.WorkingHours, unknown)
	d.items.Objects = d.items.Objects[:0]
	for _, s := range byStart(slots) {
		if s.Status == calendar.StatusFree || !s.End.After(day.Start) || !s.Start.Before(day.End) {
			continue
		}
		// The day's items wrap rather than cut: the pane scrolls as one, and
		// what a meeting is about is read out as well as its times.
		item := widget.NewLabel(timeRange(s, day) + "   " + slotLabel(s))
		item.Wrapping = fyne.TextWrapWord
		d.items.Add(item)
	}
	if len(d.items.Objects) == 0 && unknown == "" {
		d.items.Add(widget.NewLabel(lang.L("Nothing in the calendar")))
	}
	d.body.Refresh()
}

// currentItem says what the colleague is in now, where they share it, or why
// their calendar cannot be read.
func currentItem(p calendar.PersonState) string {
	switch {
	case p.Err != nil && p.Status == calendar.StatusUnknown:
		return personReason(p.Err)
	case p.Current != nil && p.Current.Private:
		return lang.L("Now: private appointment")
	case p.Current != nil && p.Current.Meeting() != "":
		return lang.L("Now: {{.Item}}", map[string]any{"Item": p.Current.Meeting()})
	}
	return ""
}

// outOfOfficeLine is the colleague's automatic reply and, when the last
// refresh could not read it (MailTips or presence failed) and an earlier
// reading stands in, the time of that reading.
func outOfOfficeLine(o calendar.OutOfOffice) string {
	if !o.Active {
		return ""
	}
	reply := ""
	if o.Message != "" {
		reply = lang.L("Automatic reply: {{.Message}}", map[string]any{"Message": o.Message})
	}
	if !o.Kept && !o.Unknown {
		return reply
	}
	asOf := lang.L("Out of office (as of {{.Time}})", map[string]any{"Time": clock(o.AsOf)})
	if o.Unknown {
		asOf = lang.L("Out of office at {{.Time}}; not known since.", map[string]any{"Time": clock(o.AsOf)})
	}
	if reply == "" {
		return asOf
	}
	return asOf + "\n" + reply
}

// personReason is why a colleague's calendar cannot be read, in words the
// operator can pass on to the caller. The server's own message is for the
// log and status --json, not for the operator; the engine logs it when the
// failure appears, so the last sentence can send IT there. Nothing is logged
// for a colleague nobody has asked about yet.
func personReason(err error) string {
	switch {
	case errors.Is(err, calendar.ErrNotRefreshedYet):
		return lang.L("Not checked yet: no answer about this calendar has come from the server.")
	case errors.Is(err, calendar.ErrCalendarNotShared):
		return lang.L("Their calendar is not shared with you.")
	case errors.Is(err, calendar.ErrMailboxNotFound):
		return lang.L("No mailbox found for this address.")
	case errors.Is(err, calendar.ErrNoMailAddress):
		return lang.L("No mail address in the directory.")
	case errors.Is(err, calendar.ErrNoDataForPeriod):
		return lang.L("No free/busy data for this time.")
	case errors.Is(err, calendar.ErrUnreadableAnswer):
		return lang.L("The server's answer could not be read; Frontdesk keeps trying.")
	case errors.Is(err, calendar.ErrOutOfOfficeUnknown):
		return lang.L("They were out of office; Frontdesk has not been able to check since.")
	}
	return lang.L("Frontdesk could not read this calendar. Details are in the log.")
}

// byStart is the slots in the order of the day, longest first where two start together.
func byStart(slots []calendar.Slot) []calendar.Slot {
	out := slices.Clone(slots)
	slices.SortStableFunc(out, func(a, b calendar.Slot) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return b.End.Compare(a.End)
	})
	return out
}
