package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Lookahead is how far past today a refresh asks: far enough that "next free" on
// a Friday afternoon can say Monday.
const Lookahead = 4 * 24 * time.Hour

// buildSource turns the configuration into the one calendar.Source the app runs on.
func (env *Env) buildSource(ctx context.Context, cfg Config) (calendar.Source, error) {
	switch cfg.Provider {
	case ProviderDemo:
		return calendar.NewDemo(location(cfg)), nil
	case ProviderEWS:
		return env.newEWSSource(ctx, cfg)
	case ProviderM365:
		return env.newGraphSource(ctx, cfg)
	}
	return nil, &ConfigError{Key: "provider", Problem: fmt.Sprintf("%q is not supported", cfg.Provider)}
}

// selectPeople narrows the directory to the configured list, favourites first.
func selectPeople(dir []calendar.Person, cfg Config) []calendar.Person {
	people := dir
	if len(cfg.People.Emails) > 0 {
		want := map[string]bool{}
		for _, e := range cfg.People.Emails {
			want[strings.ToLower(e)] = true
		}
		people = nil
		for _, p := range dir {
			if want[strings.ToLower(p.Email)] {
				people = append(people, p)
			}
		}
	}
	if len(cfg.People.Favourites) == 0 {
		return people
	}
	fav := map[string]bool{}
	for _, e := range cfg.People.Favourites {
		fav[strings.ToLower(e)] = true
	}
	out := make([]calendar.Person, 0, len(people))
	for _, p := range people {
		if fav[strings.ToLower(p.Email)] {
			out = append(out, p)
		}
	}
	for _, p := range people {
		if !fav[strings.ToLower(p.Email)] {
			out = append(out, p)
		}
	}
	return out
}

// windowFrom is the span a refresh at t asks about: today from midnight, plus Lookahead.
func windowFrom(t time.Time, loc *time.Location) calendar.Window {
	day := calendar.DayOf(t, loc)
	return calendar.Window{Start: day.Start, End: day.Start.Add(24*time.Hour + Lookahead)}
}
