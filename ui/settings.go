package ui

import (
	"context"
	"errors"
	"image/color"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Settings are config.toml's operator-facing keys as the settings window edits
// them. Lists are one address a line.
type Settings struct {
	Provider        string // microsoft365 | ews | demo
	Tenant          string
	ClientID        string
	Cloud           string
	Presence        bool
	EWSURL          string
	EWSVersion      string
	EWSAuth         string // basic | ntlm
	EWSUser         string
	EWSCAFile       string
	RefreshInterval string // "60s"
	People          string // PeopleList | PeopleGroup | PeopleAll
	Emails          string
	Group           string
	Favourites      string
	TimeZone        string
	Photos          bool   // colleagues' photos, or their initials
	Rooms           bool   // the meeting rooms (Place.Read.All on Microsoft 365)
	FreeSoonMinutes string // "15": "Free for 10 min · then …" below this
	NotesFile       string // the desk's notes; empty: this computer's own
}

// People sources.
const (
	PeopleList  = "list"
	PeopleGroup = "group"
	PeopleAll   = "all"
)

// SettingsForm is what the window opens with: the values in force and the
// keys the admin policy locks (config keys: "refresh_interval", "ews.url").
type SettingsForm struct {
	Values Settings
	Locked map[string]bool
	// Choices for the select fields (the config loader's accepted values).
	Clouds, EWSVersions []string
}

// Lines splits a one-address-a-line field into its entries.
func Lines(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// settingsField is one editable key: its widget, its inline problem and its lock.
type settingsField struct {
	key     string
	label   string
	input   fyne.CanvasObject
	problem *widget.Label
	locked  bool
}

// settingsPanel is the settings form; settingsWindow puts it in its own window.
type settingsPanel struct {
	actions *Actions
	async   func(func())
	form    SettingsForm

	provider   *keyRadio
	textSize   *keyRadio // also follows Ctrl++ and Ctrl+- in the console
	tenant     *formEntry
	clientID   *formEntry
	cloud      *keySelect
	presence   *keyCheck
	ewsURL     *formEntry
	ewsVersion *keySelect
	ewsAuth    *keyRadio
	ewsUser    *formEntry
	ewsCAFile  *formEntry
	caBrowse   *keyButton
	interval   *formEntry
	budget     *widget.Label
	people     *keyRadio
	emails     *formEntry
	group      *formEntry
	favourites *formEntry
	timeZone   *formEntry
	photos     *keyCheck
	rooms      *keyCheck
	freeSoon   *formEntry
	notesFile  *formEntry
	notesPick  *keyButton

	providers choices
	sources   choices

	fields  map[string]*settingsField
	m365Box *fyne.Container
	ewsBox  *fyne.Container
	status  *widget.Label
	save    *keyButton
	root    fyne.CanvasObject
	// onSaved runs after a successful save (the window closes).
	onSaved func()
	// onEscape closes the form without saving (Esc, Cancel, Close).
	onEscape func()
	close    *keyButton // Close, or Cancel once something was changed
	opened   Settings   // the values the form opened with
	scroll   *container.Scroll
	// parent is where the CA file picker opens.
	parent fyne.Window
}

// choices pairs the words an operator picks with the config values they stand for.
type choices []struct{ label, value string }

func (c choices) labels() []string {
	out := make([]string, len(c))
	for i, ch := range c {
		out[i] = ch.label
	}
	return out
}

func (c choices) value(label string) string {
	for _, ch := range c {
		if ch.label == label {
			return ch.value
		}
	}
	return ""
}

func (c choices) label(value string) string {
	for _, ch := range c {
		if ch.value == value {
			return ch.label
		}
	}
	return ""
}

func providerChoices() choices {
	return choices{
		{lang.L("Microsoft 365"), "microsoft365"},
		{lang.L("Exchange on-premises"), "ews"},
		{lang.L("Demo company"), "demo"},
	}
}

func peopleChoices() choices {
	return choices{
		{lang.L("A list of addresses"), PeopleList},
		{lang.L("A group or distribution list"), PeopleGroup},
		{lang.L("The whole directory (Microsoft 365)"), PeopleAll},
	}
}

func newSettingsPanel(actions *Actions, form SettingsForm, parent fyne.Window, async func(func())) *settingsPanel {
	p := &settingsPanel{actions: actions, form: form, async: async, parent: parent, fields: map[string]*settingsField{},
		providers: providerChoices(), sources: peopleChoices()}
	v := form.Values
	changed := func() { p.validate() }

	p.provider = newKeyRadio(p.providers.labels(), func(string) { p.showProviderFields(); p.validate() })
	p.provider.Horizontal = true
	p.provider.Required = true
	p.provider.SetSelected(p.providers.label(v.Provider))

	p.tenant = p.entry(v.Tenant, "contoso.onmicrosoft.com", changed)
	p.clientID = p.entry(v.ClientID, "00000000-0000-0000-0000-000000000000", changed)
	p.cloud = newKeySelect(form.Clouds, func(string) { p.validate() })
	p.cloud.SetSelected(v.Cloud)
	p.presence = newKeyCheck(lang.L("Show presence (Available, In a call…)"), func(bool) { p.validate() })
	p.presence.SetChecked(v.Presence)

	p.ewsURL = p.entry(v.EWSURL, "https://mail.contoso.com/EWS/Exchange.asmx", changed)
	p.ewsVersion = newKeySelect(form.EWSVersions, func(string) { p.validate() })
	p.ewsVersion.SetSelected(v.EWSVersion)
	p.ewsAuth = newKeyRadio([]string{"basic", "ntlm"}, func(string) { p.validate() })
	p.ewsAuth.Horizontal = true
	p.ewsAuth.SetSelected(v.EWSAuth)
	p.ewsUser = p.entry(v.EWSUser, "CONTOSO\\reception or reception@contoso.com", changed)
	p.ewsCAFile = p.entry(v.EWSCAFile, lang.L("Only if your server uses a private certificate authority"), changed)
	p.caBrowse = newKeyButton(lang.L("Choose…"), p.chooseCAFile)

	p.interval = p.entry(v.RefreshInterval, "60s", changed)
	p.budget = widget.NewLabel("")
	p.budget.Wrapping = fyne.TextWrapWord
	p.people = newKeyRadio(p.sources.labels(), func(string) { p.validate() })
	p.people.SetSelected(p.sources.label(v.People))
	p.emails = p.multiline(v.Emails, changed)
	p.group = p.entry(v.Group, "reception-team@contoso.com", changed)
	p.favourites = p.multiline(v.Favourites, changed)
	p.timeZone = p.entry(v.TimeZone, lang.L("Empty: the computer's time zone"), changed)
	p.photos = newKeyCheck(lang.L("Show colleagues' photos (or their initials)"), func(bool) { p.validate() })
	p.photos.SetChecked(v.Photos)
	p.rooms = newKeyCheck(lang.L("List the meeting rooms"), func(bool) { p.validate() })
	p.rooms.SetChecked(v.Rooms)
	p.freeSoon = p.entry(v.FreeSoonMinutes, "15", changed)
	p.notesFile = p.entry(v.NotesFile, lang.L("Empty: this computer's own notes"), changed)
	p.notesPick = newKeyButton(lang.L("Folder…"), p.chooseNotesFolder)

	p.add("provider", lang.L("Calendars from"), p.provider)
	p.add("microsoft365.tenant", lang.L("Tenant"), p.tenant)
	p.add("microsoft365.client_id", lang.L("Application (client) ID"), p.clientID)
	p.add("microsoft365.cloud", lang.L("Cloud"), p.cloud)
	p.add("microsoft365.presence", lang.L("Presence"), p.presence)
	p.add("ews.url", lang.L("Exchange address (EWS)"), p.ewsURL)
	p.add("ews.version", lang.L("Exchange version"), p.ewsVersion)
	p.add("ews.auth", lang.L("Authentication"), p.ewsAuth)
	p.add("ews.username", lang.L("User"), p.ewsUser)
	p.add("ews.ca_file", lang.L("CA file"), container.NewBorder(nil, nil, nil, p.caBrowse, p.ewsCAFile))
	p.add("refresh_interval", lang.L("Refresh every"), container.NewVBox(p.interval, p.budget))
	p.add("people.source", lang.L("Colleagues"), p.people)
	p.add("people.emails", lang.L("Addresses (one a line)"), p.emails)
	p.add("people.group", lang.L("Group or distribution list"), p.group)
	p.add("people.favourites", lang.L("Favourites (one a line)"), p.favourites)
	p.add("time_zone", lang.L("Time zone"), p.timeZone)
	p.add("photos", lang.L("Photos"), p.photos)
	roomsHint := widget.NewLabel(lang.L("On Microsoft 365 they need an administrator's approval (Place.Read.All); turned off, no sign-in asks for it."))
	roomsHint.Wrapping = fyne.TextWrapWord
	p.add("rooms", lang.L("Meeting rooms"), container.NewVBox(p.rooms, roomsHint))
	p.add("actions.free_soon_minutes", lang.L("Free, but not for long (minutes)"), p.freeSoon)
	p.add("notes_file", lang.L("Desk notes file"), container.NewBorder(nil, nil, nil, p.notesPick, p.notesFile))
	p.add("appearance.theme", lang.L("Theme"), themeChooser())
	p.textSize = textSizeChooser()
	p.add("appearance.text_size", lang.L("Text size"), p.textSize)
	p.applyLocks()

	p.m365Box = p.section("microsoft365.tenant", "microsoft365.client_id", "microsoft365.cloud", "microsoft365.presence")
	p.ewsBox = p.section("ews.url", "ews.version", "ews.auth", "ews.username", "ews.ca_file")
	general := p.section("provider")
	polling := p.section("refresh_interval", "people.source", "people.emails", "people.group", "people.favourites", "time_zone")
	console := p.section("photos", "rooms", "actions.free_soon_minutes", "notes_file")

	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.save = newKeyButton(lang.L("Save"), p.submit)
	p.save.Importance = widget.HighImportance
	p.close = newKeyButton(lang.L("Close"), func() {
		if p.onEscape != nil {
			p.onEscape()
		}
	})
	// What an operator changes most comes first; the connection details after.
	appearance := p.section("appearance.theme", "appearance.text_size")
	form2 := container.NewVBox(general, polling, console, appearance, widget.NewSeparator(), p.m365Box, p.ewsBox)
	p.scroll = container.NewVScroll(form2)
	// The wheel scrolls the form wherever the pointer is: Fyne gives it to
	// the text box under the pointer, whose own scroller kept it.
	wheel := &wheelCatcher{to: p.scroll}
	wheel.ExtendBaseWidget(wheel)
	p.root = container.NewBorder(nil, container.NewVBox(p.status, container.NewHBox(p.save, p.close)), nil, nil,
		container.NewStack(p.scroll, wheel))
	p.showProviderFields()
	p.opened = p.Values()
	p.validate()
	return p
}

// themeChooser applies the choice at once: it is the operator's own
// preference for this computer, not a setting to save or an admin may lock.
func themeChooser() *keyRadio {
	a := fyne.CurrentApp()
	return choiceRadio(ThemeChoices(), ThemeChoiceLabel, CurrentThemeChoice(a), func(c ThemeChoice) { SetThemeChoice(a, c) })
}

// textSizeChooser applies the choice at once, like the theme.
func textSizeChooser() *keyRadio {
	a := fyne.CurrentApp()
	return choiceRadio(TextSizes(), TextSizeLabel, CurrentTextSize(a), func(s TextSize) { SetTextSize(a, s) })
}

// choiceRadio is a row of choices, current selected, that applies the one
// picked at once.
func choiceRadio[T comparable](choices []T, label func(T) string, current T, apply func(T)) *keyRadio {
	byLabel := map[string]T{}
	var labels []string
	for _, c := range choices {
		byLabel[label(c)] = c
		labels = append(labels, label(c))
	}
	chooser := newKeyRadio(labels, nil)
	chooser.Horizontal = true
	chooser.Required = true
	chooser.SetSelected(label(current))
	chooser.OnChanged = func(picked string) {
		if c, ok := byLabel[picked]; ok {
			apply(c)
		}
	}
	return chooser
}

// formEntry is a text box of the settings form: Esc there closes the form,
// as it does anywhere else in it (a focused text box gets every key first).
type formEntry struct {
	widget.Entry
	escape *func()
}

func (e *formEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && *e.escape != nil {
		(*e.escape)()
		return
	}
	e.Entry.TypedKey(ev)
}

func (p *settingsPanel) entry(text, placeholder string, changed func()) *formEntry {
	e := &formEntry{escape: &p.onEscape}
	e.ExtendBaseWidget(e)
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	e.OnChanged = func(string) { changed() }
	return e
}

func (p *settingsPanel) multiline(text string, changed func()) *formEntry {
	e := &formEntry{escape: &p.onEscape}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewMultiLineEntry
	e.ExtendBaseWidget(e)
	e.SetText(text)
	e.SetMinRowsVisible(3)
	e.OnChanged = func(string) { changed() }
	return e
}

func (p *settingsPanel) add(key, label string, input fyne.CanvasObject) {
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	problem.Hide()
	p.fields[key] = &settingsField{key: key, label: label, input: input, problem: problem}
}

// applyLocks makes every key the admin policy sets read-only, and says so.
func (p *settingsPanel) applyLocks() {
	lockedKey := func(key string) bool {
		if key == "people.source" {
			return p.form.Locked["people.emails"] || p.form.Locked["people.group"] || p.form.Locked["people.all"]
		}
		return p.form.Locked[key]
	}
	for key, f := range p.fields {
		if !lockedKey(key) {
			continue
		}
		f.locked = true
		disable(f.input)
	}
}

// disable makes an input read-only, whatever its kind.
func disable(o fyne.CanvasObject) {
	switch w := o.(type) {
	case fyne.Disableable:
		w.Disable()
	case *fyne.Container:
		for _, child := range w.Objects {
			disable(child)
		}
	}
}

// section lays out keys as label, input, then the lock note and the inline problem.
func (p *settingsPanel) section(keys ...string) *fyne.Container {
	form := container.NewVBox()
	for _, key := range keys {
		f := p.fields[key]
		label := widget.NewLabelWithStyle(f.label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		row := []fyne.CanvasObject{label, f.input}
		if f.locked {
			note := widget.NewLabel(lang.L("Set by your administrator"))
			note.Importance = widget.LowImportance
			row = append(row, note)
		}
		row = append(row, f.problem)
		form.Add(container.NewVBox(row...))
	}
	return form
}

func (p *settingsPanel) showProviderFields() {
	if p.m365Box == nil {
		return // the radio fires while the form is still being built
	}
	switch p.providers.value(p.provider.Selected) {
	case "microsoft365":
		p.m365Box.Show()
		p.ewsBox.Hide()
	case "ews":
		p.m365Box.Hide()
		p.ewsBox.Show()
	default:
		p.m365Box.Hide()
		p.ewsBox.Hide()
	}
}

// Values reads the form.
func (p *settingsPanel) Values() Settings {
	return Settings{
		Provider:        p.providers.value(p.provider.Selected),
		Tenant:          strings.TrimSpace(p.tenant.Text),
		ClientID:        strings.TrimSpace(p.clientID.Text),
		Cloud:           p.cloud.Selected,
		Presence:        p.presence.Checked,
		EWSURL:          strings.TrimSpace(p.ewsURL.Text),
		EWSVersion:      p.ewsVersion.Selected,
		EWSAuth:         p.ewsAuth.Selected,
		EWSUser:         strings.TrimSpace(p.ewsUser.Text),
		EWSCAFile:       strings.TrimSpace(p.ewsCAFile.Text),
		RefreshInterval: strings.TrimSpace(p.interval.Text),
		People:          p.sources.value(p.people.Selected),
		Emails:          p.emails.Text,
		Group:           strings.TrimSpace(p.group.Text),
		Favourites:      p.favourites.Text,
		TimeZone:        strings.TrimSpace(p.timeZone.Text),
		Photos:          p.photos.Checked,
		Rooms:           p.rooms.Checked,
		FreeSoonMinutes: strings.TrimSpace(p.freeSoon.Text),
		NotesFile:       strings.TrimSpace(p.notesFile.Text),
	}
}

// validate shows the config loader's sentence under the field it is about and
// keeps Save off while there is one; the budget line follows the interval.
func (p *settingsPanel) validate() bool {
	if p.save == nil {
		return false // still building
	}
	s := p.Values()
	if s == p.opened {
		p.close.SetText(lang.L("Close"))
	} else {
		p.close.SetText(lang.L("Cancel"))
	}
	if p.actions.Budget != nil {
		rooms := 0
		if p.actions.BudgetRooms != nil && s.Rooms {
			rooms = p.actions.BudgetRooms()
		}
		switch perHour, people := p.actions.Budget(s); {
		case perHour > 0 && rooms > 0:
			p.budget.SetText(lang.X("settings.budget.rooms", "About {{.Requests}} requests an hour (colleagues: {{.People}}, rooms: {{.Rooms}}).",
				map[string]any{"Requests": perHour, "People": people, "Rooms": rooms}))
		case perHour > 0:
			p.budget.SetText(lang.X("settings.budget", "About {{.Requests}} requests an hour (colleagues: {{.People}}).",
				map[string]any{"Requests": perHour, "People": people}))
		default:
			p.budget.SetText("")
		}
	}
	var problem *FieldProblem
	if p.actions.CheckSettings != nil {
		problem = p.actions.CheckSettings(s)
	}
	p.showProblem(problem)
	if problem != nil {
		p.save.Disable()
		return false
	}
	p.save.Enable()
	return true
}

func (p *settingsPanel) showProblem(problem *FieldProblem) {
	for _, f := range p.fields {
		f.problem.Hide()
	}
	p.status.SetText("")
	if problem == nil {
		return
	}
	if f, ok := p.fields[problem.Key]; ok {
		f.problem.SetText(problem.Problem)
		f.problem.Show()
		return
	}
	p.status.SetText(calendar.ScrubSecrets(problem.Error()))
}

func (p *settingsPanel) chooseCAFile() { chooseCAFile(p.parent, &p.ewsCAFile.Entry) }

// chooseCAFile opens the file picker for a PEM bundle and puts its path in into.
func chooseCAFile(parent fyne.Window, into *widget.Entry) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		into.SetText(r.URI().Path())
	}, parent)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pem", ".crt", ".cer"}))
	d.Show()
}

func (p *settingsPanel) chooseNotesFolder() { chooseNotesFolder(p.parent, &p.notesFile.Entry) }

// defaultNotesName is the notes file's name in a folder picked for it.
const defaultNotesName = "frontdesk-notes.json"

// chooseNotesFolder opens the folder picker and puts the notes file's path
// in that folder into into, keeping the name already typed. A folder, not a
// file: a save dialog would create (or empty) the file before Save, and the
// file of a shared folder is every desk's notes.
func chooseNotesFolder(parent fyne.Window, into *widget.Entry) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		name := defaultNotesName
		if current := strings.TrimSpace(into.Text); current != "" {
			if base := filepath.Base(current); base != "." && base != string(filepath.Separator) {
				name = base
			}
		}
		into.SetText(filepath.Join(dir.Path(), name))
	}, parent)
	d.Show()
}

// saveTimeout bounds writing the file and rebuilding the engine.
const saveTimeout = 30 * time.Second

func (p *settingsPanel) submit() {
	if !p.validate() || p.actions.SaveSettings == nil {
		return
	}
	s := p.Values()
	p.save.Disable()
	p.status.SetText(lang.L("Saving…"))
	p.async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		err := p.actions.SaveSettings(ctx, s)
		fyne.Do(func() {
			p.save.Enable()
			if err != nil {
				var fp *FieldProblem
				if errors.As(err, &fp) {
					p.showProblem(fp)
				} else {
					p.status.SetText(errorSentence(err))
				}
				return
			}
			p.status.SetText(lang.L("Saved. The new settings are in use."))
			if p.onSaved != nil {
				p.onSaved()
			}
		})
	})
}

// settingsWindow is Settings in a window of its own, so the console stays in view.
type settingsWindow struct {
	win   fyne.Window
	panel *settingsPanel
}

// showTextSizeInSettings makes an open Settings show the text size a key
// just chose, so that clicking "Normal" there is never a click on the choice
// already shown.
func (m *mainWindow) showTextSizeInSettings() {
	if m.settings != nil && m.settings.panel.textSize != nil {
		m.settings.panel.textSize.SetSelected(TextSizeLabel(CurrentTextSize(fyne.CurrentApp())))
	}
}

func (m *mainWindow) openSettings() {
	if m.actions.Settings == nil {
		return
	}
	if m.settings != nil {
		m.settings.win.RequestFocus()
		return
	}
	w := fyne.CurrentApp().NewWindow(lang.L("Frontdesk settings"))
	panel := newSettingsPanel(m.actions, m.actions.Settings(), w, m.runAsync)
	sw := &settingsWindow{win: w, panel: panel}
	panel.onSaved = func() { w.Close() }
	panel.onEscape = func() { w.Close() }
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	w.SetContent(panel.root)
	w.Resize(atTextSize(fyne.NewSize(560, 680), CurrentTextSize(fyne.CurrentApp())))
	w.SetOnClosed(func() { m.settings = nil })
	m.settings = sw
	w.Show()
}

// wheelCatcher lies over the settings form and hands every wheel turn to
// the form's scroller. It takes no clicks, hover or keys, so everything else
// reaches the fields under it.
type wheelCatcher struct {
	widget.BaseWidget
	to *container.Scroll
}

func (w *wheelCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (w *wheelCatcher) MinSize() fyne.Size { return fyne.Size{} }

func (w *wheelCatcher) Scrolled(ev *fyne.ScrollEvent) { w.to.Scrolled(ev) }
