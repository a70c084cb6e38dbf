package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The wire types below are the few fields Frontdesk reads of Graph's answers,
// decoded with encoding/json. The SDK's models would walk the JSON token by
// token into a backing store: for a 1,000-person refresh that was most of the
// CPU and allocations, and keeping the SDK's model types reachable kept the
// whole Graph API in the binary.

// scheduleResponse is getSchedule's answer.
type scheduleResponse struct {
	Value []scheduleInformation `json:"value"`
	// Unreadable are the schedules that did not read (decodeRecords).
	Unreadable []unreadableRecord `json:"-"`
}

type scheduleInformation struct {
	ScheduleID       string         `json:"scheduleId"`
	AvailabilityView string         `json:"availabilityView"`
	Error            *freeBusyError `json:"error"`
	ScheduleItems    []scheduleItem `json:"scheduleItems"`
	WorkingHours     *workingHours  `json:"workingHours"`
}

type freeBusyError struct {
	Message      *string `json:"message"`
	ResponseCode *string `json:"responseCode"`
}

type scheduleItem struct {
	IsPrivate bool   `json:"isPrivate"`
	Status    string `json:"status"`
	Subject   string `json:"subject"`
	Location  string `json:"location"`
	// Values, not pointers: a missing or null start reads as an empty
	// dateTime, which parseDateTimeTimeZone refuses all the same.
	Start dateTimeTimeZone `json:"start"`
	End   dateTimeTimeZone `json:"end"`
}

// dateTimeTimeZone is Graph's local time with a zone name, in requests and answers.
type dateTimeTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

type workingHours struct {
	DaysOfWeek []string  `json:"daysOfWeek"`
	StartTime  string    `json:"startTime"`
	EndTime    string    `json:"endTime"`
	TimeZone   *timeZone `json:"timeZone"`
}

// customTimeZoneType marks a timeZone that carries its own offsets and rules
// instead of only a name.
const customTimeZoneType = "#microsoft.graph.customTimeZone"

// timeZone is a timeZoneBase, or a customTimeZone when ODataType says so.
type timeZone struct {
	ODataType      string          `json:"@odata.type"`
	Name           string          `json:"name"`
	Bias           float64         `json:"bias"`
	StandardOffset *timeZoneOffset `json:"standardOffset"`
	DaylightOffset *timeZoneOffset `json:"daylightOffset"`
}

// timeZoneOffset is a standardTimeZoneOffset; a daylightTimeZoneOffset adds DaylightBias.
type timeZoneOffset struct {
	Year          float64  `json:"year"`
	Month         float64  `json:"month"`
	DayOccurrence float64  `json:"dayOccurrence"`
	DayOfWeek     string   `json:"dayOfWeek"`
	Time          string   `json:"time"`
	DaylightBias  *float64 `json:"daylightBias"`
}

// scheduleRequestBody is getSchedule's body. Action parameters are PascalCase
// in Graph's metadata, as the SDK sends them.
type scheduleRequestBody struct {
	Schedules                []string         `json:"Schedules"`
	StartTime                dateTimeTimeZone `json:"StartTime"`
	EndTime                  dateTimeTimeZone `json:"EndTime"`
	AvailabilityViewInterval int              `json:"AvailabilityViewInterval"`
}

type presenceRequestBody struct {
	IDs []string `json:"ids"`
}

type presenceResponse struct {
	Value []presence `json:"value"`
}

// decodeRecords leaves out a presence that does not read: that colleague
// has no presence this time (their last automatic-reply reading stands),
// the others have theirs.
func (r *presenceResponse) decodeRecords(data []byte) error {
	values, _, err := recordsOf(data, "id", r.Value)
	if err != nil {
		return err
	}
	*r = presenceResponse{Value: values}
	return nil
}

type presence struct {
	ID                  string `json:"id"`
	Availability        string `json:"availability"`
	Activity            string `json:"activity"`
	OutOfOfficeSettings *struct {
		IsOutOfOffice bool   `json:"isOutOfOffice"`
		Message       string `json:"message"`
	} `json:"outOfOfficeSettings"`
	// StatusMessage is the colleague's own Teams note (presenceStatusMessage).
	StatusMessage *struct {
		Message *struct {
			Content     string `json:"content"`
			ContentType string `json:"contentType"` // text | html
		} `json:"message"`
		ExpiryDateTime *dateTimeTimeZone `json:"expiryDateTime"`
	} `json:"statusMessage"`
	// WorkLocation is userWorkLocation: office, remote, timeOff, unspecified.
	WorkLocation *struct {
		WorkLocationType string `json:"workLocationType"`
	} `json:"workLocation"`
}

// userPage is a page of /users or of a group's transitive members.
type userPage struct {
	Value    []user `json:"value"`
	NextLink string `json:"@odata.nextLink"`
	// Unreadable are the records that did not read as a user (decodeRecords).
	Unreadable []unreadableRecord `json:"-"`
}

// userType is the @odata.type of a directory object that is a user; a group's
// members also include groups, devices and contacts.
const userType = "#microsoft.graph.user"

type user struct {
	ODataType      string   `json:"@odata.type"`
	ID             string   `json:"id"`
	DisplayName    string   `json:"displayName"`
	Mail           string   `json:"mail"`
	Department     string   `json:"department"`
	JobTitle       string   `json:"jobTitle"`
	BusinessPhones []string `json:"businessPhones"`
	MobilePhone    string   `json:"mobilePhone"`
	AccountEnabled *bool    `json:"accountEnabled"`
}

// odataErrors maps every error status to Graph's error body, so classify
// reads its code and message as before.
var odataErrors = abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// errEmptyAnswer is a 2xx without a body where Graph always sends one.
var errEmptyAnswer = errors.New("answer has no body")

// endpoint is the Graph base URL with path (escaped already) and query appended.
func (s *Source) endpoint(path string, query url.Values) (*url.URL, error) {
	u, err := url.Parse(s.baseURL.String() + path)
	if err != nil {
		return nil, err
	}
	// url.Values writes a space as "+", which OData filters do not read as one.
	u.RawQuery = strings.ReplaceAll(query.Encode(), "+", "%20")
	return u, nil
}

// call sends one request through the SDK's request adapter, so the kiota
// middleware (retry, redirect, telemetry, URL replacement), the token and the
// transport checks all apply, and decodes the JSON answer into answer. body,
// when not nil, goes out as JSON. A 2xx whose body does not fit answer is an
// UnreadableAnswer; an error status is classified from Graph's error body.
func (s *Source) call(ctx context.Context, op, method string, u *url.URL, headers map[string]string, body, answer any) error {
	ri := abs.NewRequestInformation()
	switch method {
	case http.MethodGet:
		ri.Method = abs.GET
	case http.MethodPost:
		ri.Method = abs.POST
	default:
		return fmt.Errorf("%s: method %s is not used with Graph", op, method)
	}
	ri.SetUri(*u)
	ri.Headers.TryAdd("Accept", "application/json")
	for k, v := range headers {
		ri.Headers.Add(k, v)
	}
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return &calendar.Error{Kind: calendar.KindOther, Op: op, Err: err}
		}
		ri.SetStreamContentAndContentType(data, "application/json")
	}
	handoff := new(answerHandoff)
	// The SDK's own copy of the body is empty: answerCheck, always under its
	// middleware, hands every successful answer over instead.
	_, err := s.adapter.SendPrimitive(context.WithValue(ctx, answerHandoffKey{}, handoff), ri, "[]byte", odataErrors)
	data, release := handoff.take()
	defer release()
	if err != nil {
		return classify(op, err)
	}
	if len(data) == 0 {
		return calendar.NewUnreadableAnswer(op, http.StatusOK, errEmptyAnswer)
	}
	if err := decodeAnswer(data, answer); err != nil {
		if records, ok := answer.(recordAnswer); !ok || records.decodeRecords(data) != nil {
			return calendar.NewUnreadableAnswer(op, http.StatusOK, fmt.Errorf("answer does not read as Graph's: %w", err))
		}
	}
	return nil
}

// recordAnswer is an answer whose "value" is a list of records about
// different people. When the whole does not decode, decodeRecords reads it
// again one record at a time: one colleague's record of the wrong shape (a
// displayName that is a number, a mail that is an object) must not lose
// everyone else's. It fails only when the answer around the records does not
// read (cut off, not JSON), and then nothing of it is used.
type recordAnswer interface {
	decodeRecords(data []byte) error
}

// unreadableRecord is one record of a list that did not decode.
type unreadableRecord struct {
	// Index is the record's position in the answer's "value".
	Index int
	// ID is the record's own key ("id", or "scheduleId" for a schedule) where
	// that much of it reads; empty otherwise.
	ID  string
	Err error
}

// reason is the record's failure as a colleague's error: the answer about
// them came but could not be read.
func (r unreadableRecord) reason(what string) error {
	return &calendar.UnreadableAnswer{Status: http.StatusOK, Err: fmt.Errorf("%s %d of the answer does not read as Graph's: %w", what, r.Index+1, r.Err)}
}

// recordsOf reads an answer's "value" one record at a time, reusing into's
// array; the records that do not decode as T come back apart, each with its
// key member where that reads.
func recordsOf[T any](data []byte, key string, into []T) ([]T, []unreadableRecord, error) {
	var envelope struct {
		Value []jsontext.Value `json:"value"`
	}
	if err := decodeAnswer(data, &envelope); err != nil {
		return nil, nil, err
	}
	var bad []unreadableRecord
	out := into[:0]
	for i, raw := range envelope.Value {
		var rec T
		if err := decodeAnswer(raw, &rec); err != nil {
			bad = append(bad, unreadableRecord{Index: i, ID: recordKey(raw, key), Err: err})
			continue
		}
		out = append(out, rec)
	}
	return out, bad, nil
}

// recordKey is the string member key of a record that did not decode as a
// whole, or "" when that does not read either.
func recordKey(raw jsontext.Value, key string) string {
	var members map[string]jsontext.Value
	if decodeAnswer(raw, &members) != nil {
		return ""
	}
	for name, v := range members {
		var s string
		if strings.EqualFold(name, key) && decodeAnswer(v, &s) == nil {
			return s
		}
	}
	return ""
}

func (p *userPage) decodeRecords(data []byte) error {
	var rest struct {
		NextLink string `json:"@odata.nextLink"`
	}
	if err := decodeAnswer(data, &rest); err != nil {
		return err
	}
	users, bad, err := recordsOf(data, "id", p.Value)
	if err != nil {
		return err
	}
	*p = userPage{Value: users, NextLink: rest.NextLink, Unreadable: bad}
	return nil
}

func (r *scheduleResponse) decodeRecords(data []byte) error {
	schedules, bad, err := recordsOf(data, "scheduleId", r.Value)
	if err != nil {
		return err
	}
	*r = scheduleResponse{Value: schedules, Unreadable: bad}
	return nil
}

// answerOptions read JSON as encoding/json (v1) always has, so a quirk of a
// server's answer reads the same as before: names match case-insensitively
// but "_" and "-" count, a repeated name merges into the value read before it
// (a null keeps it), and invalid UTF-8 becomes U+FFFD. FuzzDecodeAnswerMatchesV1
// holds the two equal.
var answerOptions = jsonv2.JoinOptions(
	jsonv2.MatchCaseInsensitiveNames(true),
	jsonv1.MatchCaseSensitiveDelimiter(true),
	jsonv1.MergeWithLegacySemantics(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// decodeAnswer reads a Graph answer into our wire structs with JSON v2
// (encoding/json/v2 to be): a 1,000-person refresh decodes 50 getSchedule
// answers, and v2 reads them in less than half of v1's time, with half its
// allocations.
func decodeAnswer(data []byte, answer any) error {
	return jsonv2.Unmarshal(data, answer, answerOptions)
}
