package ui

import (
	"context"
	"hash/maphash"
	"runtime/pprof"
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

// The fields of a person the search reads, in the order a receptionist thinks
// of them: who it is, then where they work and what they do, then how to
// reach them.
const (
	fieldName = iota
	fieldDepartment
	fieldTitle
	fieldNumber  // phone and mobile
	fieldAddress // mail address and office
	fieldNote    // the desk's note on them
	fieldCount
)

// How well one typed word matches a person, best first. Every prefix of a
// word beats every match inside a word: "ben h" is first name Ben, surname
// H…; the "h" of "People & HR" ranks below it, and one inside "Chief" lower still.
const (
	tierNameInPlace = iota // prefix of the name word in the same place: "h" of "ben h" and Holm
	tierNameWord           // prefix of another name word
	tierDepartment         // prefix of a word of the department
	tierTitle              // … of the job title
	tierNumber             // … of a phone number
	tierAddress            // … of the mail address or office, or of the desk's note
	tierInsideName         // inside a word of the name
	tierInsideOther        // inside a word of any other field
	tierCount
)

// A person's score for a query is its worst word's tier first, then the sum
// of all its words' tiers (capped): Hanna Bennett, both of whose names match
// "ben h", comes before Ben Abbott of People & HR. maxScore is the worst.
const (
	sumCap   = 31
	maxScore = (tierCount-1)*(sumCap+1) + sumCap
)

// searchIndex is one snapshot's people folded once, in the list's one ordering
// (by name), so a keystroke only compares strings: folding every field of 10,000
// people on each keystroke cost 15 ms, which an operator feels while typing.
type searchIndex struct {
	order []int    // indexes into the snapshot's people, sorted by folded name
	hay   []string // hay[i] is the folded text of people[order[i]], fields split by "\x00"
	// ends[i][f] is where field f of hay[i] ends (the last field ends with the text).
	ends [][fieldCount - 1]uint16
	// starts[startsAt[i]:startsAt[i+1]] are where the words of hay[i] start.
	starts   []uint8
	startsAt []int32
	keys     []string // keys[idx] is people[idx]'s Person.Key in lower case, for favourites
	// score[idx] is how well people[idx] matched the last filter, 0 best.
	score []uint8
	// bucket counts per ranking key (a score, or a score and a star), kept
	// between keystrokes.
	bucket [2*maxScore + 3]int
	ranked []int
}

func newSearchIndex(people []*calendar.PersonState, notes map[string]DeskNote) *searchIndex {
	ix := &searchIndex{order: make([]int, len(people)), hay: make([]string, len(people)),
		ends: make([][fieldCount - 1]uint16, len(people)), keys: make([]string, len(people)), score: make([]uint8, len(people)),
		startsAt: make([]int32, len(people)+1)}
	names := make([]string, len(people))
	for i, p := range people {
		ix.order[i] = i
		names[i] = fold(p.Person.Name)
		ix.keys[i] = strings.ToLower(p.Person.Key())
	}
	slices.SortStableFunc(ix.order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	// Every person's text goes into one string, each hay a slice of it:
	// kept one by one they lay scattered among the garbage folding leaves
	// (three strings of their size for each), in room the heap could
	// neither reuse nor give back.
	var text []byte
	ends := make([]int, len(ix.order))
	for i, idx := range ix.order {
		p := people[idx].Person
		note := strings.ReplaceAll(notes[ix.keys[idx]].Text, "\x00", " ")
		rest := fold(p.Department + "\x00" + p.JobTitle + "\x00" + p.Phone + " " + p.MobilePhone + "\x00" + p.Email + " " + p.Office + "\x00" + note)
		hay := names[idx] + "\x00" + rest
		field, end := 0, len(names[idx])
		for {
			ix.ends[i][field] = uint16(min(end, 0xffff))
			field++
			if field == fieldCount-1 {
				break
			}
			next := strings.IndexByte(hay[end+1:], 0)
			if next < 0 {
				end = len(hay)
			} else {
				end += 1 + next
			}
		}
		text = append(text, hay...)
		ends[i] = len(text)
		ix.starts = wordStarts(hay, ix.starts)
		ix.startsAt[i+1] = int32(len(ix.starts))
	}
	all, start := string(text), 0
	for i, end := range ends {
		ix.hay[i] = all[start:end]
		start = end
	}
	return ix
}

// indexSeed keys directory prints for the life of the process: prints are
// only compared with each other, never kept.
var indexSeed = maphash.MakeSeed()

// directoryPrint is a hash of everything newSearchIndex reads, in order: the
// people's names, keys, departments, titles, numbers, mail addresses and
// offices, and the desk's notes. Equal prints mean the index of one fits the
// other, so a refresh that changed only statuses keeps the index (hashing
// 50,000 people costs a fraction of folding them again).
func directoryPrint(people []*calendar.PersonState, notes map[string]DeskNote) uint64 {
	var h maphash.Hash
	h.SetSeed(indexSeed)
	for i := range people {
		p := people[i].Person
		for _, field := range [...]string{p.Name, p.ID, p.Email, p.Department, p.JobTitle, p.Phone, p.MobilePhone, p.Office} {
			h.WriteString(field)
			h.WriteByte(0)
		}
	}
	sum := h.Sum64()
	// The notes are a map: a sum of their hashes does not depend on its order.
	for key, note := range notes {
		h.Reset()
		h.WriteString(key)
		h.WriteByte(0)
		h.WriteString(note.Text)
		sum += h.Sum64()
	}
	return sum
}

// buildIndex builds a search index off the Fyne goroutine and hands it to
// done on the Fyne goroutine: at 50,000 people a build is tens of
// milliseconds the window would freeze for. Tests make it synchronous.
var buildIndex = func(build func() *searchIndex, done func(*searchIndex)) {
	go func() {
		// Not the callback's work: the profiler's ui_callback label, which
		// a goroutine inherits from the one that starts it, stays there.
		pprof.SetGoroutineLabels(context.Background())
		ix := build()
		// done shows the snapshot that waited for the index: timed as the
		// bridge's applies are.
		uiThread.onUI("apply snapshot with its new search index", len(ix.hay), func() { done(ix) })
	}()
}

func inWord(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80 }

// wordStarts appends where hay's words start: after anything but a letter or
// digit (any byte of a multi-byte letter counts as one), so "ben.holm@demo"
// has three words and "+1 555" starts at "+" and at "1". Offsets past 255
// are left out (a prefix there still matches as a substring).
func wordStarts(hay string, to []uint8) []uint8 {
	for p := 0; p < min(len(hay), 256); p++ {
		if p == 0 || !inWord(hay[p-1]) {
			to = append(to, uint8(p))
		}
	}
	return to
}

// tier is how well word, the place-th typed word, matches person i of the
// index; tierCount when it does not.
func (ix *searchIndex) tier(i int, word string, place int) int {
	hay := ix.hay[i]
	at := strings.Index(hay, word)
	if at < 0 {
		return tierCount
	}
	ends := &ix.ends[i]
	best, field, nameWord := tierCount, fieldName, 0
	for _, start := range ix.starts[ix.startsAt[i]:ix.startsAt[i+1]] {
		p := int(start)
		for field < fieldCount-1 && p >= int(ends[field]) {
			field++
		}
		if field != fieldName && best < tierCount {
			return best // another name word; every later field ranks lower
		}
		if hay[p] == word[0] && strings.HasPrefix(hay[p:], word) {
			if field != fieldName {
				// A note's words rank with the address's: a score must
				// fit a byte (maxScore).
				return min(tierDepartment+field-fieldDepartment, tierAddress)
			}
			if nameWord == place {
				return tierNameInPlace
			}
			best = tierNameWord
		}
		if field == fieldName && inWord(hay[p]) {
			nameWord++
		}
	}
	switch {
	case best < tierCount:
		return best
	case at < int(ends[fieldName]): // the name comes first in hay
		return tierInsideName
	default:
		return tierInsideOther
	}
}

// filter returns the indexes (into the snapshot's people) of everyone matching
// every word of query, best match first and, among equals, in the list's
// ordering: "ben h" puts Ben Holm above Ben Berger of People & HR.
func (ix *searchIndex) filter(query string, out []int) []int {
	out = out[:0]
	words := strings.Fields(fold(query))
	if len(words) == 0 {
		for _, idx := range ix.order {
			ix.score[idx] = 0
			out = append(out, idx)
		}
		return out
	}
	clear(ix.bucket[:])
	ix.ranked = ix.ranked[:0]
people:
	for i := range ix.hay {
		worst, sum := 0, 0
		for place, w := range words {
			t := ix.tier(i, w, place)
			if t == tierCount {
				continue people
			}
			worst, sum = max(worst, t), sum+t
		}
		score := worst*(sumCap+1) + min(sum, sumCap)
		idx := ix.order[i]
		ix.score[idx] = uint8(score)
		ix.bucket[score+1]++
		ix.ranked = append(ix.ranked, idx)
	}
	return ix.rank(ix.ranked, out, func(idx int) int { return int(ix.score[idx]) })
}

// rank is a stable counting sort of in into out by key (0..2*maxScore+1), with
// bucket[k+1] already holding how many have key k.
func (ix *searchIndex) rank(in, out []int, key func(idx int) int) []int {
	for k := 1; k < len(ix.bucket); k++ {
		ix.bucket[k] += ix.bucket[k-1]
	}
	out = slices.Grow(out[:0], len(in))[:len(in)]
	for _, idx := range in {
		k := key(idx)
		out[ix.bucket[k]] = idx
		ix.bucket[k]++
	}
	return out
}

// Filter returns the indexes of people matching query, best match first.
func Filter(people []*calendar.PersonState, query string) []int {
	return newSearchIndex(people, nil).filter(query, nil)
}
