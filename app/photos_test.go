package app

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/graph"
)

// photos = false in the config or the policy turns photos off; the policy's
// value wins and locks the key; without the key photos are on.
func TestPhotosSetting(t *testing.T) {
	tests := []struct {
		name, user, policy string
		want, locked       bool
	}{
		{"on by default", validM365, "", true, false},
		{"off in the config", "photos = false\n" + validM365, "", false, false},
		{"off in the policy, on in the config", "photos = true\n" + validM365, "photos = false\n", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, tt.user)
			if tt.policy != "" {
				write(t, p.PolicyFile, tt.policy)
			}
			l, err := LoadConfig(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if l.Config.Photos != tt.want || l.IsLocked("photos") != tt.locked {
				t.Fatalf("photos = %v (locked %v), want %v (locked %v)", l.Config.Photos, l.IsLocked("photos"), tt.want, tt.locked)
			}
			env := &Env{Paths: p, Logger: discardLogger()}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if photos := env.startPhotos(ctx, l.Config); (photos != nil) != tt.want || (photoSource(photos) != nil) != tt.want {
				t.Fatalf("photo cache %v with photos = %v", photos, tt.want)
			}
		})
	}
}

// Which server photos come from: Graph and Exchange 2013+ are asked, with
// the server in the scope; Exchange 2010, and photos off, are asked nothing.
func TestPhotoFetcherOf(t *testing.T) {
	src, err := graph.New(graph.Options{Token: graph.StaticToken("t"), GraphURL: "https://graph.example.test/v1.0"})
	if err != nil {
		t.Fatal(err)
	}
	on := DefaultConfig()
	on.Microsoft365.GraphURL = "https://graph.example.test/v1.0"
	off := on
	off.Photos = false
	if f, scope := photoFetcherOf(on, src); f == nil || scope != "graph https://graph.example.test/v1.0" {
		t.Fatalf("Graph: fetcher %v, scope %q", f, scope)
	}
	if f, _ := photoFetcherOf(off, src); f != nil {
		t.Fatal("photos = false still fetches")
	}
	exchange2010 := on
	exchange2010.Provider, exchange2010.EWS.Version = ProviderEWS, "Exchange2010_SP2"
	if f, _ := photoFetcherOf(exchange2010, fetchingSource{}); f != nil {
		t.Fatal("GetUserPhoto asked of Exchange 2010")
	}
	exchange2013 := exchange2010
	exchange2013.EWS.Version, exchange2013.EWS.URL = "Exchange2013_SP1", "https://mail.example.test/EWS/Exchange.asmx"
	if f, scope := photoFetcherOf(exchange2013, fetchingSource{}); f == nil || scope != "ews https://mail.example.test/EWS/Exchange.asmx" {
		t.Fatalf("Exchange 2013: fetcher %v, scope %q", f, scope)
	}
}

// fetchingSource is a Source with photos.
type fetchingSource struct{ calendar.Source }

func (fetchingSource) FetchPhoto(context.Context, calendar.Person, string) (calendar.Photo, error) {
	return calendar.Photo{}, nil
}

func TestCacheDirFollowsXDG(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("XDG_CACHE_HOME is the cache folder of Linux and the BSDs")
	}
	p := DefaultPaths(func(k string) string { return map[string]string{"XDG_CACHE_HOME": "/cache"}[k] })
	if filepath.ToSlash(p.CacheDir) != "/cache/frontdesk" {
		t.Fatalf("CacheDir %q, want /cache/frontdesk", p.CacheDir)
	}
}
