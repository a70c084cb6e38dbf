package calendar

import "errors"

// Why one colleague's calendar could not be read, in terms of what it means to
// the caller. The back ends' per-person errors match these with errors.Is,
// chosen by the server's code, so the console can say it in the operator's
// language without importing a back end. Their own Error text, which the log
// and status --json carry, stays the server's.
var (
	// ErrCalendarNotShared: the colleague does not let the operator see their free/busy.
	ErrCalendarNotShared = errors.New("calendar not shared with you")
	// ErrMailboxNotFound: the server has no mailbox for the colleague's address.
	ErrMailboxNotFound = errors.New("no mailbox for this address")
	// ErrNoMailAddress: the directory gives the colleague no mail address to ask about.
	ErrNoMailAddress = errors.New("no mail address in the directory")
	// ErrUnreadableAnswer: the server answered, but not in a form Frontdesk
	// could read for this colleague. *UnreadableAnswer matches it.
	ErrUnreadableAnswer = errors.New("the server sent an answer Frontdesk could not read")
)

// Is reports an unreadable answer as ErrUnreadableAnswer.
func (e *UnreadableAnswer) Is(target error) bool { return target == ErrUnreadableAnswer }

// ReasonForCode is the reason behind an availability ResponseCode, the one
// Exchange's availability service gives per mailbox, which EWS's
// GetUserAvailability and Graph's getSchedule (freeBusyError.responseCode)
// both pass on; nil for a code that says nothing the operator can tell the
// caller (ErrorFreeBusyGenerationFailed, ErrorProxyRequestNotAllowed, a
// server fault).
func ReasonForCode(code string) error {
	switch code {
	case "ErrorNoFreeBusyAccess":
		return ErrCalendarNotShared
	case "ErrorMailRecipientNotFound", "ErrorNonExistentMailbox", "ErrorInvalidSmtpAddress":
		return ErrMailboxNotFound
	}
	return nil
}

// ReasonError is a back end's own message about one colleague, kept word for
// word for the log and status --json, marked with the reason the operator reads.
type ReasonError struct {
	Text   string
	Reason error
}

func (e *ReasonError) Error() string { return e.Text }

func (e *ReasonError) Unwrap() error { return e.Reason }

// ErrNotRefreshedYet is a colleague nobody has asked the server about yet:
// the first refresh is under way, or has not reached the server. Nothing
// failed for them, so nothing about them is in the log.
var ErrNotRefreshedYet = errNotFetchedYet

// ReasonOf names the reason err gives for one colleague's calendar, for the
// log line an administrator filters on: not_shared, no_mailbox,
// no_mail_address, no_data, unreadable, not_refreshed, or other for an error
// whose reason the console cannot word; "" for nil.
func ReasonOf(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrCalendarNotShared):
		return "not_shared"
	case errors.Is(err, ErrMailboxNotFound):
		return "no_mailbox"
	case errors.Is(err, ErrNoMailAddress):
		return "no_mail_address"
	case errors.Is(err, ErrNoDataForPeriod):
		return "no_data"
	case errors.Is(err, ErrUnreadableAnswer):
		return "unreadable"
	case errors.Is(err, ErrNotRefreshedYet):
		return "not_refreshed"
	}
	return "other"
}
