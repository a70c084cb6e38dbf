package ui

import (
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// savedDirectoryLine marks the status line while the colleagues listed are
// the saved copy of the directory (at start, until the listing is in; or
// when the listing failed): the copy is never passed off as live.
func savedDirectoryLine(s calendar.Snapshot, now time.Time, line string) string {
	saved := s.Engine.DirectorySaved
	if saved.IsZero() {
		return line
	}
	data := map[string]any{"Time": shortTime(saved, now), "Line": line}
	if s.Engine.Refreshing && (s.Engine.State == calendar.StateOK || s.Engine.State == calendar.StatePartial) {
		return lang.L("Saved list of colleagues ({{.Time}}) · being refreshed", data)
	}
	return lang.L("{{.Line}} · saved list of colleagues ({{.Time}})", data)
}
