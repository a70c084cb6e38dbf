package calendar

import (
	"errors"
	"fmt"
	"net/http"
)

// UnreadableAnswer is an answer the server did send but Frontdesk could not
// read: malformed XML or JSON, a proxy's HTML page, a server error with no
// usable body, a listing whose paging never ends. It is not a network failure
// ("cannot reach the server" would send the operator to check the cable) and
// not a settings problem. Graph and EWS both report it this way, wrapped in an
// *Error of KindTransient: the engine tries again later with back-off.
type UnreadableAnswer struct {
	// Status is the HTTP status of the answer.
	Status int
	Err    error
}

func (e *UnreadableAnswer) Error() string {
	msg := fmt.Sprintf("the server sent an answer Frontdesk could not read (HTTP %d)", e.Status)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return ScrubSecrets(msg)
}

func (e *UnreadableAnswer) Unwrap() error { return e.Err }

// OperatorMessage is the sentence the operator reads.
func (e *UnreadableAnswer) OperatorMessage() string {
	return fmt.Sprintf("The server sent an answer Frontdesk could not read (HTTP %d).", e.Status)
}

// NewUnreadableAnswer is the *Error a backend returns for an answer it could
// not read; status is the answer's HTTP status (http.StatusOK for a 200 whose
// body did not parse).
func NewUnreadableAnswer(op string, status int, err error) *Error {
	if status == 0 {
		status = http.StatusOK
	}
	return &Error{Kind: KindTransient, Op: op, Err: &UnreadableAnswer{Status: status, Err: err}}
}

// UnknownBatch turns an unreadable answer to a request that succeeded (a 2xx
// whose body did not parse) into one unknown Availability per person, carrying
// the reason: that batch's data is unknown, the source is not unreachable, and
// the rest of the refresh goes on. ok is false for every other error, which
// stays the whole call's.
func UnknownBatch(people []Person, window Window, err error) (avail []Availability, ok bool) {
	var ua *UnreadableAnswer
	if !errors.As(err, &ua) || ua.Status < 200 || ua.Status > 299 {
		return nil, false
	}
	avail = make([]Availability, len(people))
	for i, p := range people {
		avail[i] = Availability{Person: p, Window: window, Err: ua}
	}
	return avail, true
}
