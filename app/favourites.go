package app

import (
	"context"
	"errors"
	"os"
	"slices"
)

// errFavouritesLocked: the admin policy sets people.favourites, so the
// operator's stars last only until Frontdesk closes.
var errFavouritesLocked = errors.New("favourites are set by your administrator")

// favouritesEdit writes the operator's starred colleagues to people.favourites
// in the per-user config.toml, leaving every other key as the file has it
// then. Without a config file (trying the demo) nothing is written: a file
// would end the first run. A file that does not load is left alone: the
// console runs on the last good one and Settings says what to fix.
func (env *Env) favouritesEdit(keys []string) configEdit {
	keys = slices.Clone(keys)
	return func(latest *Loaded, loadErr error) (Config, error) {
		if _, err := os.Stat(env.Paths.ConfigFile); errors.Is(err, os.ErrNotExist) {
			return Config{}, errNothingToWrite
		}
		if loadErr != nil {
			return Config{}, loadErr
		}
		if latest.IsLocked("people.favourites") {
			return Config{}, errFavouritesLocked
		}
		user := latest.User
		user.People.Favourites = slices.Clone(keys)
		return user, nil
	}
}

// queueFavourites puts a star's new favourites in the config writer's queue,
// behind every change made before it, and returns at once.
func (env *Env) queueFavourites(keys []string) *pendingEdit {
	return env.configWriter().submit(env.favouritesEdit(keys))
}

// saveFavourites writes the favourites and waits until they are on disk.
func (env *Env) saveFavourites(ctx context.Context, keys []string) error {
	return env.queueFavourites(keys).wait(ctx)
}

// favouritesSaved waits for queued favourites and logs the outcome.
func (env *Env) favouritesSaved(ctx context.Context, p *pendingEdit, count int) error {
	err := p.wait(ctx)
	if err == nil && env.Logger != nil {
		env.Logger.Info("favourites saved", "count", count)
	}
	return err
}
