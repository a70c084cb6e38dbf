package ui

import (
	"image"
	"image/color"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/frontdesk-app/frontdesk/calendar"
)

func TestInitials(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Ada Lovelace", "AL"},
		{"Nils Fontaine", "NF"},
		{"Jean-Luc de la Tour", "JT"},
		{"Lovelace, Ada", "AL"},
		{"Cher", "C"},
		{"  ", "?"},
		{"", "?"},
		{"élodie Çelik", "ÉÇ"},
		{"\u202Eevil \u202Dname", "EN"},
		{"123 456", "?"},
		{"Maria (Sales) Rossi", "MR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := initials(tt.name); got != tt.want {
				t.Fatalf("initials(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// White initials read on every colour (WCAG AA, 4.5:1), and every circle
// stands out from the light theme's background; on the dark one the white
// letters carry it (each colour is lighter than the background).
func TestInitialsColoursContrast(t *testing.T) {
	th := &consoleTheme{}
	light := th.Color(theme.ColorNameBackground, theme.VariantLight)
	dark := th.Color(theme.ColorNameBackground, theme.VariantDark)
	for _, c := range initialsColours {
		if r := contrast(color.White, c); r < 4.5 {
			t.Errorf("white on %v: contrast %.2f, want at least 4.5", c, r)
		}
		if r := contrast(light, c); r < 3 {
			t.Errorf("%v on the light background: contrast %.2f, want at least 3", c, r)
		}
		if relativeLuminance(c) <= relativeLuminance(dark) {
			t.Errorf("%v is darker than the dark background", c)
		}
	}
}

// The colour follows the name, the same on every start and every desk.
func TestInitialsColourIsStable(t *testing.T) {
	if initialsColour("Nils Fontaine") != initialsColour(" nils fontaine ") {
		t.Fatal("the same name in another case has another colour")
	}
	if got, want := initialsColour("Ada Lovelace"), initialsColours[6]; got != want {
		t.Fatalf("Ada Lovelace's colour %v, want %v (FNV-1a of the name): it must not change between releases", got, want)
	}
	seen := map[color.NRGBA]bool{}
	for _, n := range []string{"Ada Lovelace", "Nils Fontaine", "Maria Rossi", "Ben Holm", "Tara Holm", "Olga Castillo", "Yuki Tanaka", "Omar Haddad"} {
		seen[initialsColour(n)] = true
	}
	if len(seen) < 4 {
		t.Fatalf("eight names share %d colours", len(seen))
	}
}

// fakePhotoSource records what the console asks for; photos holds who has one.
type fakePhotoSource struct {
	mu      sync.Mutex
	photos  map[string]image.Image
	wanted  map[string]bool
	first   []string
	changed func(string)
}

func newFakePhotoSource() *fakePhotoSource {
	return &fakePhotoSource{photos: map[string]image.Image{}, wanted: map[string]bool{}}
}

func (f *fakePhotoSource) Lookup(key string) (image.Image, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	img, ok := f.photos[key]
	return img, ok
}

func (f *fakePhotoSource) Want(p calendar.Person, first bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wanted[p.Key()] = true
	if first {
		f.first = append(f.first, p.Key())
	}
}

func (f *fakePhotoSource) Unwant(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.wanted, key)
}

func (f *fakePhotoSource) SetChanged(fn func(string)) { f.changed = fn }

func (f *fakePhotoSource) wants() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]bool{}
	for k := range f.wanted {
		out[k] = true
	}
	return out
}

func newPhotoConsole(t *testing.T, photos PhotoSource) (*Console, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	c := NewConsole(Options{Demo: true, Now: func() time.Time { return now }, Photos: photos})
	t.Cleanup(c.search.stopIdle)
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(900, 600))
	return c, w
}

func solidPhoto(c color.Color) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 48, 48))
	for y := range 48 {
		for x := range 48 {
			img.Set(x, y, c)
		}
	}
	return img
}

// Only the rows on screen and the selected colleague ask for a photo; a
// photo that arrives later is drawn in its row and in the details.
func TestPhotosOnlyForRowsOnScreen(t *testing.T) {
	photos := newFakePhotoSource()
	c, _ := newPhotoConsole(t, photos)
	snap := demoSnapshot(t)
	c.Apply(snap)
	onScreen := 0
	for _, r := range c.rows {
		if r.Visible() && r.key != "" {
			onScreen++
		}
	}
	wanted := photos.wants()
	if len(wanted) == 0 || len(wanted) > len(c.rows) || len(wanted) >= len(snap.People)/2 {
		t.Fatalf("%d photos asked for with %d rows made and %d colleagues: want only the rows on screen", len(wanted), len(c.rows), len(snap.People))
	}
	last := snap.People[c.visible[len(c.visible)-1]].Person.Key()
	if wanted[last] {
		t.Fatalf("the last colleague of %d, off screen, was asked for", len(c.visible))
	}

	// Selecting the last one asks for them first.
	c.choose(len(c.visible)-1, false)
	if len(photos.first) == 0 || photos.first[len(photos.first)-1] != last {
		t.Fatalf("selected %s; asked first: %v", last, photos.first)
	}

	// Their photo arrives off the Fyne goroutine.
	photos.mu.Lock()
	photos.photos[last] = solidPhoto(color.NRGBA{R: 200, A: 255})
	photos.mu.Unlock()
	done := make(chan struct{})
	go func() { photos.changed(last); close(done) }()
	<-done
	waitFor(t, func() bool { return c.detail.avatar.hasPhoto })
	for _, r := range c.rows {
		if r.key == last && !r.avatar.hasPhoto {
			t.Fatal("the row of the colleague whose photo arrived still shows initials")
		}
	}
}

// A row with a photo and rows with initials, and the details' larger picture.
func TestPhotosAndInitialsGolden(t *testing.T) {
	photos := newFakePhotoSource()
	snap := demoSnapshot(t)
	first := snap.People[0].Person.Key()
	photos.photos[first] = solidPhoto(color.NRGBA{R: 30, G: 120, B: 200, A: 255})
	c, w := newPhotoConsole(t, photos)
	c.Apply(snap)
	c.chosen = first
	c.filter(false)
	test.AssertRendersToMarkup(t, "console_photos.xml", w.Canvas())
}

// photos = false: no picture, no request.
func TestNoPhotoSourceNoAvatar(t *testing.T) {
	c, _ := newPhotoConsole(t, nil)
	c.Apply(demoSnapshot(t))
	for _, r := range c.rows {
		if r.avatar.Visible() {
			t.Fatal("a row shows an avatar with photos off")
		}
	}
}
