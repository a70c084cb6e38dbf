package calendar

import (
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
	msg := fmt.Sprintf("unreadable answer (HTTP %d)", e.Status)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
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
