package ews

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// photoError is a GetUserPhoto answer with ResponseClass Error and code.
func photoError(code string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<GetUserPhotoResponse ResponseClass="Error" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
<MessageText>The specified object was not found in the store.</MessageText><ResponseCode>` + code + `</ResponseCode>
<HasChanged>false</HasChanged><PictureData/></GetUserPhotoResponse></s:Body></s:Envelope>`
}

func TestGetUserPhoto(t *testing.T) {
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7}
	tests := []struct {
		name        string
		etag        string
		answer      ewstest.Answer
		wantData    bool
		notModified bool
		missing     int
		kind        calendar.Kind
	}{
		{name: "the documented answer with its ETag", answer: ewstest.Answer{Body: ewstest.UserPhotoAnswer(jpeg), Header: http.Header{"Etag": {`"b2"`}}}, wantData: true},
		{name: "304 to If-None-Match keeps the copy", etag: `"b2"`, answer: ewstest.Answer{Status: http.StatusNotModified}, notModified: true},
		{name: "no photo: ErrorItemNotFound", answer: ewstest.Answer{Body: photoError("ErrorItemNotFound")}, missing: http.StatusNotFound},
		{name: "no photo: HTTP 404", answer: ewstest.Answer{Status: http.StatusNotFound}, missing: http.StatusNotFound},
		{name: "not allowed: ErrorAccessDenied", answer: ewstest.Answer{Body: photoError("ErrorAccessDenied")}, missing: http.StatusForbidden},
		{name: "server busy", answer: ewstest.Answer{Status: http.StatusServiceUnavailable}, kind: calendar.KindThrottled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer { return tt.answer })
			src, err := NewSource(SourceOptions{Client: c})
			if err != nil {
				t.Fatal(err)
			}
			got, err := src.FetchPhoto(context.Background(), calendar.Person{Email: "sadie@contoso.com"}, tt.etag)
			reqs := rs.Requests()
			if len(reqs) != 1 || reqs[0].Operation != "GetUserPhoto" || reqs[0].PhotoEmail != "sadie@contoso.com" || reqs[0].PhotoSize != "HR48x48" || reqs[0].IfNoneMatch != tt.etag {
				t.Fatalf("requests %+v, want one GetUserPhoto of sadie@ at HR48x48 with If-None-Match %q", reqs, tt.etag)
			}
			var missing *calendar.PhotoMissing
			switch {
			case tt.missing != 0:
				if !errors.As(err, &missing) || missing.Status != tt.missing {
					t.Fatalf("error %v, want PhotoMissing %d", err, tt.missing)
				}
			case tt.kind != calendar.KindOther:
				if calendar.KindOf(err) != tt.kind {
					t.Fatalf("error %v, want kind %v", err, tt.kind)
				}
			case err != nil:
				t.Fatal(err)
			case tt.notModified:
				if !got.NotModified {
					t.Fatalf("got %+v, want NotModified", got)
				}
			default:
				if string(got.Data) != string(jpeg) || got.ETag != `"b2"` {
					t.Fatalf("got %d bytes, tag %q", len(got.Data), got.ETag)
				}
			}
		})
	}
}

// Exchange 2010 has no GetUserPhoto: nothing is sent.
func TestNoPhotoRequestBeforeExchange2013(t *testing.T) {
	if PhotosAvailable("Exchange2010_SP2") || !PhotosAvailable("Exchange2013_SP1") {
		t.Fatal("PhotosAvailable disagrees with GetUserPhoto's documented versions")
	}
}
