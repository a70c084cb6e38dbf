package ui

import (
	"hash/fnv"
	"image"
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// PhotoSource hands the console colleagues' photos; calendar.PhotoCache is
// one. Lookup never waits for the disk or the network: a photo not in
// memory is asked for with Want and announced through the function
// SetChanged registered.
type PhotoSource interface {
	Lookup(key string) (image.Image, bool)
	// Want asks for p's photo; first: before every other (the selected colleague).
	Want(p calendar.Person, first bool)
	// Unwant takes back a wish: the row shows someone else now.
	Unwant(key string)
	// SetChanged registers what is called, off the Fyne goroutine, when a
	// colleague's photo arrived or went.
	SetChanged(func(key string))
}

// initialsColours are the backgrounds initials are drawn on: white text on
// each has a contrast of at least 4.5:1 (WCAG AA), and each stands out from
// both themes' backgrounds (TestInitialsColoursContrast).
var initialsColours = []color.NRGBA{
	{0xC6, 0x28, 0x28, 0xFF}, // red
	{0xAD, 0x14, 0x57, 0xFF}, // pink
	{0x6A, 0x1B, 0x9A, 0xFF}, // purple
	{0x45, 0x27, 0xA0, 0xFF}, // deep purple
	{0x28, 0x35, 0x93, 0xFF}, // indigo
	{0x15, 0x65, 0xC0, 0xFF}, // blue
	{0x02, 0x77, 0xBD, 0xFF}, // light blue
	{0x00, 0x83, 0x8F, 0xFF}, // cyan
	{0x00, 0x69, 0x5C, 0xFF}, // teal
	{0x2E, 0x7D, 0x32, 0xFF}, // green
	{0x33, 0x69, 0x1E, 0xFF}, // olive
	{0xBF, 0x36, 0x0C, 0xFF}, // burnt orange
	{0x6D, 0x4C, 0x41, 0xFF}, // brown
	{0x54, 0x6E, 0x7A, 0xFF}, // blue grey
}

// initialsColour is the background of name's initials: the same for the
// same name on every start and every desk (FNV-1a, not Go's random map seed).
func initialsColour(name string) color.NRGBA {
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(strings.TrimSpace(name))))
	return initialsColours[h.Sum32()%uint32(len(initialsColours))]
}

// initials are the first letters of a name's first and last words ("Ada
// Lovelace" AL, "Nils Fontaine" NF, "Cher" C). Only letters count, so a
// colleague's name cannot bring control or bidi characters onto the screen.
func initials(name string) string {
	var words []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '(' || r == ')' }) {
		for _, r := range w {
			if unicode.IsLetter(r) {
				words = append(words, string(unicode.ToUpper(r)))
				break
			}
		}
	}
	switch len(words) {
	case 0:
		return "?"
	case 1:
		return words[0]
	}
	if strings.Contains(name, ",") {
		// "Lovelace, Ada": the given name's letter first, as read aloud.
		return words[1] + words[0]
	}
	return words[0] + words[len(words)-1]
}

// avatar is a colleague's photo, or their initials on their colour, in a
// circle of side pixels.
type avatar struct {
	widget.BaseWidget
	side float32

	circle   *canvas.Circle
	letters  *canvas.Text
	photo    *canvas.Image
	hasPhoto bool
}

func newAvatar(side float32) *avatar {
	a := &avatar{side: side, circle: canvas.NewCircle(color.Transparent), letters: canvas.NewText("", color.White)}
	a.letters.TextStyle = fyne.TextStyle{Bold: true}
	a.letters.Alignment = fyne.TextAlignCenter
	a.letters.TextSize = side * 0.4
	a.photo = canvas.NewImageFromImage(nil)
	a.photo.FillMode = canvas.ImageFillContain
	a.photo.ScaleMode = canvas.ImageScaleSmooth
	a.photo.CornerRadius = side / 2
	a.photo.Hide()
	a.ExtendBaseWidget(a)
	return a
}

// set shows img, or name's initials when img is nil.
func (a *avatar) set(name string, img image.Image) {
	a.letters.Text = initials(name)
	a.circle.FillColor = initialsColour(name)
	a.hasPhoto = img != nil
	if a.hasPhoto {
		if a.photo.Image != img {
			a.photo.Image = img
			a.photo.Refresh()
		}
		a.photo.Show()
		a.circle.Hide()
		a.letters.Hide()
	} else {
		a.photo.Image = nil // an image for a row off screen is not kept
		a.photo.Hide()
		a.circle.Show()
		a.letters.Show()
		a.circle.Refresh()
		a.letters.Refresh()
	}
}

func (a *avatar) MinSize() fyne.Size { return fyne.NewSquareSize(a.side) }

func (a *avatar) CreateRenderer() fyne.WidgetRenderer {
	return &avatarRenderer{a: a, objects: []fyne.CanvasObject{a.circle, a.letters, a.photo}}
}

type avatarRenderer struct {
	a       *avatar
	objects []fyne.CanvasObject
}

func (r *avatarRenderer) Layout(size fyne.Size) {
	side := min(size.Width, size.Height, r.a.side)
	pos := fyne.NewPos((size.Width-side)/2, (size.Height-side)/2)
	for _, o := range []fyne.CanvasObject{r.a.circle, r.a.photo} {
		o.Move(pos)
		o.Resize(fyne.NewSquareSize(side))
	}
	r.a.photo.CornerRadius = side / 2
	r.a.letters.TextSize = side * 0.4
	th := r.a.letters.MinSize().Height
	r.a.letters.Move(fyne.NewPos(pos.X, pos.Y+(side-th)/2))
	r.a.letters.Resize(fyne.NewSize(side, th))
}

func (r *avatarRenderer) MinSize() fyne.Size           { return r.a.MinSize() }
func (r *avatarRenderer) Refresh()                     { r.Layout(r.a.Size()); canvas.Refresh(r.a) }
func (r *avatarRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *avatarRenderer) Destroy()                     {}
