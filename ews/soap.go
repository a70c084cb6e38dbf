package ews

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The namespaces of EWS SOAP 1.1. Microsoft's reference pages print the two
// Exchange ones with https:, an error of the pages' conversion; servers and
// the WSDL use http:, and a server rejects anything else.
const (
	nsSOAP     = "http://schemas.xmlsoap.org/soap/envelope/"
	nsTypes    = "http://schemas.microsoft.com/exchange/services/2006/types"
	nsMessages = "http://schemas.microsoft.com/exchange/services/2006/messages"
	nsErrors   = "http://schemas.microsoft.com/exchange/services/2006/errors"
)

// soapActionPrefix + operation name is the SOAPAction header EWS routes on.
const soapActionPrefix = nsMessages + "/"

// requestEnvelope is what we send. Element names carry their prefixes
// literally ("t:...", "m:...") because encoding/xml would otherwise declare
// a default namespace on every element; the prefixes are bound once here.
type requestEnvelope struct {
	XMLName   xml.Name      `xml:"soap:Envelope"`
	XMLNSSoap string        `xml:"xmlns:soap,attr"`
	XMLNST    string        `xml:"xmlns:t,attr"`
	XMLNSM    string        `xml:"xmlns:m,attr"`
	Header    requestHeader `xml:"soap:Header"`
	Body      requestBody   `xml:"soap:Body"`
}

type requestHeader struct {
	Version requestServerVersion `xml:"t:RequestServerVersion"`
}

type requestServerVersion struct {
	Version string `xml:"Version,attr"`
}

type requestBody struct {
	Operation any
}

func marshalRequest(version string, operation any) ([]byte, error) {
	env := requestEnvelope{
		XMLNSSoap: nsSOAP,
		XMLNST:    nsTypes,
		XMLNSM:    nsMessages,
		Header:    requestHeader{Version: requestServerVersion{Version: version}},
		Body:      requestBody{Operation: operation},
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(env); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// responseEnvelope reads any answer. Response structs name elements by local
// name only: servers differ in prefixes, and matching on the local name keeps
// the parser indifferent to them.
type responseEnvelope[T any] struct {
	XMLName xml.Name `xml:"Envelope"`
	Body    struct {
		Fault    *soapFault `xml:"Fault"`
		Response *T         `xml:",any"`
	} `xml:"Body"`
}

// soapFault is a whole-request failure (HTTP 500), such as ErrorServerBusy.
type soapFault struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Detail struct {
		ResponseCode string     `xml:"ResponseCode"`
		Message      string     `xml:"Message"`
		MessageXML   messageXML `xml:"MessageXml"`
	} `xml:"detail"`
}

// ResponseCode is the EWS code of the fault: detail's ResponseCode, or the
// faultcode without its prefix.
func (f *soapFault) ResponseCode() string {
	if c := strings.TrimSpace(f.Detail.ResponseCode); c != "" {
		return c
	}
	code := strings.TrimSpace(f.Code)
	if i := strings.LastIndexByte(code, ':'); i >= 0 {
		code = code[i+1:]
	}
	return code
}

func (f *soapFault) Message() string {
	// Server text: scrubbed before any error holds it (calendar.ScrubSecrets).
	if m := strings.TrimSpace(f.Detail.Message); m != "" {
		return calendar.ScrubSecrets(m)
	}
	return calendar.ScrubSecrets(strings.TrimSpace(f.String))
}

// messageXML carries machine-readable details of an error, such as
// <t:Value Name="BackOffMilliseconds">.
type messageXML struct {
	Values []struct {
		Name  string `xml:"Name,attr"`
		Value string `xml:",chardata"`
	} `xml:"Value"`
}

// backOff is the BackOffMilliseconds hint, if the server gave a usable one.
func (m messageXML) backOff() time.Duration {
	for _, v := range m.Values {
		if v.Name != "BackOffMilliseconds" {
			continue
		}
		ms, err := strconv.ParseInt(strings.TrimSpace(v.Value), 10, 64)
		if err != nil || ms < 0 {
			return 0
		}
		// Capped like a Retry-After, rather than dropped: a server that asks
		// for a very long pause still gets a long one.
		return time.Duration(min(ms, calendar.MaxRetryAfter.Milliseconds())) * time.Millisecond
	}
	return 0
}

// responseMessage is the status every per-item answer carries.
type responseMessage struct {
	Class      string     `xml:"ResponseClass,attr"`
	Code       string     `xml:"ResponseCode"`
	Text       string     `xml:"MessageText"`
	MessageXML messageXML `xml:"MessageXml"`
}

func (r responseMessage) isError() bool { return r.Class == "Error" }

// MailboxError is a failure the server reported for one mailbox or one name
// while the rest of the request succeeded.
type MailboxError struct {
	Code    string
	Message string
}

func (e *MailboxError) Error() string {
	msg := strings.TrimSpace(e.Message)
	switch {
	case msg == "":
		return e.Code
	case e.Code == "":
		return msg
	}
	return msg + " (" + e.Code + ")"
}

// Is matches the calendar reason the ResponseCode stands for
// (calendar.ReasonForCode), so the console can say it in the operator's words.
func (e *MailboxError) Is(target error) bool {
	reason := calendar.ReasonForCode(e.Code)
	return reason != nil && target == reason
}

func (r responseMessage) err() *MailboxError {
	return &MailboxError{Code: strings.TrimSpace(r.Code), Message: calendar.ScrubSecrets(r.Text)}
}

// errMalformed marks an answer that is not the SOAP we asked for.
var errMalformed = errors.New("ews: malformed response")

// decodeEnvelope parses a SOAP answer whose body must be the element
// wantLocal (or a fault, returned as such).
func decodeEnvelope[T any](data []byte, wantLocal string, name func(*T) xml.Name) (*T, *soapFault, error) {
	var env responseEnvelope[T]
	if err := xml.Unmarshal(data, &env); err != nil {
		readable, changed := readableText(data)
		if !changed {
			return nil, nil, fmt.Errorf("%w: %v", errMalformed, err)
		}
		env = responseEnvelope[T]{}
		if xml.Unmarshal(readable, &env) != nil {
			return nil, nil, fmt.Errorf("%w: %v", errMalformed, err)
		}
	}
	if env.Body.Fault != nil {
		return nil, env.Body.Fault, nil
	}
	if env.Body.Response == nil {
		return nil, nil, fmt.Errorf("%w: no %s in the SOAP body", errMalformed, wantLocal)
	}
	if got := name(env.Body.Response).Local; got != wantLocal {
		return nil, nil, fmt.Errorf("%w: got %s, want %s", errMalformed, got, wantLocal)
	}
	return env.Body.Response, nil, nil
}

// readableText is data with every byte sequence that is not UTF-8, and every
// control character XML forbids, replaced by U+FFFD; changed is false (and
// data returned as is) when there was none. encoding/xml refuses the whole
// answer for one such byte, so one colleague's garbled display name would
// cost everyone's: this way it costs that name a letter, as Graph's JSON
// reading does with invalid UTF-8.
func readableText(data []byte) (readable []byte, changed bool) {
	first := -1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if !readableRune(r, size) {
			first = i
			break
		}
		i += size
	}
	if first < 0 {
		return data, false
	}
	out := make([]byte, first, len(data)+8)
	copy(out, data[:first])
	for i := first; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if readableRune(r, size) {
			out = append(out, data[i:i+size]...)
		} else {
			out = utf8.AppendRune(out, utf8.RuneError)
		}
		i += size
	}
	return out, true
}

// readableRune reports whether a decoded rune of size bytes is a character
// XML allows.
func readableRune(r rune, size int) bool {
	if r == utf8.RuneError && size <= 1 {
		return false
	}
	return r == '\t' || r == '\n' || r == '\r' || isXMLChar(r)
}
