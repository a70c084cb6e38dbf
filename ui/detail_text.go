package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// detailText is a colleague's name, phone, mobile or email in the details: text
// the operator can select and copy that never takes the console's keys away.
//
// A Fyne label with Selectable set puts the keyboard focus on a hidden widget
// of its own when clicked, and that widget swallows every key, letter and
// shortcut except Copy. Fyne hands keys to the focused widget before the
// window ever sees them, so no window-level hook (SetOnTypedKey,
// SetOnTypedRune, AddShortcut, desktop.Canvas key callbacks) can win them back:
// after copying a number the operator's next name went nowhere until Esc or a
// click. Dropping selection would fix the keys but lose what operators do by
// habit (select, Ctrl+C) and copying part of a value (an extension, a first
// name). So this text does its own selection and copying and hands everything
// else to the console, as the search field and the list do: a letter starts a
// new search, which takes the focus so the rest of the name follows it, and
// the console's keys act as they do from the search field.
type detailText struct {
	widget.Label
	console *Console

	anchor, caret int // rune offsets; the selection runs between them
	dragging      bool
	focused       bool
}

func newDetailText(c *Console, style fyne.TextStyle) *detailText {
	t := &detailText{console: c}
	t.TextStyle = style
	t.Truncation = fyne.TextTruncateEllipsis
	t.ExtendBaseWidget(t)
	return t
}

// SetText shows a new value with nothing selected: a selection made in one
// colleague's number must not copy a piece of the next one's.
func (t *detailText) SetText(text string) {
	if text != t.Text {
		t.anchor, t.caret = 0, 0
	}
	t.Label.SetText(text)
}

// SelectedText is the selected part of the text, empty when nothing is.
func (t *detailText) SelectedText() string {
	from, to := t.selection()
	return string([]rune(t.Text)[from:to])
}

func (t *detailText) selection() (from, to int) {
	n := len([]rune(t.Text))
	from, to = min(t.anchor, t.caret, n), min(max(t.anchor, t.caret), n)
	return from, to
}

func (t *detailText) selectAll() {
	t.anchor, t.caret = 0, len([]rune(t.Text))
	t.Refresh()
}

// copy puts the selection on the clipboard, or the whole value when nothing
// is selected: after a click into a number, Ctrl+C means that number.
func (t *detailText) copy() {
	text := t.SelectedText()
	if text == "" {
		text = t.Text
	}
	t.console.copied(text)
}

func (t *detailText) grabFocus() {
	if cv := fyne.CurrentApp().Driver().CanvasForObject(t); cv != nil && cv.Focused() != t {
		cv.Focus(t)
	}
}

func (t *detailText) textSize() float32 {
	name := t.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	return t.Theme().Size(name)
}

// offsetX is where the rune at offset i starts, from the widget's left edge.
func (t *detailText) offsetX(i int) float32 {
	runes := []rune(t.Text)
	return t.Theme().Size(theme.SizeNameInnerPadding) +
		fyne.MeasureText(string(runes[:min(i, len(runes))]), t.textSize(), t.TextStyle).Width
}

// offsetAt is the rune boundary nearest to x.
func (t *detailText) offsetAt(x float32) int {
	runes := []rune(t.Text)
	for i := range runes {
		if x < (t.offsetX(i)+t.offsetX(i+1))/2 {
			return i
		}
	}
	return len(runes)
}

func (t *detailText) Cursor() desktop.Cursor { return desktop.TextCursor }

func (t *detailText) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	t.grabFocus()
	t.anchor = t.offsetAt(ev.Position.X)
	t.caret = t.anchor
	t.Refresh()
}

func (t *detailText) MouseUp(*desktop.MouseEvent) {}

func (t *detailText) Dragged(ev *fyne.DragEvent) {
	if !t.dragging {
		t.dragging = true
		t.grabFocus()
		t.anchor = t.offsetAt(ev.Position.X - ev.Dragged.DX)
	}
	t.caret = t.offsetAt(ev.Position.X)
	t.Refresh()
}

func (t *detailText) DragEnd() { t.dragging = false }

// DoubleTapped selects the whole value rather than a word, as Fyne would:
// "+1 555 0100" is one number to the operator, not three words.
func (t *detailText) DoubleTapped(*fyne.PointEvent) {
	t.grabFocus()
	t.selectAll()
}

func (t *detailText) TappedSecondary(ev *fyne.PointEvent) {
	cv := fyne.CurrentApp().Driver().CanvasForObject(t)
	if cv == nil {
		return
	}
	menu := fyne.NewMenu("", fyne.NewMenuItem(lang.L("Copy"), t.copy))
	widget.ShowPopUpMenuAtPosition(menu, cv, ev.AbsolutePosition)
}

func (t *detailText) FocusGained() {
	t.focused = true
	t.Refresh()
}

// FocusLost drops the selection with its highlight: a right-click Copy later
// copies what the operator sees, never a selection no longer shown.
func (t *detailText) FocusLost() {
	t.focused = false
	t.anchor, t.caret = 0, 0
	t.Refresh()
}

func (t *detailText) TypedRune(r rune) { t.console.startSearch(r) }

func (t *detailText) TypedKey(ev *fyne.KeyEvent) { t.console.typedKey(ev) }

func (t *detailText) TypedShortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutCopy:
		t.copy()
	case *fyne.ShortcutSelectAll:
		t.selectAll()
	default:
		t.console.typedShortcut(s)
	}
}

func (t *detailText) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	text := t.Label.CreateRenderer()
	r := &detailTextRenderer{t: t, text: text, highlight: canvas.NewRectangle(nil)}
	r.objects = append([]fyne.CanvasObject{r.highlight}, text.Objects()...)
	r.highlight.Hide()
	return r
}

// detailTextRenderer draws the label's text over the selection's highlight.
type detailTextRenderer struct {
	t         *detailText
	text      fyne.WidgetRenderer
	highlight *canvas.Rectangle
	objects   []fyne.CanvasObject
}

func (r *detailTextRenderer) Layout(size fyne.Size) {
	r.text.Layout(size)
	r.layoutHighlight(size)
}

func (r *detailTextRenderer) layoutHighlight(size fyne.Size) {
	from, to := r.t.selection()
	if !r.t.focused || from == to {
		r.highlight.Hide()
		return
	}
	x1, x2 := r.t.offsetX(from), min(r.t.offsetX(to), size.Width)
	h := fyne.MeasureText("M", r.t.textSize(), r.t.TextStyle).Height
	r.highlight.Move(fyne.NewPos(x1, (size.Height-h)/2))
	r.highlight.Resize(fyne.NewSize(max(x2-x1, 0), h))
	r.highlight.Show()
}

func (r *detailTextRenderer) MinSize() fyne.Size { return r.text.MinSize() }

func (r *detailTextRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *detailTextRenderer) Refresh() {
	r.text.Refresh()
	r.highlight.FillColor = r.t.Theme().Color(theme.ColorNameSelection, fyne.CurrentApp().Settings().ThemeVariant())
	r.layoutHighlight(r.t.Size())
	r.highlight.Refresh()
}

func (r *detailTextRenderer) Destroy() { r.text.Destroy() }
