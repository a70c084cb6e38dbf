package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// directorySearchMax is how many matches the "Add colleagues" picker lists.
const directorySearchMax = 50

// SearchDirectory finds colleagues to add by name or address, on the
// provider in use: Exchange's ResolveNames, or the Microsoft 365 directory
// (listed once per search, as the "whole directory" setting lists it) and the
// demo company matched here.
func (ws *windowSettings) SearchDirectory(ctx context.Context, query string) ([]calendar.Person, error) {
	query = strings.TrimSpace(query)
	cfg, ok := ws.live.Config()
	if !ok || query == "" {
		return nil, nil
	}
	if cfg.Provider == ProviderM365 {
		cfg.People = PeopleConfig{All: true, Favourites: cfg.People.Favourites}
	}
	src, err := ws.env.buildSource(ctx, cfg)
	if err != nil {
		return nil, connectError(err)
	}
	if cfg.Provider == ProviderDemo {
		// The whole demo company, also when --demo-people shows fewer (a
		// first run tried with one).
		src = calendar.NewDemoOfSize(location(cfg), max(ws.env.DemoPeople, calendar.DefaultDemoPeople))
	}
	if s, ok := src.(calendar.Searcher); ok {
		people, err := s.Search(ctx, query, directorySearchMax)
		if err != nil {
			return nil, operatorError{sentence: OperatorMessage(err), err: err}
		}
		return people, nil
	}
	people, err := src.Directory(ctx)
	if err != nil {
		return nil, operatorError{sentence: OperatorMessage(err), err: err}
	}
	return matchingPeople(people, query, directorySearchMax), nil
}

// matchingPeople are those whose name, address or department holds every
// word of query, at most max, in the directory's order.
func matchingPeople(people []calendar.Person, query string, max int) []calendar.Person {
	words := strings.Fields(strings.ToLower(query))
	var out []calendar.Person
	for _, p := range people {
		hay := strings.ToLower(p.Name + " " + p.Email + " " + p.Department)
		all := true
		for _, w := range words {
			all = all && strings.Contains(hay, w)
		}
		if all {
			out = append(out, p)
			if len(out) == max {
				break
			}
		}
	}
	return out
}

// AddColleagues adds emails to the list of colleagues through Settings' own
// save path (the config writer, then applied live), so they appear at once.
// Colleagues that come from a group or the whole directory, or a list the
// admin policy sets, are not the operator's to add to.
func (ws *windowSettings) AddColleagues(ctx context.Context, emails []string) error {
	form := ws.Form()
	s := form.Values
	switch {
	case s.Provider == ProviderDemo:
		return operatorError{sentence: lang.L("The demo company cannot be changed. Set up Microsoft 365 or Exchange first.")}
	case form.Locked["people.emails"] || form.Locked["people.group"] || form.Locked["people.all"]:
		return operatorError{sentence: lang.L("Your administrator sets the colleagues shown here.")}
	case s.People != ui.PeopleList && s.People != "":
		return operatorError{sentence: lang.L("Colleagues come from a group or the whole directory: add them there.")}
	}
	list := ui.Lines(s.Emails)
	known := map[string]bool{}
	for _, e := range list {
		known[strings.ToLower(e)] = true
	}
	for _, e := range emails {
		if e = strings.TrimSpace(e); e != "" && !known[strings.ToLower(e)] {
			known[strings.ToLower(e)] = true
			list = append(list, e)
		}
	}
	s.People, s.Emails = ui.PeopleList, strings.Join(list, "\n")
	return ws.Save(ctx, s)
}
