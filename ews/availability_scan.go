package ews

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanGetUserAvailability reads the usual shape of a GetUserAvailability
// answer with a byte scanner, filling the same structs encoding/xml would
// (a 100-mailbox answer is the hot path of every EWS refresh, and Unmarshal
// spent most of its time building tokens for elements nobody reads).
//
// ok is false for anything the scanner does not handle exactly as
// encoding/xml does: a SOAP fault, comments, CDATA, DOCTYPE, carriage
// returns, character references, non-ASCII names, a number that does not
// parse, and every syntax error. The caller then parses with encoding/xml,
// which also gives the error its words.
func scanGetUserAvailability(data []byte) (responses []freeBusyResponse, ok bool) {
	s := xmlScanner{data: data}
	root, empty := s.root()
	if s.failed || string(localPart(root)) != "Envelope" {
		return nil, false
	}
	var resp *getUserAvailabilityResponse
	s.children(root, empty, func(name []byte, empty bool) {
		if string(localPart(name)) != "Body" {
			s.skip(name, empty)
			return
		}
		s.children(name, empty, func(name []byte, empty bool) {
			if string(localPart(name)) != "GetUserAvailabilityResponse" {
				s.fail() // a fault, or an answer to something else
				return
			}
			if resp == nil {
				resp = &getUserAvailabilityResponse{}
			}
			resp.XMLName.Local = "GetUserAvailabilityResponse"
			s.children(name, empty, func(name []byte, empty bool) {
				if string(localPart(name)) != "FreeBusyResponseArray" {
					s.skip(name, empty)
					return
				}
				s.children(name, empty, func(name []byte, empty bool) {
					if string(localPart(name)) != "FreeBusyResponse" {
						s.skip(name, empty)
						return
					}
					resp.Responses = append(resp.Responses, freeBusyResponse{})
					s.freeBusyResponse(&resp.Responses[len(resp.Responses)-1], name, empty)
				})
			})
		})
	})
	if s.failed || resp == nil {
		return nil, false
	}
	return resp.Responses, true
}

func (s *xmlScanner) freeBusyResponse(r *freeBusyResponse, name []byte, empty bool) {
	s.children(name, empty, func(name []byte, empty bool) {
		switch string(localPart(name)) {
		case "ResponseMessage":
			s.responseMessage(&r.ResponseMessage, name, empty)
		case "FreeBusyView":
			s.freeBusyView(&r.View, name, empty)
		default:
			s.skip(name, empty)
		}
	})
}

func (s *xmlScanner) responseMessage(m *responseMessage, name []byte, empty bool) {
	for _, a := range s.attrs {
		if string(a.local) == "ResponseClass" {
			m.Class = s.attrValue(a)
		}
	}
	s.children(name, empty, func(name []byte, empty bool) {
		switch string(localPart(name)) {
		case "ResponseCode":
			s.stringValue(name, empty, &m.Code)
		case "MessageText":
			s.stringValue(name, empty, &m.Text)
		case "MessageXml":
			s.children(name, empty, func(name []byte, empty bool) {
				if string(localPart(name)) != "Value" {
					s.skip(name, empty)
					return
				}
				m.MessageXML.Values = append(m.MessageXML.Values, struct {
					Name  string `xml:"Name,attr"`
					Value string `xml:",chardata"`
				}{})
				v := &m.MessageXML.Values[len(m.MessageXML.Values)-1]
				for _, a := range s.attrs {
					if string(a.local) == "Name" {
						v.Name = s.attrValue(a)
					}
				}
				s.stringValue(name, empty, &v.Value)
			})
		default:
			s.skip(name, empty)
		}
	})
}

func (s *xmlScanner) freeBusyView(v *freeBusyView, name []byte, empty bool) {
	s.children(name, empty, func(name []byte, empty bool) {
		switch string(localPart(name)) {
		case "FreeBusyViewType":
			s.stringValue(name, empty, &v.ViewType)
		case "MergedFreeBusy":
			s.stringValue(name, empty, &v.Merged)
		case "CalendarEventArray":
			s.children(name, empty, func(name []byte, empty bool) {
				if string(localPart(name)) != "CalendarEvent" {
					s.skip(name, empty)
					return
				}
				v.Events = append(v.Events, calendarEvent{})
				s.calendarEvent(&v.Events[len(v.Events)-1], name, empty)
			})
		case "WorkingHours":
			if v.WorkingHours == nil {
				v.WorkingHours = &workingHours{}
			}
			s.workingHours(v.WorkingHours, name, empty)
		default:
			s.skip(name, empty)
		}
	})
}

func (s *xmlScanner) calendarEvent(ev *calendarEvent, name []byte, empty bool) {
	s.children(name, empty, func(name []byte, empty bool) {
		switch string(localPart(name)) {
		case "StartTime":
			s.stringValue(name, empty, &ev.StartTime)
		case "EndTime":
			s.stringValue(name, empty, &ev.EndTime)
		case "BusyType":
			s.stringValue(name, empty, &ev.BusyType)
		case "IsPrivate":
			s.boolValue(name, empty, &ev.IsPrivate)
		case "CalendarEventDetails":
			if ev.Details == nil {
				ev.Details = &struct {
					Subject   string `xml:"Subject"`
					Location  string `xml:"Location"`
					IsPrivate bool   `xml:"IsPrivate"`
				}{}
			}
			d := ev.Details
			s.children(name, empty, func(name []byte, empty bool) {
				switch string(localPart(name)) {
				case "Subject":
					s.stringValue(name, empty, &d.Subject)
				case "Location":
					s.stringValue(name, empty, &d.Location)
				case "IsPrivate":
					s.boolValue(name, empty, &d.IsPrivate)
				default:
					s.skip(name, empty)
				}
			})
		default:
			s.skip(name, empty)
		}
	})
}

func (s *xmlScanner) workingHours(w *workingHours, name []byte, empty bool) {
	s.children(name, empty, func(name []byte, empty bool) {
		switch string(localPart(name)) {
		case "TimeZone":
			s.timeZone(&w.TimeZone, name, empty)
		case "WorkingPeriodArray":
			s.children(name, empty, func(name []byte, empty bool) {
				if string(localPart(name)) != "WorkingPeriod" {
					s.skip(name, empty)
					return
				}
				w.Periods = append(w.Periods, workingPeriod{})
				p := &w.Periods[len(w.Periods)-1]
				s.children(name, empty, func(name []byte, empty bool) {
					switch string(localPart(name)) {
					case "DayOfWeek":
						s.stringValue(name, empty, &p.Days)
					case "StartTimeInMinutes":
						s.intValue(name, empty, &p.Start)
					case "EndTimeInMinutes":
						s.intValue(name, empty, &p.End)
					default:
						s.skip(name, empty)
					}
				})
			})
		default:
			s.skip(name, empty)
		}
	})
}

func (s *xmlScanner) timeZone(tz *receivedTimeZone, name []byte, empty bool) {
	s.children(name, empty, func(name []byte, empty bool) {
		switch string(localPart(name)) {
		case "Bias":
			s.intValue(name, empty, &tz.Bias)
		case "StandardTime":
			s.timeZoneRule(&tz.StandardTime, name, empty)
		case "DaylightTime":
			s.timeZoneRule(&tz.DaylightTime, name, empty)
		default:
			s.skip(name, empty)
		}
	})
}

func (s *xmlScanner) timeZoneRule(r *timeZoneRule, name []byte, empty bool) {
	s.children(name, empty, func(name []byte, empty bool) {
		switch string(localPart(name)) {
		case "Bias":
			s.intValue(name, empty, &r.Bias)
		case "Time":
			s.stringValue(name, empty, &r.Time)
		case "DayOrder":
			s.intValue(name, empty, &r.DayOrder)
		case "Month":
			s.intValue(name, empty, &r.Month)
		case "DayOfWeek":
			s.stringValue(name, empty, &r.DayOfWeek)
		default:
			s.skip(name, empty)
		}
	})
}

// xmlScanner walks well-formed XML in a byte slice. On anything it does not
// accept it sets failed and jumps to the end, so every loop stops.
type xmlScanner struct {
	data   []byte
	pos    int
	failed bool
	depth  int
	attrs  []xmlAttr // of the start tag read last
	text   []byte    // scratch for element text
}

type xmlAttr struct {
	local   []byte
	value   []byte // raw, between the quotes
	escaped bool   // value holds entity references
}

// maxScanDepth bounds nesting well below encoding/xml's own limit; deeper
// documents go to encoding/xml.
const maxScanDepth = 256

func (s *xmlScanner) fail() {
	s.failed = true
	s.pos = len(s.data)
}

// root skips the prolog (text and the XML declaration) and reads the root
// element's start tag.
func (s *xmlScanner) root() (name []byte, empty bool) {
	for !s.failed {
		s.chars(-1)
		if s.pos+1 >= len(s.data) {
			s.fail()
			return nil, false
		}
		s.pos++ // '<'
		if s.data[s.pos] != '?' {
			return s.startTag()
		}
		s.xmlDeclaration()
	}
	return nil, false
}

// xmlDeclaration accepts <?xml ...?> with only the parameters encoding/xml
// accepts without a CharsetReader; s.pos is at '?'.
func (s *xmlScanner) xmlDeclaration() {
	rest := s.data[s.pos+1:]
	end := bytes.Index(rest, []byte("?>"))
	if end < 0 || !bytes.HasPrefix(rest, []byte("xml")) {
		s.fail()
		return
	}
	inst := rest[len("xml"):end]
	if len(inst) > 0 && !isSpace(inst[0]) {
		s.fail()
		return
	}
	for _, f := range strings.Fields(string(inst)) {
		switch f {
		case `version="1.0"`, `version='1.0'`,
			`encoding="utf-8"`, `encoding='utf-8'`, `encoding="UTF-8"`, `encoding='UTF-8'`,
			`standalone="yes"`, `standalone='yes'`, `standalone="no"`, `standalone='no'`:
		default:
			s.fail()
			return
		}
	}
	s.pos += 1 + end + len("?>")
}

// startTag reads a start tag's name and attributes; s.pos is just past '<'.
func (s *xmlScanner) startTag() (name []byte, empty bool) {
	name = s.name()
	s.attrs = s.attrs[:0]
	for !s.failed {
		s.space()
		if s.pos >= len(s.data) {
			s.fail()
			break
		}
		switch s.data[s.pos] {
		case '>':
			s.pos++
			return name, false
		case '/':
			if s.pos+1 < len(s.data) && s.data[s.pos+1] == '>' {
				s.pos += 2
				return name, true
			}
			s.fail()
			return nil, false
		}
		attr := s.name()
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != '=' {
			s.fail()
			break
		}
		s.pos++
		s.space()
		if s.pos >= len(s.data) || (s.data[s.pos] != '"' && s.data[s.pos] != '\'') {
			s.fail()
			break
		}
		quote := s.data[s.pos]
		s.pos++
		value, escaped := s.chars(int(quote))
		if s.pos >= len(s.data) {
			s.fail()
			break
		}
		s.pos++ // closing quote
		s.attrs = append(s.attrs, xmlAttr{local: localPart(attr), value: value, escaped: escaped})
	}
	return nil, false
}

// children walks the content of the element name (whose start tag was just
// read) up to its end tag, handing each child element to child, which must
// consume it.
func (s *xmlScanner) children(name []byte, empty bool, child func(name []byte, empty bool)) {
	if !empty {
		s.content(name, child, nil)
	}
}

// skip consumes an element nobody reads, checking it is well formed.
func (s *xmlScanner) skip(name []byte, empty bool) {
	if !empty {
		s.content(name, nil, nil)
	}
}

// content reads up to and including name's end tag. Child elements go to
// child (or are skipped when it is nil); the element's own text is appended
// to text when text is not nil, as encoding/xml collects it for a field.
func (s *xmlScanner) content(name []byte, child func(name []byte, empty bool), text *[]byte) {
	s.depth++
	if s.depth > maxScanDepth {
		s.fail()
	}
	for !s.failed {
		raw, escaped := s.chars(-1)
		if text != nil {
			*text = appendUnescaped(*text, raw, escaped)
		}
		if s.pos+1 >= len(s.data) {
			s.fail()
			break
		}
		s.pos++ // '<'
		switch s.data[s.pos] {
		case '/':
			s.pos++
			if end := s.name(); !bytes.Equal(end, name) {
				s.fail()
				break
			}
			s.space()
			if s.pos >= len(s.data) || s.data[s.pos] != '>' {
				s.fail()
				break
			}
			s.pos++
			s.depth--
			return
		case '!', '?':
			s.fail()
		default:
			n, empty := s.startTag()
			if s.failed {
				break
			}
			if child != nil {
				child(n, empty)
			} else {
				s.skip(n, empty)
			}
		}
	}
}

// chars reads character data up to '<' (quote < 0) or the closing quote,
// checking it the way encoding/xml does.
func (s *xmlScanner) chars(quote int) (raw []byte, escaped bool) {
	start := s.pos
	data := s.data
	for i := s.pos; i < len(data); {
		b := data[i]
		switch {
		case b == '<':
			if quote >= 0 {
				s.fail() // encoding/xml: unescaped < inside quoted string
				return nil, false
			}
			s.pos = i
			return data[start:i], escaped
		case int(b) == quote:
			s.pos = i
			return data[start:i], escaped
		case b == '&':
			n := entityLength(data[i:])
			if n == 0 {
				s.fail()
				return nil, false
			}
			escaped = true
			i += n
		case b >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 || !isXMLChar(r) {
				s.fail()
				return nil, false
			}
			i += size
		case b < 0x20 && b != '\t' && b != '\n':
			// \r is normalised by encoding/xml; leave it that work.
			s.fail()
			return nil, false
		default:
			i++
		}
	}
	s.pos = len(data)
	return data[start:], escaped
}

// name reads an ASCII XML name with at most one colon, not at either end.
func (s *xmlScanner) name() []byte {
	start := s.pos
	colons := 0
	for s.pos < len(s.data) {
		b := s.data[s.pos]
		if b == ':' {
			colons++
		} else if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '.' || b == '-') {
			break
		}
		s.pos++
	}
	n := s.data[start:s.pos]
	if len(n) == 0 || colons > 1 || n[len(n)-1] == ':' ||
		!('a' <= n[0] && n[0] <= 'z' || 'A' <= n[0] && n[0] <= 'Z' || n[0] == '_') {
		s.fail()
		return nil
	}
	return n
}

func (s *xmlScanner) space() {
	for s.pos < len(s.data) && isSpace(s.data[s.pos]) {
		s.pos++
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// localPart drops a namespace prefix, as encoding/xml matches field names.
func localPart(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func (s *xmlScanner) attrValue(a xmlAttr) string {
	if !a.escaped {
		return string(a.value)
	}
	return string(appendUnescaped(nil, a.value, true))
}

// stringValue sets dst to the element's own text, as encoding/xml does for a
// string field (each occurrence replaces the last).
func (s *xmlScanner) stringValue(name []byte, empty bool, dst *string) {
	if empty {
		*dst = ""
		return
	}
	s.text = s.text[:0]
	s.content(name, nil, &s.text)
	*dst = string(s.text)
}

// intValue and boolValue follow encoding/xml: empty text is the zero value,
// otherwise the trimmed text must parse (if not, encoding/xml reports it).
func (s *xmlScanner) intValue(name []byte, empty bool, dst *int) {
	var text string
	s.stringValue(name, empty, &text)
	if text == "" {
		*dst = 0
		return
	}
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		s.fail()
		return
	}
	*dst = int(n)
}

func (s *xmlScanner) boolValue(name []byte, empty bool, dst *bool) {
	var text string
	s.stringValue(name, empty, &text)
	if text == "" {
		*dst = false
		return
	}
	v, err := strconv.ParseBool(strings.TrimSpace(text))
	if err != nil {
		s.fail()
		return
	}
	*dst = v
}

// entityLength is the length of the predefined entity reference at the
// start of b, or 0. Character references go to encoding/xml.
func entityLength(b []byte) int {
	for _, e := range predefinedEntities {
		if bytes.HasPrefix(b, e.ref) {
			return len(e.ref)
		}
	}
	return 0
}

var predefinedEntities = []struct {
	ref []byte
	ch  byte
}{
	{[]byte("&lt;"), '<'}, {[]byte("&gt;"), '>'}, {[]byte("&amp;"), '&'},
	{[]byte("&apos;"), '\''}, {[]byte("&quot;"), '"'},
}

func appendUnescaped(dst, raw []byte, escaped bool) []byte {
	if !escaped {
		return append(dst, raw...)
	}
	for i := 0; i < len(raw); {
		if raw[i] == '&' {
			n := entityLength(raw[i:])
			for _, e := range predefinedEntities {
				if len(e.ref) == n && bytes.HasPrefix(raw[i:], e.ref) {
					dst = append(dst, e.ch)
					break
				}
			}
			i += n
			continue
		}
		dst = append(dst, raw[i])
		i++
	}
	return dst
}

// isXMLChar is the XML Char production for runes outside ASCII.
func isXMLChar(r rune) bool {
	return r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
