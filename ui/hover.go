package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fullTextLabel truncates with an ellipsis and shows its whole text while the
// pointer rests on it, so a narrow window loses no words.
type fullTextLabel struct {
	widget.Label
	tip *widget.PopUp
}

func newFullTextLabel(style fyne.TextStyle) *fullTextLabel {
	l := &fullTextLabel{}
	l.TextStyle = style
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// truncated reports whether the label shows less than its text.
func (l *fullTextLabel) truncated() bool {
	return fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width+2*theme.InnerPadding() > l.Size().Width
}

func (l *fullTextLabel) MouseIn(ev *desktop.MouseEvent) {
	if l.Text == "" || !l.truncated() {
		return
	}
	cv := fyne.CurrentApp().Driver().CanvasForObject(l)
	if cv == nil {
		return
	}
	if l.tip == nil {
		l.tip = widget.NewPopUp(widget.NewLabel(""), cv)
	}
	l.tip.Content.(*widget.Label).SetText(l.Text)
	l.tip.ShowAtPosition(ev.AbsolutePosition.Add(fyne.NewPos(12, 18)))
}

func (l *fullTextLabel) MouseMoved(*desktop.MouseEvent) {}

func (l *fullTextLabel) MouseOut() {
	if l.tip != nil {
		l.tip.Hide()
	}
}
