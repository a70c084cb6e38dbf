package ui

import (
	"context"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Applier shows a snapshot; the console and the main window are both one.
type Applier interface{ Apply(calendar.Snapshot) }

// Bridge is the one path from background work to widgets: it reads snapshots
// and applies each on the Fyne goroutine with fyne.Do, timed (see
// uiThreadMeter: a slow apply is logged). It returns when ctx ends or the
// channel closes.
func Bridge(ctx context.Context, snapshots <-chan calendar.Snapshot, c Applier) {
	for {
		select {
		case <-ctx.Done():
			return
		case s, ok := <-snapshots:
			if !ok {
				return
			}
			uiThread.onUI("apply snapshot", len(s.People), func() { c.Apply(s) })
		}
	}
}
