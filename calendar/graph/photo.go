package graph

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/frontdesk-app/frontdesk/calendar"
)

var _ calendar.PhotoFetcher = (*Source)(nil)

// FetchPhoto is GET /users/{id}/photos/48x48/$value, with If-None-Match when
// a copy is kept. It goes through the same adapter as everything else: the
// token, the kiota retry handler (the one retry layer), the origin checks and
// the request meter, so photos count in the mailbox budget. User.ReadBasic.All,
// already asked for the directory, reads colleagues' photos.
func (s *Source) FetchPhoto(ctx context.Context, p calendar.Person, etag string) (calendar.Photo, error) {
	const op = "graph.photo"
	id := p.ID
	if id == "" {
		id = p.Email
	}
	if id == "" {
		return calendar.Photo{}, &calendar.PhotoMissing{Status: http.StatusNotFound}
	}
	u, err := s.endpoint("/users/"+url.PathEscape(id)+"/photos/48x48/$value", nil)
	if err != nil {
		return calendar.Photo{}, &calendar.Error{Kind: calendar.KindOther, Op: op, Err: err}
	}
	ri := abs.NewRequestInformation()
	ri.Method = abs.GET
	ri.SetUri(*u)
	// Errors come as JSON (Graph's OData error), photos as images.
	ri.Headers.Add("Accept", "image/jpeg, image/png, application/json;q=0.5")
	if etag != "" {
		ri.Headers.Add("If-None-Match", etag)
	}
	handoff := &answerHandoff{binary: true}
	_, err = s.adapter.SendPrimitive(context.WithValue(ctx, answerHandoffKey{}, handoff), ri, "[]byte", odataErrors)
	data, release := handoff.take()
	defer release()
	switch handoff.status {
	case http.StatusNotFound, http.StatusForbidden:
		return calendar.Photo{}, &calendar.PhotoMissing{Status: handoff.status}
	case http.StatusNotModified:
		if etag != "" {
			return calendar.Photo{NotModified: true, ETag: etag}, nil
		}
	}
	if err != nil {
		return calendar.Photo{}, classify(op, err)
	}
	if handoff.status != http.StatusOK || len(data) == 0 {
		return calendar.Photo{}, calendar.NewUnreadableAnswer(op, handoff.status, errEmptyAnswer)
	}
	// The buffer goes back to the pool: the cache keeps its own copy.
	return calendar.Photo{Data: slices.Clone(data), ETag: handoff.etag}, nil
}
