package ui

import (
	"image/color"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// StatusColor pairs with the status words; the words carry the meaning, the
// colour only speeds up the glance (colour-blind operators read the words).
func StatusColor(s calendar.Status) color.Color {
	switch s {
	case calendar.StatusFree:
		return color.NRGBA{R: 0x2e, G: 0x9d, B: 0x4c, A: 0xff}
	case calendar.StatusTentative:
		return color.NRGBA{R: 0xe8, G: 0xa3, B: 0x17, A: 0xff}
	case calendar.StatusBusy:
		return color.NRGBA{R: 0xd1, G: 0x34, B: 0x38, A: 0xff}
	case calendar.StatusOOF:
		return color.NRGBA{R: 0x88, G: 0x3d, B: 0xb8, A: 0xff}
	case calendar.StatusElsewhere:
		return color.NRGBA{R: 0x1f, G: 0x6f, B: 0xc5, A: 0xff}
	}
	return color.NRGBA{R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff}
}

var demoBannerColor = color.NRGBA{R: 0xff, G: 0xb9, B: 0x00, A: 0xff}
