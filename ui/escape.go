package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne gives every key to the focused control and nothing to its window: a
// check box, a choice or a button that took the focus (a click on it does)
// kept Esc to itself, and a dialog or Settings stayed open (issue 21). The
// controls below pass Esc on to their window's own key handler, which closes
// whatever dialog has the keyboard there; every other key is theirs.

// passEscape hands Esc typed into obj to the key handler of obj's window,
// and reports whether it did.
func passEscape(obj fyne.CanvasObject, ev *fyne.KeyEvent) bool {
	if ev.Name != fyne.KeyEscape {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(obj)
	if c == nil || c.OnTypedKey() == nil {
		return false
	}
	c.OnTypedKey()(ev)
	return true
}

// keyCheck is a check box that passes Esc on.
type keyCheck struct{ widget.Check }

func newKeyCheck(label string, changed func(bool)) *keyCheck {
	c := &keyCheck{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *keyCheck) TypedKey(ev *fyne.KeyEvent) {
	if !passEscape(c, ev) {
		c.Check.TypedKey(ev)
	}
}

// keySelect is a drop-down choice that passes Esc on.
type keySelect struct{ widget.Select }

func newKeySelect(options []string, changed func(string)) *keySelect {
	s := &keySelect{}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	if !passEscape(s, ev) {
		s.Select.TypedKey(ev)
	}
}

// keyEntry is a text box that passes Esc on.
type keyEntry struct{ widget.Entry }

func newKeyEntry() *keyEntry {
	e := &keyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if !passEscape(e, ev) {
		e.Entry.TypedKey(ev)
	}
}

// keyButton is a button that passes Esc on.
type keyButton struct{ widget.Button }

func newKeyButton(label string, tapped func()) *keyButton {
	b := &keyButton{}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	if !passEscape(b, ev) {
		b.Button.TypedKey(ev)
	}
}

// keyRadio is a radio group whose choices pass Esc on. Fyne's own group
// gives the focus to choices of an unexported type, which no wrapper can
// reach, so this one draws its choices itself, as Fyne does.
type keyRadio struct {
	widget.RadioGroup
}

func newKeyRadio(options []string, changed func(string)) *keyRadio {
	r := &keyRadio{}
	r.Options, r.OnChanged = options, changed
	r.ExtendBaseWidget(r)
	return r
}

func (r *keyRadio) CreateRenderer() fyne.WidgetRenderer {
	rr := &keyRadioRenderer{radio: r}
	rr.update()
	return rr
}

func (r *keyRadio) MinSize() fyne.Size { return r.BaseWidget.MinSize() }

// tapped is a choice clicked or given Space: picks it, or with Required
// unset, clears a choice picked already.
func (r *keyRadio) tapped(option string) {
	if r.Disabled() {
		return
	}
	if r.Selected == option {
		if !r.Required {
			r.SetSelected("")
		}
		return
	}
	r.SetSelected(option)
}

type keyRadioRenderer struct {
	radio *keyRadio
	items []*keyRadioItem
	objs  []fyne.CanvasObject
}

func (rr *keyRadioRenderer) update() {
	r := rr.radio
	for len(rr.items) < len(r.Options) {
		rr.items = append(rr.items, newKeyRadioItem(r))
	}
	rr.items = rr.items[:len(r.Options)]
	rr.objs = rr.objs[:0]
	for i, item := range rr.items {
		item.label = r.Options[i]
		item.selected = r.Options[i] == r.Selected
		if r.Disabled() {
			item.Disable()
		} else {
			item.Enable()
		}
		item.Refresh()
		rr.objs = append(rr.objs, item)
	}
}

func (rr *keyRadioRenderer) Layout(size fyne.Size) {
	n := max(len(rr.items), 1)
	min := rr.MinSize()
	itemSize := fyne.NewSize(min.Width, min.Height/float32(n))
	if rr.radio.Horizontal {
		itemSize = fyne.NewSize(min.Width/float32(n), min.Height)
	}
	var pos fyne.Position
	for _, item := range rr.items {
		item.Resize(itemSize)
		item.Move(pos)
		if rr.radio.Horizontal {
			pos.X += itemSize.Width
		} else {
			pos.Y += itemSize.Height
		}
	}
}

func (rr *keyRadioRenderer) MinSize() fyne.Size {
	var w, h float32
	for _, item := range rr.items {
		m := item.MinSize()
		w, h = max(w, m.Width), max(h, m.Height)
	}
	if rr.radio.Horizontal {
		return fyne.NewSize(w*float32(len(rr.items)), h)
	}
	return fyne.NewSize(w, h*float32(len(rr.items)))
}

func (rr *keyRadioRenderer) Refresh() {
	rr.update()
	rr.Layout(rr.radio.Size())
	canvas.Refresh(rr.radio)
}

func (rr *keyRadioRenderer) Objects() []fyne.CanvasObject { return rr.objs }
func (rr *keyRadioRenderer) Destroy()                     {}

// keyRadioItem is one choice of a keyRadio, drawn like Fyne's.
type keyRadioItem struct {
	widget.DisableableWidget
	group    *keyRadio
	label    string
	selected bool
	focused  bool
	hovered  bool
}

func newKeyRadioItem(group *keyRadio) *keyRadioItem {
	i := &keyRadioItem{group: group}
	i.ExtendBaseWidget(i)
	return i
}

func (i *keyRadioItem) Tapped(*fyne.PointEvent) {
	if !i.focused && !fyne.CurrentDevice().IsMobile() {
		if c := fyne.CurrentApp().Driver().CanvasForObject(i); c != nil {
			c.Focus(i)
		}
	}
	i.group.tapped(i.label)
}

func (i *keyRadioItem) FocusGained() { i.focused = true; i.Refresh() }
func (i *keyRadioItem) FocusLost()   { i.focused = false; i.Refresh() }
func (i *keyRadioItem) TypedRune(r rune) {
	if r == ' ' {
		i.group.tapped(i.label)
	}
}
func (i *keyRadioItem) TypedKey(ev *fyne.KeyEvent) { passEscape(i, ev) }

func (i *keyRadioItem) MouseIn(*desktop.MouseEvent) {
	if !i.Disabled() {
		i.hovered = true
		i.Refresh()
	}
}
func (i *keyRadioItem) MouseMoved(*desktop.MouseEvent) {}
func (i *keyRadioItem) MouseOut() {
	i.hovered = false
	i.Refresh()
}

func (i *keyRadioItem) CreateRenderer() fyne.WidgetRenderer {
	r := &keyRadioItemRenderer{item: i, label: canvas.NewText("", color.Black)}
	r.focus = canvas.NewCircle(color.Transparent)
	r.icon, r.over = canvas.NewImageFromResource(nil), canvas.NewImageFromResource(nil)
	r.update()
	return r
}

type keyRadioItemRenderer struct {
	item       *keyRadioItem
	focus      *canvas.Circle
	icon, over *canvas.Image
	label      *canvas.Text
}

func (r *keyRadioItemRenderer) Layout(size fyne.Size) {
	th := r.item.Theme()
	inner := th.Size(theme.SizeNameInnerPadding)
	border := th.Size(theme.SizeNameInputBorder)
	iconSize := th.Size(theme.SizeNameInlineIcon)
	focusSize := fyne.NewSquareSize(iconSize + inner)
	r.focus.Resize(focusSize)
	r.focus.Move(fyne.NewPos(border, (size.Height-focusSize.Height)/2))
	r.label.Resize(size)
	r.label.Move(fyne.NewPos(focusSize.Width+th.Size(theme.SizeNamePadding), 0))
	pos := fyne.NewPos(inner/2+border, (size.Height-iconSize)/2)
	for _, img := range []*canvas.Image{r.icon, r.over} {
		img.Resize(fyne.NewSquareSize(iconSize))
		img.Move(pos)
	}
}

func (r *keyRadioItemRenderer) MinSize() fyne.Size {
	th := r.item.Theme()
	pad := th.Size(theme.SizeNameInnerPadding) * 2
	return r.label.MinSize().AddWidthHeight(pad+th.Size(theme.SizeNameInlineIcon)+th.Size(theme.SizeNamePadding), pad)
}

func (r *keyRadioItemRenderer) Refresh() {
	r.update()
	r.Layout(r.item.Size())
	canvas.Refresh(r.item)
}

func (r *keyRadioItemRenderer) update() {
	th := r.item.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.label.Text = r.item.label
	r.label.TextSize = th.Size(theme.SizeNameText)
	r.label.Color = th.Color(theme.ColorNameForeground, v)
	out := theme.NewThemedResource(th.Icon(theme.IconNameRadioButton))
	out.ColorName = theme.ColorNameInputBorder
	in := theme.NewThemedResource(th.Icon(theme.IconNameRadioButtonFill))
	in.ColorName = theme.ColorNameInputBackground
	if r.item.selected {
		in.ColorName, out.ColorName = theme.ColorNamePrimary, theme.ColorNameForeground
	}
	r.focus.FillColor = color.Transparent
	switch {
	case r.item.Disabled():
		r.label.Color = th.Color(theme.ColorNameDisabled, v)
		in.ColorName, out.ColorName = theme.ColorNameBackground, theme.ColorNameDisabled
		if r.item.selected {
			in.ColorName = theme.ColorNameDisabled
		}
	case r.item.focused:
		r.focus.FillColor = th.Color(theme.ColorNameFocus, v)
	case r.item.hovered:
		r.focus.FillColor = th.Color(theme.ColorNameHover, v)
	}
	r.icon.Resource, r.over.Resource = in, out
	r.icon.Refresh()
	r.over.Refresh()
	r.label.Refresh()
	r.focus.Refresh()
}

func (r *keyRadioItemRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.focus, r.icon, r.over, r.label}
}
func (r *keyRadioItemRenderer) Destroy() {}
