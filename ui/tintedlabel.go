package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Accessible = (*tintedLabel)(nil)

// tintedLabel is a label drawn in a colour the window's theme resolves by
// name (a status's words in the status's colour: statusNamedColor). Fyne's
// label draws only its importance colours, and a container.ThemeOverride
// around one costs a font cache per row (see colorNameStatusFree). Like
// fullTextLabel, a truncated one shows its whole text while the pointer
// rests on it, when it has tips.
type tintedLabel struct {
	widget.BaseWidget
	Text       string
	TextStyle  fyne.TextStyle
	Wrapping   fyne.TextWrap
	Truncation fyne.TextTruncation
	// ColorName is the theme colour the text is drawn in; empty draws it
	// in the foreground colour.
	ColorName fyne.ThemeColorName

	tips *tipLayer
	text *widget.RichText // nil until the label is first drawn
}

func newTintedLabel(tips *tipLayer, style fyne.TextStyle) *tintedLabel {
	ensureStatusColours()
	l := &tintedLabel{tips: tips, TextStyle: style}
	l.ExtendBaseWidget(l)
	return l
}

// set shows text in style and the colour named c, redrawing once.
func (l *tintedLabel) set(text string, style fyne.TextStyle, c fyne.ThemeColorName) {
	l.Text, l.TextStyle, l.ColorName = text, style, c
	l.Refresh()
}

func (l *tintedLabel) SetText(text string) {
	l.Text = text
	l.Refresh()
}

func (l *tintedLabel) CreateRenderer() fyne.WidgetRenderer {
	l.text = widget.NewRichText(&widget.TextSegment{})
	l.sync()
	return widget.NewSimpleRenderer(l.text)
}

func (l *tintedLabel) MinSize() fyne.Size {
	l.ExtendBaseWidget(l)
	return l.BaseWidget.MinSize()
}

func (l *tintedLabel) Refresh() {
	if l.text == nil { // not drawn yet: CreateRenderer takes the fields as they are then
		return
	}
	l.sync()
	// The simple renderer's Refresh is the text's: refreshed here as well,
	// the text was laid out twice, and a truncating one is shaped afresh
	// each time (setText in list.go).
	l.BaseWidget.Refresh()
}

// sync gives the drawn text the label's fields, as widget.Label does.
func (l *tintedLabel) sync() {
	name := l.ColorName
	if name == "" {
		name = theme.ColorNameForeground
	}
	l.text.Wrapping = l.Wrapping
	l.text.Truncation = l.Truncation
	seg := l.text.Segments[0].(*widget.TextSegment)
	seg.Text = l.Text
	seg.Style = widget.RichTextStyle{
		Alignment: fyne.TextAlignLeading,
		ColorName: name,
		Inline:    true,
		TextStyle: l.TextStyle,
		SizeName:  theme.SizeNameText,
	}
}

// AccessibilityLabel is the words: a screen reader reads the status, not its colour.
func (l *tintedLabel) AccessibilityLabel() string { return l.Text }

func (l *tintedLabel) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// truncated reports whether the label shows less than its text.
func (l *tintedLabel) truncated() bool { return textCut(l.Text, l.TextStyle, l.Size().Width) }

func (l *tintedLabel) MouseIn(ev *desktop.MouseEvent) {
	if l.tips == nil || l.Text == "" || !l.truncated() {
		return
	}
	l.tips.show(l.Text, ev.AbsolutePosition)
}

func (l *tintedLabel) MouseMoved(*desktop.MouseEvent) {}

func (l *tintedLabel) MouseOut() {
	if l.tips != nil {
		l.tips.hide()
	}
}
