package graph

import (
	"errors"

	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
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
		message = *m
	}
	return code, message
}
