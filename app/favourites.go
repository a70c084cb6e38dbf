package app

import (
	"errors"
	"os"
	"slices"
)

// errFavouritesLocked: the admin policy sets people.favourites, so the
// operator's stars last only until Frontdesk closes.
var errFavouritesLocked = errors.New("favourites are set by your administrator")

// saveFavourites writes the operator's starred colleagues to people.favourites
// in the per-user config.toml, leaving every other key as the user file has it.
// Without a config file (trying the demo) nothing is written: a file would end
// the first run.
func (env *Env) saveFavourites(keys []string) error {
	if _, err := os.Stat(env.Paths.ConfigFile); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	l, err := LoadConfig(env.Paths, nil)
	if err != nil {
		return err
	}
	if l.IsLocked("people.favourites") {
		return errFavouritesLocked
	}
	user := l.User
	user.People.Favourites = slices.Clone(keys)
	if err := SaveUserConfig(env.Paths.ConfigFile, user); err != nil {
		return err
	}
	if env.Logger != nil {
		env.Logger.Info("favourites saved", "count", len(keys))
	}
	return nil
}
