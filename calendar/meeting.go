package calendar

// MeetingSeparator joins a meeting's subject and location wherever a meeting
// is shown: the console, status and watch.
const MeetingSeparator = " · "

// Meeting is the item as an operator may read it out to a caller: the subject,
// and the location after it when there is one. It is empty for a private item
// (the caller says "Private appointment" in its own words and language) and
// for one that shares no subject, since a room alone tells a caller nothing.
func (s Slot) Meeting() string {
	if s.Private || s.Subject == "" {
		return ""
	}
	if s.Location == "" {
		return s.Subject
	}
	return s.Subject + MeetingSeparator + s.Location
}
