package ui

import (
	"image"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Sizes of a colleague's picture: a row's, and the details' (the 48x48 source).
const (
	rowAvatarSide    = 28
	detailAvatarSide = 48
)

// watchPhotos has the console redraw a colleague's picture when it arrives.
func (c *Console) watchPhotos() {
	if c.opts.Photos == nil {
		return
	}
	c.opts.Photos.SetChanged(func(key string) {
		fyne.Do(func() { c.photoChanged(key) })
	})
}

// photoOf is p's photo when it is in memory; otherwise it is asked for (the
// rows on screen and the selected colleague ask, nobody else) and nil: the
// initials stand in until it arrives.
func (c *Console) photoOf(p calendar.Person, selected bool) image.Image {
	if c.opts.Photos == nil {
		return nil
	}
	key := p.Key()
	if img, ok := c.opts.Photos.Lookup(key); ok {
		return img
	}
	c.opts.Photos.Want(p, selected)
	return nil
}

// rowShows tells the photo source a row moved from one colleague to another.
func (c *Console) rowShows(old, key string) {
	if c.opts.Photos != nil && old != "" && !strings.EqualFold(old, key) && !strings.EqualFold(old, c.chosen) {
		c.opts.Photos.Unwant(old)
	}
}

// photoChanged redraws the pictures of the colleague with key: the rows
// showing them and the details.
func (c *Console) photoChanged(key string) {
	for _, r := range c.rows {
		if strings.EqualFold(r.key, key) {
			r.avatar.set(r.person.Name, c.photoOf(r.person, false))
		}
	}
	if p, ok := c.Selected(); ok && strings.EqualFold(p.Person.Key(), key) {
		c.detail.avatar.set(p.Person.Name, c.photoOf(*p.Person, true))
	}
}

var _ PhotoSource = (*calendar.PhotoCache)(nil)
