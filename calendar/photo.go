package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"sync"
	"time"
)

// Photo is one answer to a photo request.
type Photo struct {
	// Data is the image as the server sent it (JPEG or PNG); empty when NotModified.
	Data []byte
	// ETag is the server's tag for Data, sent back as If-None-Match to revalidate.
	ETag string
	// NotModified: the photo of the ETag asked with is still current (HTTP 304).
	NotModified bool
}

// PhotoFetcher is implemented by sources that can fetch a colleague's photo:
// Graph /users/{id}/photos/48x48/$value, EWS GetUserPhoto. etag is the tag
// of the copy on disk, "" when there is none. A colleague with no photo, or
// whose photo the operator may not read, is a *PhotoMissing.
type PhotoFetcher interface {
	FetchPhoto(ctx context.Context, p Person, etag string) (Photo, error)
}

// PhotoMissing is a photo the server says is not there (404) or not the
// operator's to read (403). Asking again on the next refresh would get the
// same answer: the cache remembers it for a day.
type PhotoMissing struct {
	Status int // http.StatusNotFound or http.StatusForbidden
}

func (e *PhotoMissing) Error() string {
	if e.Status == http.StatusForbidden {
		return "photo not readable with this account (403)"
	}
	return "no photo (404)"
}

// Photo limits.
const (
	// PhotoRequestsPerMinute is the most photo requests that leave in any minute,
	// whatever the operator scrolls through.
	PhotoRequestsPerMinute = 30
	// PhotoRequestsPerWindow is what photos can add to the mailbox budget in
	// one MailboxRequestWindow at most; it fits in the headroom PlanBudget
	// leaves between PlannedRequestShare and HardRequestCeiling.
	PhotoRequestsPerWindow = PhotoRequestsPerMinute * int(MailboxRequestWindow/time.Minute)
	// PhotoRevalidateAfter is how long a photo on disk, or a photo the server
	// said is missing, is taken as it is before the server is asked again.
	PhotoRevalidateAfter = 24 * time.Hour
	// MaxPhotoBytes caps what one photo may be: a 48x48 JPEG is 1-3 KB.
	MaxPhotoBytes = 256 << 10
	// maxPhotoSide caps the pixels a photo may claim before it is decoded, so
	// a small file announcing a huge image cannot take the memory.
	maxPhotoSide = 1024
	// PhotoSide is the side photos are kept at in memory: the 48x48 source.
	PhotoSide = 48
)

// ErrNotAPhoto is why bytes are no photo Frontdesk shows.
var ErrNotAPhoto = errors.New("not a JPEG or PNG photo")

// DecodePhoto reads a JPEG or PNG of at most MaxPhotoBytes and at most
// maxPhotoSide pixels a side, scaled down to at most PhotoSide. Anything
// else, and any decoder failure (a panic included), is an error: the
// colleague gets their initials.
func DecodePhoto(data []byte) (img image.Image, err error) {
	if len(data) == 0 || len(data) > MaxPhotoBytes {
		return nil, fmt.Errorf("%w: %d bytes", ErrNotAPhoto, len(data))
	}
	var decodeConfig func([]byte) (image.Config, error)
	var decode func([]byte) (image.Image, error)
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		decodeConfig = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		decodeConfig = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	default:
		return nil, ErrNotAPhoto
	}
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("%w: decoder failed: %v", ErrNotAPhoto, r)
		}
	}()
	cfg, err := decodeConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotAPhoto, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxPhotoSide || cfg.Height > maxPhotoSide {
		return nil, fmt.Errorf("%w: %dx%d pixels", ErrNotAPhoto, cfg.Width, cfg.Height)
	}
	img, err = decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotAPhoto, err)
	}
	return shrink(img, PhotoSide), nil
}

// shrink scales img down to at most side pixels a side by averaging boxes,
// and copies it into an RGBA of its own either way: the decoder's buffers
// (YCbCr planes) go to the garbage collector.
func shrink(img image.Image, side int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := max((max(w, h)+side-1)/side, 1)
	ow, oh := max(w/scale, 1), max(h/scale, 1)
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := range oh {
		for x := range ow {
			var r, g, bl, a, n uint32
			for dy := range scale {
				for dx := range scale {
					sx, sy := b.Min.X+x*scale+dx, b.Min.Y+y*scale+dy
					if sx >= b.Max.X || sy >= b.Max.Y {
						continue
					}
					cr, cg, cb, ca := img.At(sx, sy).RGBA()
					r, g, bl, a, n = r+cr, g+cg, bl+cb, a+ca, n+1
				}
			}
			i := out.PixOffset(x, y)
			out.Pix[i+0] = uint8(r / n >> 8)
			out.Pix[i+1] = uint8(g / n >> 8)
			out.Pix[i+2] = uint8(bl / n >> 8)
			out.Pix[i+3] = uint8(a / n >> 8)
		}
	}
	return out
}

// PhotoLimiter lets at most Max photo requests leave in any Per. It is safe
// for concurrent use.
type PhotoLimiter struct {
	Max int
	Per time.Duration

	mu   sync.Mutex
	sent []time.Time // oldest first, at most Max
}

// NewPhotoLimiter is the limiter of PhotoRequestsPerMinute.
func NewPhotoLimiter() *PhotoLimiter {
	return &PhotoLimiter{Max: PhotoRequestsPerMinute, Per: time.Minute}
}

// Reserve records a request leaving at now and returns 0, or returns how
// long to wait before one may leave (and records nothing).
func (l *PhotoLimiter) Reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.sent) > 0 && !l.sent[0].Add(l.Per).After(now) {
		l.sent = l.sent[1:]
	}
	if len(l.sent) >= l.Max {
		return l.sent[0].Add(l.Per).Sub(now)
	}
	l.sent = append(l.sent, now)
	return 0
}
