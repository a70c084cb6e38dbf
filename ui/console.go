// Package ui is everything Fyne: the console window, its widgets and the bridge
// that applies refresh snapshots to them on the Fyne goroutine.
package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Options are what the composition root hands the console.
type Options struct {
	// Demo labels every screen as demo data so nobody takes it for real colleagues.
	Demo bool
	// Notice is shown above the list until the next good refresh (a settings problem at start).
	Notice string
	// Now is the clock the console describes times against.
	Now func() time.Time
	// RefreshPerson asks the engine for an on-demand refresh of one person (F5, selection).
	RefreshPerson func(key string)
	// Describe turns an engine failure into the operator's sentence.
	Describe func(error) string
}

// Console is the main window's content.
type Console struct {
	opts    Options
	snap    calendar.Snapshot
	visible []int
	chosen  string // Person.Key of the selected colleague

	search    *widget.Entry
	list      *widget.List
	stateLine *widget.Label
	notice    *widget.Label
	detail    *detailPane
	content   fyne.CanvasObject
}

// NewConsole builds the console's widgets. Call on the Fyne goroutine.
func NewConsole(opts Options) *Console {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Describe == nil {
		opts.Describe = func(err error) string { return err.Error() }
	}
	c := &Console{opts: opts}
	c.search = widget.NewEntry()
	c.search.SetPlaceHolder("Type a name, department or number")
	c.search.OnChanged = func(string) { c.filter() }
	c.search.OnSubmitted = func(string) {
		if len(c.visible) > 0 {
			c.list.Select(0)
		}
	}
	c.list = widget.NewList(c.length, newRow, c.updateRow)
	c.list.OnSelected = c.selected
	c.stateLine = widget.NewLabel("Loading colleagues…")
	c.stateLine.Truncation = fyne.TextTruncateEllipsis
	c.notice = widget.NewLabel(opts.Notice)
	c.notice.Wrapping = fyne.TextWrapWord
	c.notice.Importance = widget.WarningImportance
	if opts.Notice == "" {
		c.notice.Hide()
	}
	c.detail = newDetailPane()

	top := container.NewVBox(c.notice, c.search)
	if opts.Demo {
		top.Objects = append([]fyne.CanvasObject{demoBanner()}, top.Objects...)
	}
	split := container.NewHSplit(c.list, c.detail.root)
	split.Offset = 0.55
	c.content = container.NewBorder(top, c.stateLine, nil, nil, split)
	return c
}

// Content is the console's root object for a window.
func (c *Console) Content() fyne.CanvasObject { return c.content }

// SearchEntry is focused when the window opens: the operator starts typing at once.
func (c *Console) SearchEntry() *widget.Entry { return c.search }

func demoBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(demoBannerColor)
	text := canvas.NewText("DEMO DATA: a fictional company, not your colleagues", theme.Color(theme.ColorNameForeground))
	text.TextStyle = fyne.TextStyle{Bold: true}
	text.Alignment = fyne.TextAlignCenter
	return container.NewStack(bg, container.NewPadded(text))
}

// Apply shows a new snapshot. Call on the Fyne goroutine (the bridge does).
func (c *Console) Apply(s calendar.Snapshot) {
	c.snap = s
	c.stateLine.SetText(c.describeState())
	if s.Engine.Reason == nil && len(s.People) > 0 {
		c.notice.Hide()
	}
	if s.Engine.Reason != nil && s.Engine.State != calendar.StateOK && s.Engine.State != calendar.StatePartial {
		c.notice.SetText(c.opts.Describe(s.Engine.Reason))
		c.notice.Show()
	}
	c.filter()
}

func (c *Console) describeState() string {
	s := c.snap
	now := c.opts.Now()
	prefix := ""
	if c.opts.Demo {
		prefix = "Demo data · "
	}
	switch s.Engine.State {
	case calendar.StateThrottled:
		if !s.Engine.Until.IsZero() {
			return prefix + "Server busy: waiting until " + calendar.ShortTime(s.Engine.Until, now)
		}
		return prefix + "Server busy: waiting"
	case calendar.StateAuthPaused:
		return prefix + "Paused: sign-in needed"
	case calendar.StateOffline:
		if !s.Engine.Since.IsZero() {
			return prefix + "Offline since " + calendar.ShortTime(s.Engine.Since, now) + ": showing last known data"
		}
		return prefix + "Offline: showing last known data"
	case calendar.StateConfigError:
		return prefix + "Settings problem: see the message above"
	}
	unknown := 0
	for _, p := range s.People {
		if p.Status == calendar.StatusUnknown {
			unknown++
		}
	}
	line := fmt.Sprintf("%s%d colleagues · updated %s", prefix, len(s.People), s.GeneratedAt.In(now.Location()).Format("15:04:05"))
	if unknown > 0 {
		line += fmt.Sprintf(" · %d unknown", unknown)
	}
	return line
}

func (c *Console) filter() {
	c.visible = Filter(c.snap.People, c.search.Text)
	c.list.UnselectAll()
	c.list.Refresh()
	for i, idx := range c.visible {
		if c.snap.People[idx].Person.Key() == c.chosen {
			c.list.Select(i)
			return
		}
	}
	if len(c.visible) > 0 && c.search.Text != "" {
		c.showDetail(c.visible[0])
		return
	}
	if c.chosen == "" {
		c.detail.clear()
	}
}

func (c *Console) length() int { return len(c.visible) }

func (c *Console) selected(id widget.ListItemID) {
	if id < 0 || id >= len(c.visible) {
		return
	}
	idx := c.visible[id]
	key := c.snap.People[idx].Person.Key()
	if key != c.chosen {
		c.chosen = key
		if c.opts.RefreshPerson != nil {
			c.opts.RefreshPerson(key)
		}
	}
	c.showDetail(idx)
}

func (c *Console) showDetail(idx int) {
	c.detail.show(c.snap.People[idx], calendar.DayOf(c.snap.At, c.snap.At.Location()), c.opts.Now().In(c.snap.At.Location()))
}

// RefreshSelected asks for a fresh look at the selected colleague (F5).
func (c *Console) RefreshSelected() {
	if c.chosen != "" && c.opts.RefreshPerson != nil {
		c.opts.RefreshPerson(c.chosen)
	}
}

// row is one colleague in the list: colour, name, department, status words.
type row struct {
	swatch *canvas.Rectangle
	name   *widget.Label
	dept   *widget.Label
	status *widget.Label
	what   *widget.Label
}

func newRow() fyne.CanvasObject {
	r := &row{
		swatch: canvas.NewRectangle(StatusColor(calendar.StatusUnknown)),
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		dept:   widget.NewLabel(""),
		status: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		what:   widget.NewLabel(""),
	}
	r.swatch.SetMinSize(fyne.NewSize(8, 8))
	r.what.Truncation = fyne.TextTruncateEllipsis
	r.dept.Truncation = fyne.TextTruncateEllipsis
	left := container.NewVBox(r.name, r.dept)
	right := container.NewVBox(r.status, r.what)
	c := container.NewBorder(nil, nil, r.swatch, nil, container.NewGridWithColumns(2, left, right))
	c.Objects = append(c.Objects, &rowRef{row: r})
	return c
}

// rowRef rides along in the row container so updateRow can find its widgets
// without type-asserting the layout tree.
type rowRef struct {
	widget.BaseWidget
	row *row
}

func (r *rowRef) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(layout.NewSpacer())
}

func rowOf(o fyne.CanvasObject) *row {
	for _, child := range o.(*fyne.Container).Objects {
		if ref, ok := child.(*rowRef); ok {
			return ref.row
		}
	}
	return nil
}

func (c *Console) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(c.visible) {
		return
	}
	p := c.snap.People[c.visible[id]]
	r := rowOf(o)
	r.swatch.FillColor = StatusColor(p.Status)
	r.swatch.Refresh()
	r.name.SetText(p.Person.Name)
	r.dept.SetText(p.Person.Department)
	r.status.SetText(calendar.Describe(p, c.opts.Now().In(c.snap.At.Location())))
	r.what.SetText(Details(p))
}

// Details is the meeting or reason behind a status, where the colleague shares it.
func Details(p calendar.PersonState) string {
	switch {
	case p.Err != nil:
		return "Calendar unavailable: " + p.Err.Error()
	case p.Current != nil && p.Current.Private:
		return "Private appointment"
	case p.Current != nil && p.Current.Subject != "":
		if p.Current.Location != "" {
			return p.Current.Subject + " · " + p.Current.Location
		}
		return p.Current.Subject
	case p.OutOfOffice.Active:
		return "Automatic reply on"
	}
	return ""
}
