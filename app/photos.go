package app

import (
	"context"
	"path/filepath"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/graph"
	"github.com/frontdesk-app/frontdesk/ews"
	"github.com/frontdesk-app/frontdesk/ui"
)

// PhotoFolder is where colleagues' photos are kept, under the cache folder.
const PhotoFolder = "photos"

// startPhotos is the console's photo cache, fetching until ctx ends; nil
// when photos = false (config or policy): then nothing is asked and the
// console shows no pictures.
func (env *Env) startPhotos(ctx context.Context, cfg Config) *calendar.PhotoCache {
	if !cfg.Photos {
		return nil
	}
	dir := ""
	if env.Paths.CacheDir != "" {
		dir = filepath.Join(env.Paths.CacheDir, PhotoFolder)
	}
	photos := calendar.NewPhotoCache(calendar.PhotoCacheOptions{Dir: dir, Logger: env.Logger})
	go photos.Run(ctx)
	return photos
}

// photoSource is photos as the console's PhotoSource: nil stays nil (an
// interface holding a nil pointer would not).
func photoSource(photos *calendar.PhotoCache) ui.PhotoSource {
	if photos == nil {
		return nil
	}
	return photos
}

// usePhotosOf points photos at src's server when cfg has photos on and the
// server has them (Graph; Exchange 2013 and later); the demo company draws
// some of its own. A server without photos is asked nothing: initials.
func usePhotosOf(photos *calendar.PhotoCache, cfg Config, src calendar.Source) {
	if photos == nil {
		return
	}
	fetcher, scope := photoFetcherOf(cfg, src)
	photos.SetFetcher(fetcher, scope)
}

func photoFetcherOf(cfg Config, src calendar.Source) (calendar.PhotoFetcher, string) {
	f, ok := src.(calendar.PhotoFetcher)
	if !cfg.Photos || !ok || src == nil {
		return nil, cfg.Provider
	}
	switch cfg.Provider {
	case ProviderM365:
		base, err := graph.BaseURL(cfg.Microsoft365.Cloud, cfg.Microsoft365.GraphURL)
		if err != nil {
			return nil, cfg.Provider
		}
		return f, "graph " + base
	case ProviderEWS:
		if !ews.PhotosAvailable(cfg.EWS.Version) {
			return nil, cfg.Provider
		}
		return f, "ews " + cfg.EWS.URL
	case ProviderDemo:
		return f, "demo"
	}
	return nil, cfg.Provider
}
