package ui

import (
	"errors"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

const starPath = `M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z`

var (
	starOn = theme.NewColoredResource(fyne.NewStaticResource("star-on.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="`+starPath+`"/></svg>`)), theme.ColorNameWarning)
	starOff = theme.NewThemedResource(fyne.NewStaticResource("star-off.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="none" stroke="#000" stroke-width="1.6" stroke-linejoin="round" d="`+starPath+`"/></svg>`)))
)

func starIcon(on bool) fyne.Resource {
	if on {
		return starOn
	}
	return starOff
}

// row is one colleague in the list: star, colour, then name and department on
// the left and the status in words with what it is about on the right. Every
// text truncates with an ellipsis, so nothing overlaps in a narrow window.
type row struct {
	widget.BaseWidget
	key    string
	person calendar.Person

	highlight *canvas.Rectangle
	star      *widget.Button
	bell      *widget.Button // on the selected row and on watched ones
	swatch    *canvas.Rectangle
	avatar    *avatar
	name      *fullTextLabel
	dept      *fullTextLabel
	status    *tintedLabel // the status in words and its colour
	what      *fullTextLabel
	// note marks a colleague the desk has a note on: a shape, not a
	// colour, so it reads the same to every eye.
	note *widget.Icon

	layout *rowRenderer // nil until the row is first drawn
	// listed: the row is in Console.rows, having drawn a list item.
	listed bool
}

func newRow(c *Console) *row {
	r := &row{
		highlight: canvas.NewRectangle(theme.Color(theme.ColorNameSelection)),
		swatch:    canvas.NewRectangle(StatusColor(calendar.StatusUnknown)),
		avatar:    newAvatar(rowAvatarSide),
		name:      newFullTextLabel(c.tips, fyne.TextStyle{Bold: true}),
		dept:      newFullTextLabel(c.tips, fyne.TextStyle{}),
		status:    newTintedLabel(c.tips, fyne.TextStyle{Bold: true}),
		what:      newFullTextLabel(c.tips, fyne.TextStyle{}),
		note:      widget.NewIcon(noteMark),
	}
	r.note.Hide()
	r.status.Truncation = fyne.TextTruncateEllipsis
	r.status.ColorName = statusColorName(calendar.StatusUnknown)
	r.star = widget.NewButtonWithIcon("", starOff, func() { c.toggleFavouriteOf(r.key) })
	r.star.Importance = widget.LowImportance
	r.bell = widget.NewButtonWithIcon("", bellOff, func() { c.toggleWatchOf(r.key) })
	r.bell.Importance = widget.LowImportance
	r.bell.Hide()
	r.highlight.CornerRadius = 4
	r.highlight.Hide()
	if c.opts.Photos == nil {
		r.avatar.Hide() // photos = false: neither photos nor initials
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *row) update(c *Console, id widget.ListItemID) {
	if id >= len(c.visible) {
		return
	}
	p := c.snap.People[c.visible[id]]
	now := c.opts.Now().In(c.snap.At.Location())
	c.rowShows(r.key, p.Person.Key())
	r.key, r.person = p.Person.Key(), *p.Person
	if c.opts.Photos != nil {
		r.avatar.set(p.Person.Name, c.photoOf(*p.Person, r.key == c.chosen))
	}
	setIcon(r.star, starIcon(c.isFavourite(r.key)))
	r.highlight.Hidden = r.key != c.chosen
	// The bell marks a watched colleague, and offers itself on the row the
	// operator is on; on every row it would crowd the list.
	watched := c.isWatched(r.key)
	// Its icon is set once it shows: a hidden button does not redraw, so an
	// icon set while hidden showed only at the row's next redraw.
	bellWasHidden := r.bell.Hidden
	r.bell.Hidden = !watched && r.key != c.chosen
	if !r.bell.Hidden && (bellWasHidden || r.bell.Icon != bellIcon(watched)) {
		r.bell.SetIcon(bellIcon(watched))
	}
	r.highlight.FillColor = theme.Color(theme.ColorNameSelection)
	r.highlight.Refresh()
	r.swatch.FillColor = statusSwatch(*p, now)
	r.swatch.Refresh()
	setText(r.name, p.Person.Name)
	r.note.Hidden = !c.hasNote(r.key)
	setText(r.dept, whoLine(*p.Person, false))
	stale := c.snap.Stale(p, now)
	if text, style, tint := rowStatus(*p, now), (fyne.TextStyle{Bold: !stale, Italic: stale}), statusTint(*p, now); text != r.status.Text || style != r.status.TextStyle || tint != r.status.ColorName {
		r.status.set(text, style, tint)
	}
	what := joinNonEmpty(" · ", presenceNoteMarks(*p, now), details(*p), presenceWords(p.Presence))
	if stale {
		what = joinNonEmpty(" · ", lang.L("as of {{.Time}}", map[string]any{"Time": shortTime(p.FetchedAt, now)}), what)
	}
	setText(r.what, what)
	// The columns follow the status's width: a row the list reuses for
	// another colleague must not keep the last one's, which cut "Out of
	// office until Mon 30 Nov" where the previous row said "Free".
	if r.layout != nil {
		r.layout.Layout(r.Size())
	}
}

// setText and setIcon leave a label or button that already shows what it is
// given alone. A row's update runs for every row on screen at each refresh of
// the list (twice at its first showing), and Fyne lays a truncating label's
// text out afresh at each SetText, with a new HarfBuzz shaper for the
// ellipsis: 0.2-0.5 ms a label, most of the first showing's 30-40 ms on the
// UI thread. A label resized to another width still lays its text out again.
func setText(l *fullTextLabel, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

func setIcon(b *widget.Button, icon fyne.Resource) {
	if b.Icon != icon {
		b.SetIcon(icon)
	}
}

func (r *row) CreateRenderer() fyne.WidgetRenderer {
	r.layout = &rowRenderer{r: r, objects: []fyne.CanvasObject{r.highlight, r.star, r.swatch, r.avatar, r.name, r.dept, r.status, r.what, r.note, r.bell}}
	return r.layout
}

type rowRenderer struct {
	r       *row
	objects []fyne.CanvasObject
}

const swatchWidth = 6

// Layout splits the text into two columns, who on the left and the status on
// the right, each truncating: at 400 px they still never touch.
func (rr *rowRenderer) Layout(size fyne.Size) {
	r := rr.r
	pad := theme.Padding()
	r.highlight.Move(fyne.NewPos(0, 0))
	r.highlight.Resize(size)
	starSize := r.star.MinSize()
	r.star.Move(fyne.NewPos(0, (size.Height-starSize.Height)/2))
	r.star.Resize(starSize)
	x := starSize.Width
	r.swatch.Move(fyne.NewPos(x, pad))
	r.swatch.Resize(fyne.NewSize(swatchWidth, size.Height-2*pad))
	x += swatchWidth
	if r.avatar.Visible() {
		side := min(float32(rowAvatarSide), max(size.Height-2*pad, 0))
		r.avatar.Move(fyne.NewPos(x+pad, (size.Height-side)/2))
		r.avatar.Resize(fyne.NewSquareSize(side))
		x += side + pad
	}
	textWidth := max(size.Width-x, 0)
	lineH := r.name.MinSize().Height
	top := max((size.Height-2*lineH)/2, 0)
	second := top + lineH - 2*pad
	// The bell takes its room from one line only, never the status's: the
	// status is what the caller waits for.
	var bellWidth float32
	placeBell := func(line float32) {
		if r.bell.Hidden {
			return
		}
		bellSize := r.bell.MinSize()
		bellWidth = min(bellSize.Width, textWidth)
		r.bell.Move(fyne.NewPos(size.Width-bellSize.Width, max(line+(lineH-bellSize.Height)/2, 0)))
		r.bell.Resize(bellSize)
	}
	place := func(o fyne.CanvasObject, px, py, w float32) {
		o.Move(fyne.NewPos(px, py))
		o.Resize(fyne.NewSize(max(w, 0), lineH))
	}
	nameWidth := func(w float32) float32 {
		if r.note.Hidden {
			return w
		}
		// The mark sits at the end of the name's column, the name truncating before it.
		side := lineH - 2*pad
		r.note.Resize(fyne.NewSquareSize(side))
		r.note.Move(fyne.NewPos(x+w-side-pad, top+pad))
		return w - side - pad
	}
	if textWidth < narrowRow {
		// Narrow: the name over the status, each the full width; the department
		// and the meeting are in the details.
		r.dept.Hide()
		r.what.Hide()
		placeBell(top)
		place(r.name, x, top, nameWidth(textWidth-bellWidth))
		place(r.status, x, second, textWidth)
		return
	}
	r.dept.Show()
	r.what.Show()
	// The status ("Busy until 12:30") is what the caller waits for and is read
	// out: it keeps its natural width up to 75 %, and the name and department
	// truncate first (with their full text on hover).
	// Fyne's label cuts a text that measures exactly its width: a pixel more
	// keeps it whole.
	natural := fyne.MeasureText(r.status.Text, theme.TextSize(), r.status.TextStyle).Width + 2*theme.InnerPadding() + 1
	right := min(max(natural, textWidth*0.45), textWidth*0.75)
	left := textWidth - right
	place(r.name, x, top, nameWidth(left))
	place(r.dept, x, second, left)
	place(r.status, x+left, top, right)
	placeBell(second)
	place(r.what, x+left, second, right-bellWidth)
}

// narrowRow is the text width under which a row stacks name and status.
const narrowRow = 300

func (rr *rowRenderer) MinSize() fyne.Size {
	lineH := rr.r.name.MinSize().Height
	avatarWidth := float32(0)
	if rr.r.avatar.Visible() {
		avatarWidth = rowAvatarSide + theme.Padding()
	}
	return fyne.NewSize(rr.r.star.MinSize().Width+swatchWidth+avatarWidth+80, max(2*lineH-2*theme.Padding(), rr.r.star.MinSize().Height))
}

func (rr *rowRenderer) Refresh() {
	rr.Layout(rr.r.Size())
	canvas.Refresh(rr.r)
}

func (rr *rowRenderer) Objects() []fyne.CanvasObject { return rr.objects }
func (rr *rowRenderer) Destroy()                     {}

// details is the meeting or reason behind a status, where the colleague shares it.
func details(p calendar.PersonState) string {
	switch {
	case errors.Is(p.Err, calendar.ErrNotRefreshedYet):
		// Nothing failed: the first answer about them has not come yet
		// (the saved list at start, a colleague just added).
		return lang.L("Not checked yet")
	case p.Err != nil:
		return lang.L("Calendar unavailable")
	case p.Current != nil && p.Current.Private:
		return lang.L("Private appointment")
	case p.Current != nil && p.Current.Meeting() != "":
		return p.Current.Meeting()
	case p.OutOfOffice.Active:
		return lang.L("Automatic reply on")
	}
	return ""
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
