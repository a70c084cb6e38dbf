package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
)

func (c *Console) isFavourite(key string) bool { return c.favSet[strings.ToLower(key)] }

func (c *Console) addFavourite(key string) {
	k := strings.ToLower(strings.TrimSpace(key))
	if k == "" || c.favSet[k] {
		return
	}
	c.favSet[k] = true
	c.favourites = append(c.favourites, k)
}

// Favourites are the starred person keys, lower case, in the order starred.
func (c *Console) Favourites() []string { return slices.Clone(c.favourites) }

// toggleFavourite stars or unstars the selected colleague (Ctrl+D).
func (c *Console) toggleFavourite() { c.toggleFavouriteOf(c.chosen) }

// toggleFavouriteOf stars or unstars one colleague: pinned on top at once, and
// kept for the next start through Options.SaveFavourites, queued in click
// order; the console waits for the outcome off the Fyne goroutine.
func (c *Console) toggleFavouriteOf(key string) {
	k := strings.ToLower(key)
	if k == "" {
		return
	}
	if c.favSet[k] {
		delete(c.favSet, k)
		c.favourites = slices.DeleteFunc(c.favourites, func(f string) bool { return f == k })
	} else {
		c.addFavourite(k)
	}
	c.filter(false)
	if row := c.rowOf(c.chosen); row >= 0 && strings.EqualFold(c.chosen, key) {
		c.list.ScrollTo(row) // the starred colleague moved to the top: follow them
	}
	if save := c.opts.SaveFavourites; save != nil {
		outcome := save(c.Favourites())
		go func() {
			if err := <-outcome; err != nil {
				fyne.Do(func() {
					c.notice.SetText(lang.L("Favourites could not be saved ({{.Reason}}). They stay until Frontdesk closes.", map[string]any{"Reason": err.Error()}))
					c.notice.Show()
				})
			}
		}()
	}
}

func (c *Console) setListRing(on bool) {
	if on {
		c.listRing.StrokeColor = theme.Color(theme.ColorNameFocus)
	} else {
		c.listRing.StrokeColor = nil
	}
	c.listRing.Refresh()
}
