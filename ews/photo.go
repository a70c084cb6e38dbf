package ews

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// PhotosAvailable reports whether a server of this RequestServerVersion has
// GetUserPhoto: Exchange 2013 and later.
func PhotosAvailable(version string) bool { return strings.HasPrefix(version, "Exchange2013") }

// photoSize is the size asked of GetUserPhoto: 48x48, as Graph's.
const photoSize = "HR48x48"

type getUserPhotoRequest struct {
	XMLName xml.Name `xml:"m:GetUserPhoto"`
	Email   string   `xml:"m:Email"`
	Size    string   `xml:"m:SizeRequested"`
}

type getUserPhotoResponse struct {
	XMLName xml.Name `xml:"GetUserPhotoResponse"`
	responseMessage
	HasChanged  string `xml:"HasChanged"`
	PictureData string `xml:"PictureData"`
}

// Response codes that mean there is no photo to read for this colleague.
var (
	photoNotFoundCodes  = []string{"ErrorItemNotFound", "ErrorNonExistentMailbox", "ErrorMailRecipientNotFound", "ErrorInvalidSmtpAddress"}
	photoForbiddenCodes = []string{"ErrorAccessDenied"}
)

// GetUserPhoto fetches email's 48x48 photo; etag, when not empty, goes as
// If-None-Match and a 304 (or HasChanged false) says the copy is current.
func (c *Client) GetUserPhoto(ctx context.Context, email, etag string) (calendar.Photo, error) {
	const op = "ews.GetUserPhoto"
	header := http.Header{}
	if etag != "" {
		header.Set("If-None-Match", etag)
	}
	body, answer, err := c.exchange(ctx, "GetUserPhoto", getUserPhotoRequest{Email: email, Size: photoSize}, header)
	if answer != nil {
		switch answer.StatusCode {
		case http.StatusNotModified:
			if err == nil && etag != "" {
				return calendar.Photo{NotModified: true, ETag: etag}, nil
			}
		case http.StatusNotFound:
			return calendar.Photo{}, &calendar.PhotoMissing{Status: http.StatusNotFound}
		case http.StatusForbidden:
			return calendar.Photo{}, &calendar.PhotoMissing{Status: http.StatusForbidden}
		}
	}
	var mbx *MailboxError
	if errors.As(err, &mbx) {
		if missing := photoMissingCode(mbx.Code); missing != nil {
			return calendar.Photo{}, missing
		}
	}
	var ce *calendar.Error
	if errors.As(err, &ce) {
		if missing := photoMissingCode(ce.Code); missing != nil {
			return calendar.Photo{}, missing
		}
	}
	if err != nil {
		return calendar.Photo{}, err
	}
	resp, fault, err := decodeEnvelope(body, "GetUserPhotoResponse", func(r *getUserPhotoResponse) xml.Name { return r.XMLName })
	if err != nil {
		return calendar.Photo{}, parseError("GetUserPhoto", err)
	}
	if fault != nil {
		if missing := photoMissingCode(fault.ResponseCode()); missing != nil {
			return calendar.Photo{}, missing
		}
		return calendar.Photo{}, faultError(op, fault)
	}
	if err := throttledMessage(op, resp.responseMessage); err != nil {
		return calendar.Photo{}, err
	}
	if resp.isError() {
		if missing := photoMissingCode(resp.Code); missing != nil {
			return calendar.Photo{}, missing
		}
		return calendar.Photo{}, &calendar.Error{Kind: calendar.KindOther, Op: op, Code: strings.TrimSpace(resp.Code), Err: resp.err()}
	}
	newTag := ""
	if answer != nil {
		newTag = answer.Header.Get("ETag")
	}
	if strings.EqualFold(strings.TrimSpace(resp.HasChanged), "false") && etag != "" {
		return calendar.Photo{NotModified: true, ETag: etag}, nil
	}
	data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(resp.PictureData), ""))
	if err != nil {
		return calendar.Photo{}, parseError("GetUserPhoto", err)
	}
	if len(data) == 0 {
		return calendar.Photo{}, &calendar.PhotoMissing{Status: http.StatusNotFound}
	}
	return calendar.Photo{Data: data, ETag: newTag}, nil
}

func photoMissingCode(code string) *calendar.PhotoMissing {
	code = strings.TrimSpace(code)
	switch {
	case code == "":
		return nil
	case slices.Contains(photoNotFoundCodes, code):
		return &calendar.PhotoMissing{Status: http.StatusNotFound}
	case slices.Contains(photoForbiddenCodes, code):
		return &calendar.PhotoMissing{Status: http.StatusForbidden}
	}
	return nil
}

var _ calendar.PhotoFetcher = (*Source)(nil)

// FetchPhoto is GetUserPhoto for p, on Exchange 2013 and later; an older
// server has no photos to give.
func (s *Source) FetchPhoto(ctx context.Context, p calendar.Person, etag string) (calendar.Photo, error) {
	if !PhotosAvailable(s.client.Version()) || p.Email == "" {
		return calendar.Photo{}, &calendar.PhotoMissing{Status: http.StatusNotFound}
	}
	return s.client.GetUserPhoto(ctx, p.Email, etag)
}
