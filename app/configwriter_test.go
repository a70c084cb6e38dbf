package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/frontdesk-app/frontdesk/ui"
)

// blockWriter holds the config writer on an edit until the returned release
// is called, so what is submitted meanwhile queues behind it.
func blockWriter(t *testing.T, w *configWriter) (release func()) {
	t.Helper()
	gate, running := make(chan struct{}), make(chan struct{})
	w.submit(func(*Loaded, error) (Config, error) {
		close(running)
		<-gate
		return Config{}, errNothingToWrite
	})
	<-running
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release)
	return release
}

// waitQueued returns once n edits wait in the writer's queue.
func waitQueued(w *configWriter, n int) {
	for {
		w.mu.Lock()
		queued := len(w.queue)
		w.mu.Unlock()
		if queued >= n {
			return
		}
		runtime.Gosched()
	}
}

// Stars clicked quickly and a Settings Save in between land in the order they
// were made, each on the file as the one before left it: the last star's
// favourites and the Save's interval are both in the file. Before the writer,
// each star was its own unlocked load-modify-write in a goroutine and Save
// wrote the favourites the form opened with, dropping the stars.
func TestConfigWritesLandInOrderAndNothingIsLost(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, validEWS)
	form := ws.Form().Values // opened before the stars: favourites empty
	env := ws.env
	w := env.configWriter()
	release := blockWriter(t, w)

	var favourites []string
	var pending []*pendingEdit
	star := func(key string) { // as the console does on the Fyne goroutine, in click order
		if i := slices.Index(favourites, key); i >= 0 {
			favourites = slices.Delete(favourites, i, i+1)
		} else {
			favourites = append(favourites, key)
		}
		pending = append(pending, env.queueFavourites(favourites))
	}
	for i := range 40 {
		star(fmt.Sprintf("c%02d@contoso.com", i%7))
	}
	saved := make(chan error, 1)
	form.RefreshInterval = "2m"
	go func() { saved <- ws.Save(context.Background(), form) }()
	waitQueued(w, len(pending)+1)
	for i := range 41 {
		star(fmt.Sprintf("c%02d@contoso.com", (i*3)%11))
	}
	release()
	for i, p := range pending {
		if err := p.wait(context.Background()); err != nil {
			t.Fatalf("star %d: %v", i, err)
		}
	}
	if err := <-saved; err != nil {
		t.Fatalf("Save: %v", err)
	}
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Config.People.Favourites; !slices.Equal(got, favourites) {
		t.Errorf("favourites on disk %v, want the last star's %v", got, favourites)
	}
	if got := l.Config.RefreshInterval.Duration.String(); got != "2m0s" {
		t.Errorf("refresh_interval on disk %s, want Save's 2m0s", got)
	}
	if !slices.Equal(l.Config.People.Emails, []string{"ada@contoso.com"}) || l.Config.EWS.Username != "reception@contoso.com" {
		t.Errorf("other keys lost: %+v", l.Config)
	}
}

// Many stars from many goroutines and Saves at once (under -race): every write
// is whole, the file always loads, and the Save's change survives the stars.
func TestConcurrentConfigWritesKeepTheFileWhole(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, validEWS)
	form := ws.Form().Values
	form.RefreshInterval = "3m"
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				if err := ws.env.saveFavourites(context.Background(), []string{fmt.Sprintf("g%d-%d@contoso.com", g, i)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() {
		if err := ws.Save(context.Background(), form); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Config.People.Favourites) != 1 || l.Config.RefreshInterval.Duration.String() != "3m0s" {
		t.Errorf("favourites %v, interval %s; want one star and Save's 3m0s", l.Config.People.Favourites, l.Config.RefreshInterval.Duration)
	}
}

// Settings' Save waits for the writer only as long as its context: cancelled
// while a slow write holds the file, it returns ctx.Err() at once, and its
// change never reaches the file later behind the operator's back.
func TestSaveGivesUpWhenItsContextEnds(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, validEWS)
	form := ws.Form().Values
	form.RefreshInterval = "5m"
	w := ws.env.configWriter()
	release := blockWriter(t, w)

	ctx, cancel := context.WithCancel(context.Background())
	saved := make(chan error, 1)
	go func() { saved <- ws.Save(ctx, form) }()
	waitQueued(w, 1)
	cancel()
	if err := <-saved; !errors.Is(err, context.Canceled) {
		t.Fatalf("Save returned %v, want context.Canceled", err)
	}
	release()
	// One more edit through the queue: the dropped Save would have run before it.
	if err := ws.env.saveFavourites(context.Background(), []string{"ada@contoso.com"}); err != nil {
		t.Fatal(err)
	}
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Config.RefreshInterval.Duration.String(); got != "1m0s" {
		t.Errorf("refresh_interval %s: the cancelled Save was written anyway", got)
	}
}

// A star on a config.toml that does not load leaves the file alone (the
// console runs on the last good one), while Settings' Save replaces it.
func TestABrokenConfigFileIsKeptByStarsAndFixedBySave(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, validEWS)
	form := ws.Form().Values
	broken := "provider = \"ews\"\nrefresh_interval = \n"
	write(t, p.ConfigFile, broken)
	if err := ws.env.saveFavourites(context.Background(), []string{"ada@contoso.com"}); err == nil {
		t.Error("a star on a broken file reported saved")
	}
	if got, _ := os.ReadFile(p.ConfigFile); string(got) != broken {
		t.Errorf("a star rewrote the broken file: %q", got)
	}
	form.People = ui.PeopleList
	if err := ws.Save(context.Background(), form); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(p, nil); err != nil {
		t.Errorf("Save did not fix the file: %v", err)
	}
}
