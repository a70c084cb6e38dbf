package ui

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// fold lowercases and strips accents, so "chloe" finds "Chloé" while a caller waits.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// matches reports whether every word of the query appears in the person's name,
// mail, department or phone: "ada fin" finds Ada in Finance.
func matches(p calendar.Person, foldedQuery []string) bool {
	hay := fold(p.Name + " " + p.Email + " " + p.Department + " " + p.JobTitle + " " + p.Phone)
	for _, w := range foldedQuery {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// Filter returns the indexes of people matching query, in their order.
func Filter(people []calendar.PersonState, query string) []int {
	words := strings.Fields(fold(query))
	out := make([]int, 0, len(people))
	for i, p := range people {
		if matches(p.Person, words) {
			out = append(out, i)
		}
	}
	return out
}
