package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// loadingBar says that colleagues just added (Save with new addresses, the
// first start) are being asked for, and how far that got: "Loading 7
// colleagues… (3 of 7)" until every one has a first answer. Before, the list
// showed nothing new for half a minute and IT could not tell whether Save
// had worked (issue 21). A colleague whose first answer is still to come is
// one the engine has never fetched.
type loadingBar struct {
	root     *fyne.Container
	text     *widget.Label
	progress *widget.ProgressBar
	// total is how many were waiting when this load began; it grows when
	// more are added before it ends.
	total int
	// waiting counts who in a snapshot has no answer yet; nil: waiting.
	waiting func(calendar.Snapshot) int
}

func newLoadingBar() *loadingBar {
	b := &loadingBar{text: widget.NewLabel(""), progress: widget.NewProgressBar()}
	b.text.Truncation = fyne.TextTruncateEllipsis
	b.progress.TextFormatter = func() string { return "" } // the words carry the numbers
	b.root = container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(160, b.progress.MinSize().Height), b.progress), b.text)
	b.root.Hide()
	return b
}

// waiting is how many people in s have never been fetched.
func waiting(s calendar.Snapshot) int {
	n := 0
	for _, p := range s.People {
		if p.FetchedAt.IsZero() {
			n++
		}
	}
	return n
}

// Show follows s and reports whether the bar appeared or went: shown while
// a refresh is under way and someone has no first answer yet. While the
// engine is stopped, offline or held back the banner says why instead.
func (b *loadingBar) Show(s calendar.Snapshot) (changed bool) {
	was := b.root.Visible()
	count := b.waiting
	if count == nil {
		count = waiting
	}
	pending := count(s)
	// A cycle that ended leaves nobody unasked unless it was stopped, and
	// then the banner says why.
	working := s.Engine.Refreshing && !engineNeedsOperator(s.Engine) &&
		s.Engine.State != calendar.StateOffline && s.Engine.State != calendar.StateThrottled
	if working && len(s.People) == 0 {
		// The directory is being read (Exchange resolves each address
		// first): who they are is not known yet, only that it is under way.
		b.text.SetText(lang.L("Loading colleagues…"))
		b.progress.SetValue(0)
		b.root.Show()
		return !was
	}
	if pending == 0 || !working {
		if pending == 0 {
			b.total = 0
		}
		b.root.Hide()
		return was
	}
	b.total = max(b.total, pending)
	done := b.total - pending
	if b.total == 1 {
		b.text.SetText(lang.L("Loading 1 colleague…"))
	} else {
		b.text.SetText(lang.L("Loading {{.Count}} colleagues… ({{.Done}} of {{.Count}})", map[string]any{"Count": b.total, "Done": done}))
	}
	b.progress.SetValue(float64(done) / float64(b.total))
	b.root.Show()
	return !was
}
