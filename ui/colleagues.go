package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// directoryTimeout bounds one search of the directory.
const directoryTimeout = 20 * time.Second

// colleaguesHint stands above a list that holds only the operator, as a
// first Connect leaves it: how to add colleagues, and the button that picks
// them from the directory (issue 21: nothing said how).
type colleaguesHint struct {
	root *fyne.Container
}

func newColleaguesHint(open func()) *colleaguesHint {
	text := widget.NewLabel(lang.L("Only your own calendar is shown. Add the colleagues callers ask for."))
	text.Wrapping = fyne.TextWrapWord
	add := widget.NewButtonWithIcon(lang.L("Add colleagues…"), theme.ContentAddIcon(), open)
	add.Importance = widget.HighImportance
	h := &colleaguesHint{root: container.NewBorder(nil, nil, nil, add, text)}
	h.root.Hide()
	return h
}

// Show follows s and reports whether the hint appeared or went.
func (h *colleaguesHint) Show(s calendar.Snapshot, can bool) bool {
	want := can && len(s.People) <= 1 && !s.Engine.Refreshing && !engineNeedsOperator(s.Engine)
	if want == h.root.Visible() {
		return false
	}
	if want {
		h.root.Show()
	} else {
		h.root.Hide()
	}
	return true
}

// colleaguePicker is the "Add colleagues" dialog: a directory search, the
// matches to tick, and Add, which saves them to the list.
type colleaguePicker struct {
	m       *mainWindow
	query   *keyEntry
	results *fyne.Container
	status  *widget.Label
	add     *keyButton
	picked  map[string]calendar.Person
	known   map[string]bool
	md      *modal
}

func (m *mainWindow) openColleaguePicker() {
	if m.actions.SearchDirectory == nil || m.actions.AddColleagues == nil {
		return
	}
	p := &colleaguePicker{m: m, picked: map[string]calendar.Person{}, known: map[string]bool{}}
	if m.console != nil && m.console.snap.People != nil {
		for _, ps := range m.console.snap.People {
			p.known[strings.ToLower(ps.Person.Email)] = true
		}
	}
	p.query = newKeyEntry()
	p.query.SetPlaceHolder(lang.L("Name or address, then Enter"))
	p.query.OnSubmitted = func(string) { p.search() }
	find := newKeyButton(lang.L("Search"), p.search)
	p.results = container.NewVBox()
	p.status = widget.NewLabel(lang.L("Search the directory by name, department or address."))
	p.status.Wrapping = fyne.TextWrapWord
	p.add = newKeyButton(lang.L("Add"), p.submit)
	p.add.Importance = widget.HighImportance
	p.add.Disable()
	content := container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, find, p.query), p.status), p.add, nil, nil,
		container.NewVScroll(p.results))
	p.md = m.showModal("colleagues", lang.L("Add colleagues"), lang.L("Close"), content, fyne.NewSize(560, 480), nil)
	m.win.Canvas().Focus(p.query)
}

func (p *colleaguePicker) search() {
	query := strings.TrimSpace(p.query.Text)
	if query == "" {
		return
	}
	p.status.SetText(lang.L("Searching…"))
	p.m.runAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), directoryTimeout)
		defer cancel()
		people, err := p.m.actions.SearchDirectory(ctx, query)
		fyne.Do(func() { p.show(query, people, err) })
	})
}

func (p *colleaguePicker) show(query string, people []calendar.Person, err error) {
	if err != nil {
		p.status.SetText(errorSentence(err))
		return
	}
	p.results.Objects = nil
	for _, person := range people {
		if person.Email == "" {
			continue
		}
		person := person
		label := joinNonEmpty(" · ", person.Name, person.Email, person.Department)
		check := newKeyCheck(label, func(on bool) {
			if on {
				p.picked[strings.ToLower(person.Email)] = person
			} else {
				delete(p.picked, strings.ToLower(person.Email))
			}
			p.updateAdd()
		})
		// Set, not SetChecked: the tick shown is no new pick.
		if p.known[strings.ToLower(person.Email)] {
			check.Checked = true
			check.Disable() // on the list already
		} else if _, ok := p.picked[strings.ToLower(person.Email)]; ok {
			check.Checked = true
		}
		p.results.Add(check)
	}
	p.results.Refresh()
	if len(p.results.Objects) == 0 {
		p.status.SetText(lang.L("Nobody in the directory matches “{{.Query}}”.", map[string]any{"Query": query}))
	} else {
		p.status.SetText(lang.L("Tick the colleagues to add, then Add."))
	}
}

func (p *colleaguePicker) updateAdd() {
	if n := len(p.picked); n > 0 {
		p.add.SetText(lang.L("Add {{.Count}}", map[string]any{"Count": n}))
		p.add.Enable()
		return
	}
	p.add.SetText(lang.L("Add"))
	p.add.Disable()
}

func (p *colleaguePicker) submit() {
	var emails []string
	for _, person := range p.picked {
		emails = append(emails, person.Email)
	}
	if len(emails) == 0 {
		return
	}
	p.add.Disable()
	p.status.SetText(lang.L("Saving…"))
	p.m.runAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		err := p.m.actions.AddColleagues(ctx, emails)
		fyne.Do(func() {
			if err != nil {
				p.status.SetText(errorSentence(err))
				p.updateAdd()
				return
			}
			p.md.d.Hide() // the list shows them as they load
		})
	})
}
