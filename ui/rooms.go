package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The Rooms view: the organisation's meeting rooms in the same list, details
// and day as the colleagues, one key (Ctrl+R) or a click on the tab away.
// A room is a Person with Room set; the console shows either the colleagues
// or the rooms, and remembers who was selected in each.

var shortcutRooms = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}

// viewTabs are the two tabs over the list: Colleagues, Rooms.
type viewTabs struct {
	root       *fyne.Container
	colleagues *widget.Button
	rooms      *widget.Button
}

func newViewTabs(c *Console) *viewTabs {
	t := &viewTabs{
		colleagues: widget.NewButton(lang.L("Colleagues"), func() { c.showRooms(false) }),
		rooms:      widget.NewButton(lang.L("Rooms"), func() { c.showRooms(true) }),
	}
	// Beside the count line, so the list keeps its height.
	t.root = container.NewHBox(t.colleagues, t.rooms)
	t.set(false)
	return t
}

func (t *viewTabs) set(rooms bool) {
	t.colleagues.Importance, t.rooms.Importance = widget.HighImportance, widget.LowImportance
	if rooms {
		t.colleagues.Importance, t.rooms.Importance = widget.LowImportance, widget.HighImportance
	}
	t.colleagues.Refresh()
	t.rooms.Refresh()
}

// toggleRooms is Ctrl+R: the other view.
func (c *Console) toggleRooms() { c.showRooms(!c.rooms) }

// showRooms switches between the colleagues and the rooms. The search stays
// (a typed "cedar" finds the room once in the rooms view); each view keeps
// its own selection.
func (c *Console) showRooms(rooms bool) {
	if rooms == c.rooms {
		return
	}
	c.rooms = rooms
	c.chosen, c.otherChosen = c.otherChosen, c.chosen
	c.unknownOnly = false
	c.tabs.set(rooms)
	c.detail.empty.SetText(c.emptyDetailText())
	if rooms {
		c.search.SetPlaceHolder(lang.L("Type a room, building or address"))
	} else {
		c.search.SetPlaceHolder(lang.L("Type a name, department or number"))
	}
	c.filter(false)
	c.list.ScrollToTop()
	if row := c.rowOf(c.chosen); row >= 0 {
		c.list.ScrollTo(row)
	}
}

func (c *Console) emptyDetailText() string {
	if c.rooms {
		return lang.L("Select a room to see its day")
	}
	return lang.L("Select a colleague to see their day")
}

// inView reports whether the person at idx belongs to the view on show.
func (c *Console) inView(idx int) bool { return c.snap.People[idx].Person.IsRoom() == c.rooms }

// viewTotal is how many people (or rooms) the view on show has.
func (c *Console) viewTotal() int {
	if c.rooms {
		return len(c.snap.People) - c.tally.colleagues
	}
	return c.tally.colleagues
}

// colleagueCount is the colleagues of the snapshot, rooms left out.
func (c *Console) colleagueCount() int { return c.tally.colleagues }

// updateRoomsCount is the line over the rooms list, and the note that says
// why there are none when the listing failed or found nothing.
func (c *Console) updateRoomsCount() {
	total := c.viewTotal()
	c.roomsNote.SetText(c.roomsProblem(total))
	c.roomsNote.Hidden = c.roomsNote.Text == ""
	switch {
	case c.unknownOnly:
		c.count.SetText(lang.L("Status unknown: {{.Count}} · Esc shows everyone", map[string]any{"Count": len(c.matches)}))
	case c.search.Text == "" && total == 1:
		c.count.SetText(lang.L("1 room"))
	case c.search.Text == "":
		c.count.SetText(lang.L("{{.Count}} rooms", map[string]any{"Count": total}))
	case len(c.matches) == 0:
		c.count.Importance = widget.WarningImportance
		c.count.SetText(lang.L("No room matches “{{.Query}}”", map[string]any{"Query": strings.TrimSpace(c.search.Text)}))
	default:
		c.count.SetText(lang.L("Matches: {{.Count}} of {{.Total}}", map[string]any{"Count": len(c.matches), "Total": total}))
	}
}

// roomsProblem says in words why the rooms view is empty or may be
// incomplete; "" when the rooms are listed.
func (c *Console) roomsProblem(total int) string {
	err := c.snap.RoomsErr
	switch {
	case c.snap.RoomsOff:
		return lang.L("Meeting rooms are turned off in the settings.")
	case err == nil && total > 0:
		return ""
	case err == nil && c.snap.GeneratedAt.IsZero():
		return lang.L("Loading meeting rooms…")
	case err == nil:
		return lang.L("The server lists no meeting rooms.")
	case calendar.KindOf(err) == calendar.KindPermission:
		return lang.L("Your organisation has not approved Frontdesk to list meeting rooms (Place.Read.All). Ask IT to approve it; everything else works as before.")
	}
	var ce *calendar.Error
	if errors.As(err, &ce) && ce.Kind == calendar.KindConfig && ce.Hint != "" {
		return lang.L("Meeting rooms are not available: {{.Problem}}", map[string]any{"Problem": lang.L(ce.Hint)})
	}
	return lang.L("Meeting rooms could not be listed; Frontdesk tries again later. Details are in the log.")
}

// roomFacts are what the directory tells about a room: "12 seats · London
// HQ · floor 3", each part only where known.
func roomFacts(r *calendar.Room) string {
	if r == nil {
		return ""
	}
	var seats, floor string
	switch {
	case r.Capacity == 1:
		seats = lang.L("1 seat")
	case r.Capacity > 1:
		seats = lang.L("{{.Count}} seats", map[string]any{"Count": r.Capacity})
	}
	if r.Floor != "" {
		if _, err := strconv.Atoi(r.Floor); err == nil {
			floor = lang.L("floor {{.Floor}}", map[string]any{"Floor": r.Floor})
		} else {
			floor = r.Floor // a label of its own: "2nd floor", "Mezzanine"
		}
	}
	return joinNonEmpty(" · ", seats, r.Building, floor)
}

// whoLine is the second line of a row and the role line of the details:
// a room's facts, a colleague's department and title.
func whoLine(p calendar.Person, detail bool) string {
	if p.IsRoom() {
		return roomFacts(p.Room)
	}
	if detail {
		return joinNonEmpty(" · ", p.JobTitle, p.Department, p.Office)
	}
	return joinNonEmpty(" · ", p.Department, p.JobTitle)
}
