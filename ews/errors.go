package ews

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Hints are what the operator reads; the log gets the codes.
const (
	hintAuth       = "Exchange rejected the user name or password. Check them in Settings; Frontdesk will not try again until you do, so the account is not locked."
	hintPermission = "Exchange refused access to this information. Ask your Exchange administrator."
	hintThrottled  = "Exchange asked Frontdesk to slow down; it will try again when the server says."
	// TLS failures, each with the fix that can work: only an unknown
	// authority is fixed by a CA file.
	hintTLSUntrusted = "The Exchange server's certificate comes from an authority this computer does not trust. Set ews.ca_file (CA file in Settings) to your organisation's CA bundle."
	hintTLSExpired   = "The Exchange server's certificate has expired or is not valid yet. Check this computer's date and time; otherwise ask the Exchange administrator to renew the certificate."
	hintTLSWrongName = "The Exchange server's certificate is for another name than the one in ews.url. Put the name on the certificate in ews.url (Exchange address in Settings), or ask the Exchange administrator."
	hintTLSNotTLS    = "The server at ews.url does not answer in https (it answered in plain http). Check the address in ews.url (Exchange address in Settings)."
	hintTLSInvalid   = "The Exchange server's certificate is not valid. Ask the Exchange administrator; details are in the log."
	hintVersion      = "The Exchange server does not accept this ews.version. Choose the version of your server in Settings."
)

// tlsHints are Exchange's words for each TLS problem.
var tlsHints = calendar.TLSHints{Untrusted: hintTLSUntrusted, Expired: hintTLSExpired, WrongName: hintTLSWrongName, NotTLS: hintTLSNotTLS, Invalid: hintTLSInvalid}

// throttlingCodes are the EWS codes that mean "back off", wherever they appear.
var throttlingCodes = map[string]bool{
	"ErrorServerBusy":              true,
	"ErrorExceededConnectionCount": true,
	"ErrorTooManyObjectsOpened":    true,
}

// classify turns the outcome of one HTTP exchange into nil (a 200 to parse)
// or a *calendar.Error whose Kind tells the refresh engine what to do. It is
// the one place that decides: the client itself never retries.
func classify(ctx context.Context, op string, resp *http.Response, body []byte, err error) error {
	if err != nil {
		return classifyTransportError(ctx, op, err)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		return nil
	case code == http.StatusUnauthorized:
		// Never retried: with Basic every attempt is a failed logon on the
		// Active Directory account.
		return &calendar.Error{Kind: calendar.KindAuth, Op: op, Code: "HTTP401", Hint: hintAuth}
	case code == http.StatusForbidden:
		return &calendar.Error{Kind: calendar.KindPermission, Op: op, Code: "HTTP403", Hint: hintPermission}
	case code == http.StatusServiceUnavailable || code == http.StatusTooManyRequests:
		// Requests queued in IIS: the documented signal to delay.
		wait, _ := calendar.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return &calendar.Error{Kind: calendar.KindThrottled, Op: op, Code: "HTTP" + strconv.Itoa(code),
			Hint: hintThrottled, RetryAfter: wait}
	case code == http.StatusInternalServerError:
		// EWS reports whole-request failures as SOAP faults with a 500.
		if fault := parseFault(body); fault != nil {
			return faultErrorWithStatus(op, fault, code)
		}
		e := calendar.NewUnreadableAnswer(op, code, errors.New("server error without a SOAP fault"))
		e.Code = "HTTP500"
		return e
	case code == http.StatusBadGateway || code == http.StatusGatewayTimeout:
		// A proxy or load balancer in front could not reach Exchange.
		return &calendar.Error{Kind: calendar.KindTransient, Op: op, Code: "HTTP" + strconv.Itoa(code), Err: fmt.Errorf("server error %d", code)}
	case code >= 500:
		// Exchange answered with a failure Frontdesk cannot act on: not "cannot reach".
		e := calendar.NewUnreadableAnswer(op, code, fmt.Errorf("server error %d", code))
		e.Code = "HTTP" + strconv.Itoa(code)
		return e
	case code == http.StatusNotFound:
		return &calendar.Error{Kind: calendar.KindConfig, Op: op, Code: "HTTP404", Hint: "No EWS service at this address. Check ews.url (it usually ends in /EWS/Exchange.asmx)."}
	}
	return &calendar.Error{Kind: calendar.KindOther, Op: op, Code: "HTTP" + strconv.Itoa(resp.StatusCode), Err: fmt.Errorf("unexpected HTTP status %s", resp.Status)}
}

func classifyTransportError(ctx context.Context, op string, err error) error {
	var held *calendar.Error
	if errors.As(err, &held) {
		// Refused on this side before it left (the request ceiling): keep its kind.
		e := *held
		e.Op = op
		return &e
	}
	// Retrying will not make a certificate valid or the server speak TLS.
	if tlsErr := calendar.TLSError(op, err, tlsHints); tlsErr != nil {
		return tlsErr
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = context.Cause(ctx)
	}
	return &calendar.Error{Kind: calendar.KindTransient, Op: op, Err: err}
}

// faultError maps a SOAP fault found in a 200 answer to the engine's kinds.
func faultError(op string, f *soapFault) error {
	return faultErrorWithStatus(op, f, http.StatusOK)
}

// faultErrorWithStatus maps a SOAP fault that came with the HTTP status.
func faultErrorWithStatus(op string, f *soapFault, status int) error {
	code := f.ResponseCode()
	e := &calendar.Error{Op: op, Code: code, Err: errors.New(f.Message())}
	switch {
	case throttlingCodes[code]:
		e.Kind, e.Hint, e.RetryAfter = calendar.KindThrottled, hintThrottled, f.Detail.MessageXML.backOff()
	case code == "ErrorInvalidServerVersion":
		e.Kind, e.Hint = calendar.KindConfig, hintVersion
	case code == "ErrorSchemaValidation" || code == "ErrorInvalidRequest":
		// Our request is at fault: repeating it will not help.
		e.Kind = calendar.KindOther
	case code == "ErrorAccessDenied" || code == "ErrorImpersonationDenied":
		e.Kind, e.Hint = calendar.KindPermission, hintPermission
	case code == "ErrorAccountDisabled":
		e.Kind = calendar.KindLocked
	default:
		// A fault Frontdesk has no answer for: the server did answer, so this
		// is not "cannot reach the server".
		e.Kind = calendar.KindTransient
		e.Err = &calendar.UnreadableAnswer{Status: status, Err: e.Err}
	}
	return e
}

// throttledMessage reports a throttling code inside a 200 answer: the server
// is busy for the whole request, not just for that mailbox.
func throttledMessage(op string, rm responseMessage) error {
	code := strings.TrimSpace(rm.Code)
	backOff := rm.MessageXML.backOff()
	if !throttlingCodes[code] && !(code == "ErrorInternalServerError" && backOff > 0) {
		return nil
	}
	return &calendar.Error{Kind: calendar.KindThrottled, Op: op, Code: code, Hint: hintThrottled,
		RetryAfter: backOff, Err: errors.New(calendar.ScrubSecrets(strings.TrimSpace(rm.Text)))}
}

// responseError is the error of an answer whose one ResponseMessage speaks
// for the whole request: the server's throttling, or its refusal of op.
func responseError(op string, rm responseMessage) error {
	if err := throttledMessage(op, rm); err != nil {
		return err
	}
	if rm.isError() {
		return &calendar.Error{Kind: calendar.KindOther, Op: op, Code: strings.TrimSpace(rm.Code), Err: rm.err()}
	}
	return nil
}

// parseFault returns the fault in a SOAP answer, nil if there is none or the
// body is not SOAP.
func parseFault(data []byte) *soapFault {
	var env responseEnvelope[struct{}]
	if err := xml.Unmarshal(data, &env); err != nil {
		return nil
	}
	return env.Body.Fault
}
