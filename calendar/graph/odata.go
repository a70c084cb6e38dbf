package graph

import (
	"errors"

	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// odataDetails reads Graph's error code and message without calling
// ODataError.Error, which panics when the body carried no message.
func odataDetails(err error) (code, message string) {
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		return "", ""
	}
	main := oe.GetErrorEscaped()
	if main == nil {
		return "", ""
	}
	if c := main.GetCode(); c != nil {
		code = *c
	}
	if m := main.GetMessage(); m != nil {
		// Server text: scrubbed before any error holds it.
		message = calendar.ScrubSecrets(*m)
	}
	return code, message
}
