package graph

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
)

const photoRoute = "GET /users/{id}/photos/48x48/$value"

func TestFetchPhoto(t *testing.T) {
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3}
	tests := []struct {
		name        string
		etag        string
		handler     http.HandlerFunc
		wantData    bool
		wantETag    string
		notModified bool
		missing     int
		kind        calendar.Kind
	}{
		{name: "a photo with its tag", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/jpeg")
			w.Header().Set("ETag", `W/"abc"`)
			w.Write(jpeg)
		}, wantData: true, wantETag: `W/"abc"`},
		{name: "revalidated: 304 keeps the copy", etag: `W/"abc"`, handler: func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") != `W/"abc"` {
				t.Errorf("If-None-Match %q", r.Header.Get("If-None-Match"))
			}
			w.WriteHeader(http.StatusNotModified)
		}, notModified: true},
		{name: "no photo: 404", handler: func(w http.ResponseWriter, r *http.Request) {
			writeODataError(w, http.StatusNotFound, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.")
		}, missing: http.StatusNotFound},
		{name: "not allowed: 403", handler: func(w http.ResponseWriter, r *http.Request) {
			writeODataError(w, http.StatusForbidden, "ErrorAccessDenied", "Access is denied.")
		}, missing: http.StatusForbidden},
		{name: "throttled for longer than is waited inline", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			writeODataError(w, http.StatusTooManyRequests, "TooManyRequests", "slow down")
		}, kind: calendar.KindThrottled},
		{name: "a 200 with no body", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/jpeg")
		}, kind: calendar.KindTransient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(photoRoute, tt.handler)
			meter := calendar.NewRequestMeter(nil)
			s := newTestSource(t, f, Options{Requests: meter})
			got, err := s.FetchPhoto(context.Background(), calendar.Person{ID: "u-1", Email: "ada@contoso.com"}, tt.etag)
			if n := f.count(photoRoute); n != 1 || meter.Sent() != 1 {
				t.Fatalf("server saw %d requests, the meter counted %d: want 1 each", n, meter.Sent())
			}
			if auth, _ := f.lastAuth.Load().(string); auth != "Bearer test-token" {
				t.Fatalf("Authorization %q", auth)
			}
			var missing *calendar.PhotoMissing
			switch {
			case tt.missing != 0:
				if !errors.As(err, &missing) || missing.Status != tt.missing {
					t.Fatalf("error %v, want PhotoMissing %d", err, tt.missing)
				}
			case tt.kind != calendar.KindOther:
				if calendar.KindOf(err) != tt.kind {
					t.Fatalf("error %v (kind %v), want kind %v", err, calendar.KindOf(err), tt.kind)
				}
			case err != nil:
				t.Fatal(err)
			case tt.notModified:
				if !got.NotModified || len(got.Data) != 0 {
					t.Fatalf("got %+v, want NotModified", got)
				}
			default:
				if string(got.Data) != string(jpeg) || got.ETag != tt.wantETag {
					t.Fatalf("got %d bytes, tag %q; want the photo and %q", len(got.Data), got.ETag, tt.wantETag)
				}
			}
		})
	}
}
