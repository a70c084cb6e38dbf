package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSaveFavourites(t *testing.T) {
	t.Run("written to people.favourites, other keys kept", func(t *testing.T) {
		p := Paths{ConfigFile: filepath.Join(t.TempDir(), "config.toml"), PolicyFile: filepath.Join(t.TempDir(), "policy.toml")}
		if err := os.WriteFile(p.ConfigFile, []byte("provider = \"demo\"\nrefresh_interval = \"90s\"\n[people]\nfavourites = [\"old@example.com\"]\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env := &Env{Paths: p}
		if err := env.saveFavourites(context.Background(), []string{"ada@example.com", "ben@example.com"}); err != nil {
			t.Fatal(err)
		}
		l, err := LoadConfig(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Config.People.Favourites; !slices.Equal(got, []string{"ada@example.com", "ben@example.com"}) {
			t.Errorf("favourites %v", got)
		}
		if l.Config.Provider != ProviderDemo || l.Config.RefreshInterval.Seconds() != 90 {
			t.Errorf("other keys changed: %+v", l.Config)
		}
	})
	t.Run("locked by the policy: refused, file untouched", func(t *testing.T) {
		p := Paths{ConfigFile: filepath.Join(t.TempDir(), "config.toml"), PolicyFile: filepath.Join(t.TempDir(), "policy.toml")}
		before := []byte("provider = \"demo\"\n")
		os.WriteFile(p.ConfigFile, before, 0o600)
		os.WriteFile(p.PolicyFile, []byte("[people]\nfavourites = [\"boss@example.com\"]\n"), 0o600)
		env := &Env{Paths: p}
		if err := env.saveFavourites(context.Background(), []string{"ada@example.com"}); !errors.Is(err, errFavouritesLocked) {
			t.Fatalf("err %v, want errFavouritesLocked", err)
		}
		if after, _ := os.ReadFile(p.ConfigFile); string(after) != string(before) {
			t.Errorf("config rewritten: %q", after)
		}
	})
	t.Run("no config file (trying the demo): nothing written", func(t *testing.T) {
		p := Paths{ConfigFile: filepath.Join(t.TempDir(), "config.toml")}
		env := &Env{Paths: p}
		if err := env.saveFavourites(context.Background(), []string{"ada@example.com"}); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p.ConfigFile); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a config file appeared: %v", err)
		}
	})
}
