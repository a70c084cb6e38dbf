package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fullTextLabel truncates with an ellipsis and shows its whole text while the
// pointer rests on it, so a narrow window loses no words.
type fullTextLabel struct {
	widget.Label
	tips *tipLayer
}

func newFullTextLabel(tips *tipLayer, style fyne.TextStyle) *fullTextLabel {
	l := &fullTextLabel{tips: tips}
	l.TextStyle = style
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// textCut reports whether a label width wide shows less than its text.
func textCut(text string, style fyne.TextStyle, width float32) bool {
	return fyne.MeasureText(text, theme.TextSize(), style).Width+2*theme.InnerPadding() > width
}

// truncated reports whether the label shows less than its text.
func (l *fullTextLabel) truncated() bool { return textCut(l.Text, l.TextStyle, l.Size().Width) }

func (l *fullTextLabel) MouseIn(ev *desktop.MouseEvent) {
	if l.tips == nil || l.Text == "" || !l.truncated() {
		return
	}
	l.tips.show(l.Text, ev.AbsolutePosition)
}

func (l *fullTextLabel) MouseMoved(*desktop.MouseEvent) {}

func (l *fullTextLabel) MouseOut() {
	if l.tips != nil {
		l.tips.hide()
	}
}

// tipLayer draws the full text of a truncated label over the console. It is
// part of the console's own content, not a pop-up: Fyne sends every click to
// the topmost overlay while one is shown, so a pop-up tip ate the click on the
// row under it (issue 21: half of each row ignored the mouse). Nothing in the
// layer takes clicks or hover, so they reach the row beneath.
type tipLayer struct {
	root *fyne.Container
	box  *fyne.Container
	bg   *canvas.Rectangle
	text *widget.Label
}

func newTipLayer() *tipLayer {
	t := &tipLayer{bg: canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground)), text: widget.NewLabel("")}
	t.bg.StrokeWidth = 1
	t.bg.CornerRadius = theme.InputRadiusSize()
	t.text.Wrapping = fyne.TextWrapWord
	t.box = container.NewStack(t.bg, t.text)
	t.box.Hide()
	t.root = container.New(freeLayout{}, t.box)
	return t
}

// show puts text next to the pointer at abs (an absolute position), inside
// the layer, above the pointer when there is no room below it.
func (t *tipLayer) show(text string, abs fyne.Position) {
	area := t.root.Size()
	if area.IsZero() {
		return
	}
	origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(t.root)
	at := abs.Subtract(origin)
	t.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	t.bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	t.text.SetText(text)
	width := min(fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding()+1, area.Width)
	t.text.Resize(fyne.NewSize(width, t.text.MinSize().Height))
	size := fyne.NewSize(width, t.text.MinSize().Height)
	x := min(max(at.X+12, 0), area.Width-size.Width)
	y := at.Y + 18
	if y+size.Height > area.Height {
		y = max(at.Y-size.Height-4, 0)
	}
	t.box.Move(fyne.NewPos(x, y))
	t.box.Resize(size)
	t.box.Show()
	t.root.Refresh()
}

func (t *tipLayer) hide() {
	if t.box.Visible() {
		t.box.Hide()
		t.root.Refresh()
	}
}

// freeLayout leaves its objects where they were put and asks for no room.
type freeLayout struct{}

func (freeLayout) Layout([]fyne.CanvasObject, fyne.Size) {}
func (freeLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }
