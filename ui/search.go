package ui

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// fold lowercases and strips accents, so "chloe" finds "Chloé" while a caller waits.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// searchIndex is one snapshot's people folded once, in the list's one ordering
// (by name), so a keystroke only compares strings: folding every field of 10,000
// people on each keystroke cost 15 ms, which an operator feels while typing.
type searchIndex struct {
	order []int    // indexes into the snapshot's people, sorted by folded name
	hay   []string // hay[i] is the folded text of people[order[i]]
	keys  []string // keys[idx] is people[idx]'s Person.Key in lower case, for favourites
}

func newSearchIndex(people []calendar.PersonState) *searchIndex {
	ix := &searchIndex{order: make([]int, len(people)), hay: make([]string, len(people)), keys: make([]string, len(people))}
	names := make([]string, len(people))
	for i, p := range people {
		ix.order[i] = i
		names[i] = fold(p.Person.Name)
		ix.keys[i] = strings.ToLower(p.Person.Key())
	}
	slices.SortStableFunc(ix.order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	for i, idx := range ix.order {
		p := people[idx].Person
		ix.hay[i] = names[idx] + "\x00" + fold(p.Email+"\x00"+p.Department+"\x00"+p.JobTitle+"\x00"+p.Office+"\x00"+p.Phone)
	}
	return ix
}

// filter returns the indexes (into the snapshot's people) of everyone matching
// every word of query, in the list's ordering: "ada fin" finds Ada in Finance.
func (ix *searchIndex) filter(query string, out []int) []int {
	out = out[:0]
	words := strings.Fields(fold(query))
	for i, hay := range ix.hay {
		if containsAll(hay, words) {
			out = append(out, ix.order[i])
		}
	}
	return out
}

func containsAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// Filter returns the indexes of people matching query, sorted by name.
func Filter(people []calendar.PersonState, query string) []int {
	return newSearchIndex(people).filter(query, nil)
}
