package ews

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The scanner must take the answers Exchange really sends, or the speed-up
// is lost without anything failing.
func TestScanTakesUsualAnswers(t *testing.T) {
	hundred, _ := hundredMailboxes()
	documented, err := os.ReadFile(filepath.Join("testdata", "getuseravailability.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"documented answer", documented},
		{"100 mailboxes", hundred},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := scanGetUserAvailability(tc.data)
			if !ok {
				t.Fatal("scanner handed a usual answer to encoding/xml")
			}
			want, err := unmarshalGetUserAvailability(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("scanner and encoding/xml disagree:\n%+v\n%+v", got, want)
			}
		})
	}
}

// Inputs where the scanner must step aside (or agree), each a place where a
// byte scanner easily differs from encoding/xml.
func TestScanAgreesWithEncodingXML(t *testing.T) {
	const head = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="x"><s:Body><GetUserAvailabilityResponse><FreeBusyResponseArray>`
	const tail = `</FreeBusyResponseArray></GetUserAvailabilityResponse></s:Body></s:Envelope>`
	for _, tc := range []struct {
		name  string
		scans bool // the scanner reads it rather than encoding/xml
		body  string
	}{
		{"entities", true, `<FreeBusyResponse><FreeBusyView><CalendarEventArray><CalendarEvent><CalendarEventDetails><Subject>a &amp; b &lt;c&gt; &quot;&apos;</Subject></CalendarEventDetails></CalendarEvent></CalendarEventArray></FreeBusyView></FreeBusyResponse>`},
		{"character reference", false, `<FreeBusyResponse><FreeBusyView><MergedFreeBusy>&#48;0</MergedFreeBusy></FreeBusyView></FreeBusyResponse>`},
		{"carriage return", false, "<FreeBusyResponse><FreeBusyView><MergedFreeBusy>00\r\n</MergedFreeBusy></FreeBusyView></FreeBusyResponse>"},
		{"CDATA", false, `<FreeBusyResponse><FreeBusyView><MergedFreeBusy><![CDATA[00]]></MergedFreeBusy></FreeBusyView></FreeBusyResponse>`},
		{"comment", false, `<FreeBusyResponse><!-- x --><FreeBusyView><MergedFreeBusy>0</MergedFreeBusy></FreeBusyView></FreeBusyResponse>`},
		{"mismatched end tag", false, `<FreeBusyResponse><FreeBusyView></FreeBusyResponse></FreeBusyView>`},
		{"prefix mismatch", false, `<t:FreeBusyResponse></u:FreeBusyResponse>`},
		{"bad int", false, `<FreeBusyResponse><FreeBusyView><WorkingHours><TimeZone><Bias>x</Bias></TimeZone></WorkingHours></FreeBusyView></FreeBusyResponse>`},
		{"blank int", false, `<FreeBusyResponse><FreeBusyView><WorkingHours><TimeZone><Bias> </Bias></TimeZone></WorkingHours></FreeBusyView></FreeBusyResponse>`},
		{"empty int", true, `<FreeBusyResponse><FreeBusyView><WorkingHours><TimeZone><Bias></Bias></TimeZone></WorkingHours></FreeBusyView></FreeBusyResponse>`},
		{"bad bool", false, `<FreeBusyResponse><FreeBusyView><CalendarEventArray><CalendarEvent><IsPrivate>yes</IsPrivate></CalendarEvent></CalendarEventArray></FreeBusyView></FreeBusyResponse>`},
		{"repeated elements merge", true, `<FreeBusyResponse><ResponseMessage ResponseClass="Error"><ResponseCode>A</ResponseCode></ResponseMessage><ResponseMessage><MessageText>t</MessageText></ResponseMessage><FreeBusyView><WorkingHours><TimeZone><Bias>1</Bias></TimeZone></WorkingHours><WorkingHours/></FreeBusyView></FreeBusyResponse>`},
		{"nested text ignored", true, `<FreeBusyResponse><FreeBusyView><MergedFreeBusy>0<x>9</x>2</MergedFreeBusy></FreeBusyView></FreeBusyResponse>`},
		{"attributes", true, `<FreeBusyResponse><ResponseMessage a:ResponseClass='Er&amp;r' ResponseClass = "Error" ><MessageXml><t:Value Name="BackOffMilliseconds">5</t:Value></MessageXml></ResponseMessage></FreeBusyResponse>`},
		{"unescaped < in attribute", false, `<FreeBusyResponse><ResponseMessage ResponseClass="<"/></FreeBusyResponse>`},
		{"non-ASCII text", true, `<FreeBusyResponse><FreeBusyView><CalendarEventArray><CalendarEvent><CalendarEventDetails><Location>Zürich ☃</Location></CalendarEventDetails></CalendarEvent></CalendarEventArray></FreeBusyView></FreeBusyResponse>`},
		{"invalid UTF-8", false, "<FreeBusyResponse><FreeBusyView><MergedFreeBusy>\xff</MergedFreeBusy></FreeBusyView></FreeBusyResponse>"},
		{"control character", false, "<FreeBusyResponse><FreeBusyView><MergedFreeBusy>\x01</MergedFreeBusy></FreeBusyView></FreeBusyResponse>"},
		{"truncated", false, `<FreeBusyResponse><FreeBusyView>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if scanned := assertScanAgrees(t, []byte(head+tc.body+tail)); scanned != tc.scans {
				t.Errorf("scanner took it: %v, want %v", scanned, tc.scans)
			}
		})
	}
	for _, tc := range []struct {
		scans bool
		doc   string
	}{
		{false, `<Envelope><Body><Fault><faultcode>a:ErrorServerBusy</faultcode></Fault></Body></Envelope>`},
		{false, `<Envelope><Body><GetMailTipsResponse/></Body></Envelope>`},
		{false, `<?xml version="1.1"?><Envelope><Body><GetUserAvailabilityResponse/></Body></Envelope>`},
		{false, `<?xml version="1.0" encoding="latin1"?><Envelope><Body><GetUserAvailabilityResponse/></Body></Envelope>`},
		{true, `<Envelope><Body><GetUserAvailabilityResponse/></Body></Envelope> trailing <junk`},
		{true, `text before <Envelope><Body><GetUserAvailabilityResponse/></Body><Body><GetUserAvailabilityResponse><FreeBusyResponseArray><FreeBusyResponse/></FreeBusyResponseArray></GetUserAvailabilityResponse></Body></Envelope>`},
		{false, `<Other><Body><GetUserAvailabilityResponse/></Body></Other>`},
		{false, `<a:b:Envelope/>`},
		{false, strings.Repeat("<Envelope>", 300)},
	} {
		t.Run(tc.doc[:min(len(tc.doc), 40)], func(t *testing.T) {
			if scanned := assertScanAgrees(t, []byte(tc.doc)); scanned != tc.scans {
				t.Errorf("scanner took it: %v, want %v", scanned, tc.scans)
			}
		})
	}
}

// assertScanAgrees: whatever the scanner accepts, encoding/xml accepts too
// and reads the same. It says whether the scanner took the input.
func assertScanAgrees(t *testing.T, data []byte) bool {
	t.Helper()
	got, ok := scanGetUserAvailability(data)
	if !ok {
		return false
	}
	want, err := unmarshalGetUserAvailability(data)
	if err != nil {
		t.Fatalf("scanner accepted what encoding/xml rejects (%v): %q", err, data)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("scanner and encoding/xml disagree on %q:\n%+v\n%+v", data, got, want)
	}
	return true
}

func FuzzScanGetUserAvailability(f *testing.F) {
	addFixtures(f)
	f.Add([]byte(`<Envelope><Body><GetUserAvailabilityResponse><FreeBusyResponseArray><FreeBusyResponse><ResponseMessage ResponseClass="Success"/><FreeBusyView><WorkingHours><TimeZone><Bias>480</Bias></TimeZone><WorkingPeriodArray><WorkingPeriod><DayOfWeek>Monday</DayOfWeek><StartTimeInMinutes>480</StartTimeInMinutes></WorkingPeriod></WorkingPeriodArray></WorkingHours></FreeBusyView></FreeBusyResponse></FreeBusyResponseArray></GetUserAvailabilityResponse></Body></Envelope>`))
	f.Fuzz(func(t *testing.T, data []byte) { _ = assertScanAgrees(t, data) })
}
