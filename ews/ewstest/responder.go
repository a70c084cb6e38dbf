// Package ewstest is a loopback EWS responder for tests: it serves
// Microsoft's documented SOAP answers (ews/testdata) and checks every request
// it receives the way an Exchange server would refuse a bad one: well-formed
// XML, the SOAP and Exchange namespaces, the SOAPAction, the
// RequestServerVersion, at most 100 mailboxes.
package ewstest

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

const (
	NSSOAP     = "http://schemas.xmlsoap.org/soap/envelope/"
	NSTypes    = "http://schemas.microsoft.com/exchange/services/2006/types"
	NSMessages = "http://schemas.microsoft.com/exchange/services/2006/messages"
)

// MaxMailboxes is GetUserAvailability's documented limit per request.
const MaxMailboxes = 100

// Fixture returns ews/testdata/name.
func Fixture(name string) string {
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "testdata", name))
	if err != nil {
		panic(err)
	}
	return string(data)
}

// Request is one request as the responder understood it.
type Request struct {
	Operation  string
	Version    string
	User       string
	HasAuth    bool
	Body       []byte
	Mailboxes  []string // GetUserAvailability
	TimeZone   TimeZone // GetUserAvailability
	Window     [2]string
	Interval   int
	View       string
	Recipients []string // GetMailTips
	SendingAs  string
	Entry      string   // ResolveNames
	List       string   // ExpandDL, GetRooms
	Rooms      []string // GetUserAvailability: the mailboxes asked for as AttendeeType Room
	PhotoEmail string   // GetUserPhoto
	PhotoSize  string
	// IfNoneMatch is the HTTP header a GetUserPhoto revalidation carries.
	IfNoneMatch string
	Violations  []string
}

// TimeZone is the SerializableTimeZone a GetUserAvailability carried.
type TimeZone struct {
	Bias         int  `xml:"http://schemas.microsoft.com/exchange/services/2006/types Bias"`
	StandardTime Rule `xml:"http://schemas.microsoft.com/exchange/services/2006/types StandardTime"`
	DaylightTime Rule `xml:"http://schemas.microsoft.com/exchange/services/2006/types DaylightTime"`
}

type Rule struct {
	Bias      int    `xml:"http://schemas.microsoft.com/exchange/services/2006/types Bias"`
	Time      string `xml:"http://schemas.microsoft.com/exchange/services/2006/types Time"`
	DayOrder  int    `xml:"http://schemas.microsoft.com/exchange/services/2006/types DayOrder"`
	Month     int    `xml:"http://schemas.microsoft.com/exchange/services/2006/types Month"`
	DayOfWeek string `xml:"http://schemas.microsoft.com/exchange/services/2006/types DayOfWeek"`
}

// Answer is what the responder sends back.
type Answer struct {
	Status int
	Header http.Header
	Body   string
}

// Handler decides the answer to a request that passed the checks.
type Handler func(r *Request) Answer

// Responder is an http.Handler; run it with httptest on 127.0.0.1.
type Responder struct {
	// Version is the RequestServerVersion every request must carry.
	Version string
	Handle  Handler

	mu       sync.Mutex
	requests []*Request
}

// Requests returns every request received so far.
func (rs *Responder) Requests() []*Request {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]*Request(nil), rs.requests...)
}

// Violations lists every protocol error found in the requests received.
func (rs *Responder) Violations() []string {
	var out []string
	for i, r := range rs.Requests() {
		for _, v := range r.Violations {
			out = append(out, fmt.Sprintf("request %d (%s): %s", i+1, r.Operation, v))
		}
	}
	return out
}

func (rs *Responder) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(hr.Body, 8<<20))
	r := rs.check(hr, body)
	rs.mu.Lock()
	rs.requests = append(rs.requests, r)
	rs.mu.Unlock()
	if len(r.Violations) > 0 {
		// What Exchange does with a request it cannot read.
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, schemaFault, xmlEscape(strings.Join(r.Violations, "; ")))
		return
	}
	a := rs.Handle(r)
	for k, vs := range a.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	}
	if a.Status == 0 {
		a.Status = http.StatusOK
	}
	w.WriteHeader(a.Status)
	io.WriteString(w, a.Body)
}

const schemaFault = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorSchemaValidation</faultcode><faultstring xml:lang="en-US">The request failed schema validation: %s</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorSchemaValidation</e:ResponseCode></detail></s:Fault></s:Body></s:Envelope>`

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// envelope is the request read strictly: every element in the namespace the
// schema puts it in, or it is not found.
type envelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Header  struct {
		RequestServerVersion *struct {
			Version string `xml:"Version,attr"`
		} `xml:"http://schemas.microsoft.com/exchange/services/2006/types RequestServerVersion"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Header"`
	Body struct {
		Inner []byte `xml:",innerxml"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

type guaRequest struct {
	XMLName          xml.Name  `xml:"http://schemas.microsoft.com/exchange/services/2006/messages GetUserAvailabilityRequest"`
	TimeZone         *TimeZone `xml:"http://schemas.microsoft.com/exchange/services/2006/types TimeZone"`
	MailboxDataArray struct {
		Mailboxes []struct {
			Email struct {
				Address string `xml:"http://schemas.microsoft.com/exchange/services/2006/types Address"`
			} `xml:"http://schemas.microsoft.com/exchange/services/2006/types Email"`
			AttendeeType string `xml:"http://schemas.microsoft.com/exchange/services/2006/types AttendeeType"`
		} `xml:"http://schemas.microsoft.com/exchange/services/2006/types MailboxData"`
	} `xml:"http://schemas.microsoft.com/exchange/services/2006/messages MailboxDataArray"`
	Options *struct {
		Window struct {
			Start string `xml:"http://schemas.microsoft.com/exchange/services/2006/types StartTime"`
			End   string `xml:"http://schemas.microsoft.com/exchange/services/2006/types EndTime"`
		} `xml:"http://schemas.microsoft.com/exchange/services/2006/types TimeWindow"`
		Interval int    `xml:"http://schemas.microsoft.com/exchange/services/2006/types MergedFreeBusyIntervalInMinutes"`
		View     string `xml:"http://schemas.microsoft.com/exchange/services/2006/types RequestedView"`
	} `xml:"http://schemas.microsoft.com/exchange/services/2006/types FreeBusyViewOptions"`
}

type mailTipsRequest struct {
	XMLName   xml.Name `xml:"http://schemas.microsoft.com/exchange/services/2006/messages GetMailTips"`
	SendingAs struct {
		EmailAddress string `xml:"http://schemas.microsoft.com/exchange/services/2006/types EmailAddress"`
	} `xml:"http://schemas.microsoft.com/exchange/services/2006/messages SendingAs"`
	Recipients struct {
		Mailboxes []struct {
			EmailAddress string `xml:"http://schemas.microsoft.com/exchange/services/2006/types EmailAddress"`
		} `xml:"http://schemas.microsoft.com/exchange/services/2006/types Mailbox"`
	} `xml:"http://schemas.microsoft.com/exchange/services/2006/messages Recipients"`
	Requested string `xml:"http://schemas.microsoft.com/exchange/services/2006/messages MailTipsRequested"`
}

type resolveNamesRequest struct {
	XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/services/2006/messages ResolveNames"`
	Entry   string   `xml:"http://schemas.microsoft.com/exchange/services/2006/messages UnresolvedEntry"`
}

type expandDLRequest struct {
	XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/services/2006/messages ExpandDL"`
	// Messages.xsd puts Mailbox in the messages namespace (the reference
	// page's example prints t:Mailbox; the schema and servers say m:).
	Mailbox struct {
		EmailAddress string `xml:"http://schemas.microsoft.com/exchange/services/2006/types EmailAddress"`
	} `xml:"http://schemas.microsoft.com/exchange/services/2006/messages Mailbox"`
}

var operations = map[string]string{
	"GetUserAvailability": "GetUserAvailabilityRequest",
	"GetMailTips":         "GetMailTips",
	"ResolveNames":        "ResolveNames",
	"ExpandDL":            "ExpandDL",
	"GetUserPhoto":        "GetUserPhoto",
	"GetRoomLists":        "GetRoomLists",
	"GetRooms":            "GetRooms",
}

type getUserPhotoRequest struct {
	XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/services/2006/messages GetUserPhoto"`
	Email   string   `xml:"http://schemas.microsoft.com/exchange/services/2006/messages Email"`
	Size    string   `xml:"http://schemas.microsoft.com/exchange/services/2006/messages SizeRequested"`
}

// photoSizes are GetUserPhoto's documented SizeRequested values.
var photoSizes = []string{"HR48x48", "HR64x64", "HR96x96", "HR120x120", "HR240x240", "HR360x360", "HR432x432", "HR504x504", "HR648x648"}

// UserPhotoAnswer is the documented GetUserPhoto success answer carrying data.
func UserPhotoAnswer(data []byte) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Header>
    <h:ServerVersionInfo MajorVersion="15" MinorVersion="0" MajorBuildNumber="556" MinorBuildNumber="8" Version="Exchange2013" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types" xmlns="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>
  </s:Header>
  <s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
    <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
      <ResponseCode>NoError</ResponseCode>
      <HasChanged>true</HasChanged>
      <PictureData>` + base64.StdEncoding.EncodeToString(data) + `</PictureData>
    </GetUserPhotoResponse>
  </s:Body>
</s:Envelope>`
}

type getRoomsRequest struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/exchange/services/2006/messages GetRooms"`
	RoomList struct {
		EmailAddress string `xml:"http://schemas.microsoft.com/exchange/services/2006/types EmailAddress"`
	} `xml:"http://schemas.microsoft.com/exchange/services/2006/messages RoomList"`
}

func (rs *Responder) check(hr *http.Request, body []byte) *Request {
	r := &Request{Body: body}
	bad := func(format string, args ...any) { r.Violations = append(r.Violations, fmt.Sprintf(format, args...)) }
	r.User, _, r.HasAuth = hr.BasicAuth()
	if hr.Method != http.MethodPost {
		bad("method %s, want POST", hr.Method)
	}
	if ct := hr.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") || !strings.Contains(strings.ToLower(ct), "charset=utf-8") {
		bad("Content-Type %q, want text/xml; charset=utf-8", ct)
	}
	action := strings.Trim(hr.Header.Get("SOAPAction"), `"`)
	op, ok := strings.CutPrefix(action, NSMessages+"/")
	if !ok || operations[op] == "" {
		bad("SOAPAction %q is not an EWS operation we know", hr.Header.Get("SOAPAction"))
	}
	r.Operation = op

	if err := wellFormed(body); err != nil {
		bad("not well-formed XML: %v", err)
		return r
	}
	var env envelope
	if err := xml.Unmarshal(body, &env); err != nil {
		bad("no SOAP 1.1 envelope: %v", err)
		return r
	}
	if env.Header.RequestServerVersion == nil {
		bad("no t:RequestServerVersion header")
	} else {
		r.Version = env.Header.RequestServerVersion.Version
		if rs.Version != "" && r.Version != rs.Version {
			bad("RequestServerVersion %q, want %q", r.Version, rs.Version)
		}
	}
	// Unmarshal the body on its own loses the prefixes bound on the envelope,
	// so the operation is read from the whole document.
	switch op {
	case "GetUserAvailability":
		var req struct {
			Body struct {
				Req guaRequest
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
		}
		if err := xml.Unmarshal(body, &req); err != nil || req.Body.Req.XMLName.Local == "" {
			bad("no m:GetUserAvailabilityRequest in the body (%v)", err)
			return r
		}
		g := req.Body.Req
		if g.TimeZone == nil {
			bad("no t:TimeZone")
		} else {
			r.TimeZone = *g.TimeZone
		}
		mailboxes := g.MailboxDataArray.Mailboxes
		if len(mailboxes) == 0 {
			bad("no t:MailboxData in m:MailboxDataArray")
		}
		if len(mailboxes) > MaxMailboxes {
			bad("%d mailboxes, the limit is %d (ErrorMailboxDataArrayTooBig)", len(mailboxes), MaxMailboxes)
		}
		for _, m := range mailboxes {
			if strings.TrimSpace(m.Email.Address) == "" {
				bad("t:MailboxData without t:Email/t:Address")
			}
			if m.AttendeeType == "" {
				bad("t:MailboxData without t:AttendeeType")
			}
			r.Mailboxes = append(r.Mailboxes, m.Email.Address)
			if m.AttendeeType == "Room" {
				r.Rooms = append(r.Rooms, m.Email.Address)
			}
		}
		if g.Options == nil {
			bad("no t:FreeBusyViewOptions")
		} else {
			r.Window = [2]string{g.Options.Window.Start, g.Options.Window.End}
			r.Interval, r.View = g.Options.Interval, g.Options.View
			if r.Interval < 5 || r.Interval > 1440 {
				bad("MergedFreeBusyIntervalInMinutes %d outside 5..1440", r.Interval)
			}
		}
	case "GetMailTips":
		var req struct {
			Body struct {
				Req mailTipsRequest
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
		}
		if err := xml.Unmarshal(body, &req); err != nil || req.Body.Req.XMLName.Local == "" {
			bad("no m:GetMailTips in the body (%v)", err)
			return r
		}
		g := req.Body.Req
		r.SendingAs = strings.TrimSpace(g.SendingAs.EmailAddress)
		if r.SendingAs == "" {
			bad("no m:SendingAs/t:EmailAddress")
		}
		if n := len(g.Recipients.Mailboxes); n == 0 || n > MaxMailboxes {
			bad("%d recipients", n)
		}
		for _, m := range g.Recipients.Mailboxes {
			r.Recipients = append(r.Recipients, strings.TrimSpace(m.EmailAddress))
		}
		if g.Requested == "" {
			bad("no m:MailTipsRequested")
		}
	case "ResolveNames":
		var req struct {
			Body struct {
				Req resolveNamesRequest
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
		}
		if err := xml.Unmarshal(body, &req); err != nil || req.Body.Req.XMLName.Local == "" {
			bad("no m:ResolveNames in the body (%v)", err)
			return r
		}
		r.Entry = req.Body.Req.Entry
		if strings.TrimSpace(r.Entry) == "" {
			bad("no m:UnresolvedEntry")
		}
	case "GetUserPhoto":
		var req struct {
			Body struct {
				Req getUserPhotoRequest
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
		}
		if err := xml.Unmarshal(body, &req); err != nil || req.Body.Req.XMLName.Local == "" {
			bad("no m:GetUserPhoto in the body (%v)", err)
			return r
		}
		r.PhotoEmail, r.PhotoSize = strings.TrimSpace(req.Body.Req.Email), strings.TrimSpace(req.Body.Req.Size)
		r.IfNoneMatch = hr.Header.Get("If-None-Match")
		if r.PhotoEmail == "" {
			bad("no m:Email")
		}
		if !slices.Contains(photoSizes, r.PhotoSize) {
			bad("m:SizeRequested %q is not a documented size", r.PhotoSize)
		}
		if r.Version == "Exchange2007_SP1" || strings.HasPrefix(r.Version, "Exchange2010") {
			bad("GetUserPhoto needs Exchange2013 or later, not %s", r.Version)
		}
	case "ExpandDL":
		var req struct {
			Body struct {
				Req expandDLRequest
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
		}
		if err := xml.Unmarshal(body, &req); err != nil || req.Body.Req.XMLName.Local == "" {
			bad("no m:ExpandDL in the body (%v)", err)
			return r
		}
		r.List = req.Body.Req.Mailbox.EmailAddress
		if strings.TrimSpace(r.List) == "" {
			bad("no m:Mailbox/t:EmailAddress")
		}
	case "GetRooms":
		var req struct {
			Body struct {
				Req getRoomsRequest
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
		}
		if err := xml.Unmarshal(body, &req); err != nil || req.Body.Req.XMLName.Local == "" {
			bad("no m:GetRooms in the body (%v)", err)
			return r
		}
		r.List = req.Body.Req.RoomList.EmailAddress
		if strings.TrimSpace(r.List) == "" {
			bad("no m:RoomList/t:EmailAddress")
		}
	case "GetRoomLists":
		if r.Version == "Exchange2007_SP1" {
			bad("GetRoomLists needs Exchange2010 or later, asked as %s", r.Version)
		}
	}
	return r
}

// wellFormed walks every token and checks every element is in a namespace
// EWS knows: an unbound prefix or a stray default namespace fails here.
func wellFormed(body []byte) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	known := map[string]bool{NSSOAP: true, NSTypes: true, NSMessages: true}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && !known[se.Name.Space] {
			return fmt.Errorf("element <%s> in namespace %q", se.Name.Local, se.Name.Space)
		}
	}
}

// AvailabilityFor builds a GetUserAvailability answer with one FreeBusyResponse
// per mailbox, in request order, taken from responses by address; mailboxes
// missing from it get the documented ErrorMailRecipientNotFound response.
func AvailabilityFor(mailboxes []string, responses map[string]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <soap:Header>
    <t:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" />
  </soap:Header>
  <soap:Body>
    <GetUserAvailabilityResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
      <FreeBusyResponseArray>
`)
	notFound := Fixture("freebusyresponse-error.xml")
	for _, m := range mailboxes {
		if r, ok := responses[strings.ToLower(m)]; ok {
			b.WriteString(r)
		} else {
			b.WriteString(strings.ReplaceAll(notFound, "tplate@exampledomain.com", xmlEscape(m)))
		}
	}
	b.WriteString(`      </FreeBusyResponseArray>
    </GetUserAvailabilityResponse>
  </soap:Body>
</soap:Envelope>
`)
	return b.String()
}

// DocumentedFreeBusyResponses are the two FreeBusyResponse elements of the
// documented GetUserAvailability answer, in order.
func DocumentedFreeBusyResponses() []string {
	doc := Fixture("getuseravailability.xml")
	var out []string
	for {
		i := strings.Index(doc, "<FreeBusyResponse>")
		if i < 0 {
			return out
		}
		j := strings.Index(doc[i:], "</FreeBusyResponse>")
		out = append(out, doc[i:i+j+len("</FreeBusyResponse>")]+"\n")
		doc = doc[i+j:]
	}
}

// SalesTeam answers as the documented company does for the distribution list
// sales@exampledomain.com: ExpandDL lists its members, GetMailTips gives the
// documented out-of-office tip, and GetUserAvailability gives Dan Park and Jeff
// Price the two documented mailboxes' answers (anyone else: recipient not
// found). Its meeting rooms are the documented GetRoomLists and GetRooms
// answers (two lists holding the same two rooms): Conference Room 1 is booked
// 07:00-09:00 on the documented day, Conference Room 2 is free. Any other
// operation is a 400.
func SalesTeam(r *Request) Answer {
	switch r.Operation {
	case "ExpandDL":
		return Answer{Body: Fixture("expanddl.xml")}
	case "GetMailTips":
		return Answer{Body: Fixture("getmailtips-oof.xml")}
	case "GetRoomLists":
		return Answer{Body: Fixture("getroomlists.xml")}
	case "GetRooms":
		return Answer{Body: Fixture("getrooms.xml")}
	case "GetUserAvailability":
		docs := DocumentedFreeBusyResponses()
		return Answer{Body: AvailabilityFor(r.Mailboxes, map[string]string{
			"dpark@exampledomain.com": docs[0], "jprice@exampledomain.com": docs[1],
			"conf1@contoso.com": Fixture("freebusyresponse-room.xml"), "conf2@contoso.com": FreeResponse})}
	}
	return Answer{Status: http.StatusBadRequest}
}

// FreeResponse is a FreeBusyResponse with nothing booked.
const FreeResponse = `        <FreeBusyResponse>
          <ResponseMessage ResponseClass="Success">
            <ResponseCode>NoError</ResponseCode>
          </ResponseMessage>
          <FreeBusyView>
            <FreeBusyViewType xmlns="http://schemas.microsoft.com/exchange/services/2006/types">DetailedMerged</FreeBusyViewType>
            <MergedFreeBusy xmlns="http://schemas.microsoft.com/exchange/services/2006/types">000000000000000000000000</MergedFreeBusy>
          </FreeBusyView>
        </FreeBusyResponse>
`
