package ui

import (
	"math"

	"fyne.io/fyne/v2"
)

// The console's size and where the operator put the divider between the list
// and the details are kept between runs, in Fyne's preferences (never a
// secret): someone who keeps the window open all day sizes it once. The size
// is kept as it is at normal text size, so it stays the same on screen
// whatever the text size.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefSplitOffset  = "window.split"
)

var (
	defaultWindowSize = fyne.NewSize(960, 640)
	// A remembered size outside these is a broken or foreign value: the
	// default is used instead of a window too small to use or too large for
	// any screen.
	minWindowSize = fyne.NewSize(480, 320)
	maxWindowSize = fyne.NewSize(8192, 8192)
)

const (
	defaultSplitOffset = 0.5
	minSplitOffset     = 0.15
	maxSplitOffset     = 0.85
)

// windowLayout is the remembered part of the console's window.
type windowLayout struct {
	Size        fyne.Size
	SplitOffset float64
}

// restoredLayout reads the layout the last run left, or the defaults.
func restoredLayout(p fyne.Preferences) windowLayout {
	l := windowLayout{Size: defaultWindowSize, SplitOffset: defaultSplitOffset}
	w := p.FloatWithFallback(prefWindowWidth, 0)
	h := p.FloatWithFallback(prefWindowHeight, 0)
	if within(w, float64(minWindowSize.Width), float64(maxWindowSize.Width)) &&
		within(h, float64(minWindowSize.Height), float64(maxWindowSize.Height)) {
		l.Size = fyne.NewSize(float32(w), float32(h))
	}
	if o := p.FloatWithFallback(prefSplitOffset, defaultSplitOffset); within(o, minSplitOffset, maxSplitOffset) {
		l.SplitOffset = o
	}
	return l
}

// rememberLayout stores l for the next run; a size or offset out of range is
// not stored, so the last good one stays.
func rememberLayout(p fyne.Preferences, l windowLayout) {
	values := map[string]float64{}
	if within(float64(l.Size.Width), float64(minWindowSize.Width), float64(maxWindowSize.Width)) &&
		within(float64(l.Size.Height), float64(minWindowSize.Height), float64(maxWindowSize.Height)) {
		values[prefWindowWidth] = math.Round(float64(l.Size.Width))
		values[prefWindowHeight] = math.Round(float64(l.Size.Height))
	}
	if within(l.SplitOffset, minSplitOffset, maxSplitOffset) {
		values[prefSplitOffset] = math.Round(l.SplitOffset*1000) / 1000
	}
	if len(values) == 0 {
		return
	}
	// One change, so Fyne writes the file once: each Set is a save of its
	// own, and the ones within 100 ms of the first were left to a timer that
	// could fire after the event loop had ended.
	if w, ok := p.(interface{ WriteValues(func(map[string]any)) }); ok {
		w.WriteValues(func(all map[string]any) {
			for k, v := range values {
				all[k] = v
			}
		})
		return
	}
	for k, v := range values {
		p.SetFloat(k, v)
	}
}

func within(v, lo, hi float64) bool { return v >= lo && v <= hi } // false for NaN
