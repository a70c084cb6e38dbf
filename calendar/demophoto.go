package calendar

import (
	"bytes"
	"context"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
)

var _ PhotoFetcher = (*Demo)(nil)

// FetchPhoto gives about one demo colleague in three a drawn head-and-
// shoulders picture, the others none (initials), without any network.
func (d *Demo) FetchPhoto(_ context.Context, p Person, etag string) (Photo, error) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(p.Key())))
	sum := h.Sum32()
	if sum%3 != 0 {
		return Photo{}, &PhotoMissing{Status: http.StatusNotFound}
	}
	const tag = `"demo-1"`
	if etag == tag {
		return Photo{NotModified: true, ETag: tag}, nil
	}
	return Photo{Data: demoPicture(sum), ETag: tag}, nil
}

// demoPicture draws a silhouette on a muted background, both from seed.
func demoPicture(seed uint32) []byte {
	const side = 48
	bg := color.NRGBA{R: uint8(90 + seed>>8%100), G: uint8(110 + seed>>16%80), B: uint8(130 + seed>>24%90), A: 255}
	fg := color.NRGBA{R: 235, G: 225, B: uint8(205 + seed%40), A: 255}
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			dx, dy := float64(x)-23.5, float64(y)-18
			head := dx*dx+dy*dy < 90
			sx, sy := float64(x)-23.5, float64(y)-50
			shoulders := sx*sx/380+sy*sy/300 < 1
			if head || shoulders {
				img.SetNRGBA(x, y, fg)
			} else {
				img.SetNRGBA(x, y, bg)
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
