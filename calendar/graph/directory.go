package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
)

// userFields is everything the console shows about a colleague, and what tells
// a person from a disabled account or a room.
var userFields = strings.Join([]string{"id", "displayName", "mail", "department", "jobTitle", "businessPhones", "mobilePhone", "accountEnabled", "userType"}, ",")

// mailFilterChunk keeps `mail in (...)` within the values Graph accepts per filter.
const mailFilterChunk = 15

// directoryPageSize is the largest page /users and a group's
// transitiveMembers serve: a group of 1,000 is two pages instead of ten of
// the default 100.
const directoryPageSize = "999"

// Directory lists the configured colleagues: the listed addresses, a group's
// members (nested groups expanded), or the whole tenant. A successful load is
// cached on disk; when Graph is unreachable or throttling, the cached list is
// returned instead, since names change far more slowly than calendars.
func (s *Source) Directory(ctx context.Context) ([]calendar.Person, error) {
	s.dirMu.Lock()
	s.listingSkipped = 0
	s.dirMu.Unlock()
	people, err := s.loadDirectory(ctx)
	if err != nil {
		kind := calendar.KindOf(err)
		if kind == calendar.KindTransient || kind == calendar.KindThrottled {
			if cached, saved, cerr := LoadCachedDirectory(s.opts.CacheDir, s.opts.People); cerr == nil && len(cached) > 0 {
				s.log.Warn("graph: directory unavailable, using the cached copy", "saved", saved, "err", err)
				s.setCachedDirectory(cached, saved)
				return cached, nil
			}
		}
		return nil, err
	}
	s.listingDone()
	s.setDirectory(people)
	if s.opts.CacheDir != "" {
		if err := SaveCachedDirectory(s.opts.CacheDir, s.opts.People, people, s.opts.Now()); err != nil {
			s.log.Warn("graph: cannot cache the directory", "err", err)
		}
	}
	return people, nil
}

// setDirectory keeps the colleagues a live listing returned.
func (s *Source) setDirectory(people []calendar.Person) {
	s.setCachedDirectory(people, time.Time{})
}

// setCachedDirectory keeps the colleagues of the cached copy saved at saved,
// which stands in for a failed listing.
func (s *Source) setCachedDirectory(people []calendar.Person, saved time.Time) {
	s.dirMu.Lock()
	s.directory, s.fromCache = people, saved
	s.dirMu.Unlock()
}

// CachedDirectory is the directory the last complete listing saved for the
// configured colleagues: the engine shows it at start, marked as the saved
// copy, while the listing runs.
func (s *Source) CachedDirectory() ([]calendar.Person, time.Time, bool) {
	people, saved, err := LoadCachedDirectory(s.opts.CacheDir, s.opts.People)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.log.Warn("graph: the saved directory does not read; waiting for the listing", "err", err)
		}
		return nil, time.Time{}, false
	}
	return people, saved, len(people) > 0
}

// DirectoryFromCache is when the copy the last Directory call returned was
// saved; zero when that call listed the directory live.
func (s *Source) DirectoryFromCache() time.Time {
	s.dirMu.Lock()
	defer s.dirMu.Unlock()
	return s.fromCache
}

// noteSkippedRecords counts records the listing under way left out.
func (s *Source) noteSkippedRecords(n int) {
	s.dirMu.Lock()
	s.listingSkipped += n
	s.dirMu.Unlock()
}

// listingDone makes what a complete listing left out the limitation the
// window and status --json report, or clears it when nothing was.
func (s *Source) listingDone() {
	s.dirMu.Lock()
	defer s.dirMu.Unlock()
	switch n := s.listingSkipped; {
	case n == 0:
		s.skipped = calendar.Limitation{}
	case s.skipped.Count != n:
		s.skipped = calendar.Limitation{Kind: calendar.LimitDirectoryIncomplete, Count: n, Since: s.opts.Now(),
			Reason: fmt.Errorf("%d directory record(s) do not read as users", n)}
	}
}

// directoryLimitation is the directory records the last listing left out, if any.
func (s *Source) directoryLimitation() (calendar.Limitation, bool) {
	s.dirMu.Lock()
	defer s.dirMu.Unlock()
	return s.skipped, s.skipped.Count > 0
}

func (s *Source) loadDirectory(ctx context.Context) ([]calendar.Person, error) {
	p := s.opts.People
	switch {
	case len(p.Emails) > 0:
		return s.usersByMail(ctx, p.Emails)
	case p.Group != "":
		return s.groupMembers(ctx, p.Group)
	case p.All:
		return s.allUsers(ctx)
	}
	return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "graph.Directory", Hint: "No colleagues configured: set people.emails, people.group or people.all."}
}

// usersByMail looks the addresses up, mailFilterChunk to a lookup; an
// address the directory does not know (a shared mailbox, a contact) still
// gets its calendar asked for. One lookup goes on its own; more go in JSON
// batches, several in flight (lookUpUsers): 1,000 addresses are 67 lookups,
// four batches, one round trip instead of 67.
func (s *Source) usersByMail(ctx context.Context, emails []string) ([]calendar.Person, error) {
	const op = "graph.users"
	var lookups []url.Values
	for chunk := range slices.Chunk(emails, mailFilterChunk) {
		quoted := make([]string, len(chunk))
		for i, e := range chunk {
			quoted[i] = "'" + strings.ReplaceAll(e, "'", "''") + "'"
		}
		lookups = append(lookups, url.Values{"$filter": {"mail in (" + strings.Join(quoted, ",") + ")"}, "$select": {userFields}})
	}
	found := map[string]calendar.Person{}
	add := func(u *user) {
		p := personOf(u)
		found[strings.ToLower(p.Email)] = p
	}
	var err error
	if len(lookups) == 1 {
		err = s.listUsers(ctx, op, "/users", lookups[0], add)
	} else {
		relative := make([]string, len(lookups))
		for i, q := range lookups {
			relative[i] = relativeURL("/users", q)
		}
		err = s.lookUpUsers(ctx, op, relative, add)
	}
	if err != nil {
		return nil, err
	}
	out := make([]calendar.Person, 0, len(emails))
	for _, e := range emails {
		if p, ok := found[strings.ToLower(e)]; ok {
			p.Email = e // the address as configured, so favourites and selection match
			out = append(out, p)
			continue
		}
		out = append(out, calendar.Person{Name: e, Email: e})
	}
	return out, nil
}

func (s *Source) allUsers(ctx context.Context) ([]calendar.Person, error) {
	var out []calendar.Person
	err := s.listUsers(ctx, "graph.users", "/users", url.Values{"$select": {userFields}, "$top": {directoryPageSize}}, func(u *user) {
		if isColleague(u) {
			out = append(out, personOf(u))
		}
	})
	return out, err
}

// listUsers reads path's first page and follows @odata.nextLink until the last.
func (s *Source) listUsers(ctx context.Context, op, path string, query url.Values, each func(*user)) error {
	u, err := s.endpoint(path, query)
	if err != nil {
		return &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
	}
	return s.readPages(ctx, op, u, nil, each)
}

// readPages reads the page at u and follows @odata.nextLink until the last;
// first, when not nil, is the first page already read (a lookup's answer
// inside a batch), and u is not asked for.
func (s *Source) readPages(ctx context.Context, op string, u *url.URL, first *userPage, each func(*user)) error {
	pages := s.newPager(op)
	skipped := 0
	for n := 1; ; n++ {
		var page userPage
		if n == 1 && first != nil {
			page = *first
		} else if err := s.getPage(ctx, op, u, &page); err != nil {
			return err
		}
		for i := range page.Value {
			each(&page.Value[i])
		}
		for _, bad := range page.Unreadable {
			// One record of the wrong shape leaves that one entry out, not the
			// directory: everyone else is listed.
			s.log.Warn("graph: a directory record does not read; left out of the colleagues", "op", op,
				"page", n, "record", bad.Index+1, "id", bad.ID, "err", bad.Err)
		}
		skipped += len(page.Unreadable)
		next, stop := pages.next(page.NextLink)
		if stop != nil || next == nil {
			if skipped > 0 && stop == nil {
				s.log.Warn(LogDirectoryRecordsSkipped, "op", op, "skipped", skipped, "pages", n)
				s.noteSkippedRecords(skipped)
			}
			return stop
		}
		u = next
	}
}

// LogDirectoryRecordsSkipped is the message of the log line that counts the
// directory records left out of a listing because they did not read.
const LogDirectoryRecordsSkipped = "directory records left out: they do not read as users"

// groupMembers expands a group (id or mail) to its users, nested groups included.
func (s *Source) groupMembers(ctx context.Context, group string) ([]calendar.Person, error) {
	const op = "graph.group"
	id := group
	if strings.Contains(group, "@") {
		filter := "mail eq '" + strings.ReplaceAll(group, "'", "''") + "'"
		u, err := s.endpoint("/groups", url.Values{"$filter": {filter}, "$select": {"id,displayName"}})
		if err != nil {
			return nil, &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
		}
		var res struct {
			Value []struct {
				ID string `json:"id"`
			} `json:"value"`
		}
		if err := s.getPage(ctx, op, u, &res); err != nil {
			return nil, err
		}
		if len(res.Value) == 0 || res.Value[0].ID == "" {
			return nil, &calendar.Error{Kind: calendar.KindConfig, Op: op, Hint: "No group with the address {{.Group}}.", HintArgs: map[string]any{"Group": group}}
		}
		id = res.Value[0].ID
	}
	seen := map[string]bool{}
	var out []calendar.Person
	err := s.listUsers(ctx, op, "/groups/"+url.PathEscape(id)+"/transitiveMembers", url.Values{"$select": {userFields}, "$top": {directoryPageSize}}, func(u *user) {
		if u.ODataType != userType || !isColleague(u) {
			return // nested groups, devices, contacts
		}
		p := personOf(u)
		if seen[p.Key()] {
			return // a member of two nested groups
		}
		seen[p.Key()] = true
		out = append(out, p)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// directoryPageTimeout bounds each page of a listing, not the listing: a
// tenant of 30,000 is 31 pages, each a few seconds. A variable for tests.
var directoryPageTimeout = 30 * time.Second

// getPage fetches one page within its own timeout.
func (s *Source) getPage(ctx context.Context, op string, u *url.URL, page any) error {
	ctx, cancel := context.WithTimeout(ctx, directoryPageTimeout)
	defer cancel()
	return s.call(ctx, op, http.MethodGet, u, nil, nil, page)
}

// pager checks each @odata.nextLink before it is followed: a link that
// repeats an earlier page would loop for ever (a server bug seen as 660
// requests in 30 s), and a link to another origin would take the token there.
type pager struct {
	op     string
	origin string
	seen   map[string]bool
}

func (s *Source) newPager(op string) *pager {
	return &pager{op: op, origin: s.origin, seen: map[string]bool{}}
}

// hintBadPaging is what the operator reads when a listing was stopped.
const hintBadPaging = "The server's list of colleagues did not end properly, so Frontdesk stopped reading it. It tries again later; details are in the log."

// next returns the link to follow, nil at the last page, or the error that
// stops the listing.
func (p *pager) next(next string) (*url.URL, error) {
	if next == "" {
		return nil, nil
	}
	u, err := url.Parse(next)
	var problem error
	switch {
	case err != nil || !u.IsAbs():
		problem = fmt.Errorf("@odata.nextLink %q is not an absolute address", next)
	case originOf(u) != p.origin:
		problem = fmt.Errorf("@odata.nextLink points at %s, not at %s", originOf(u), p.origin)
	case p.seen[next]:
		problem = fmt.Errorf("@odata.nextLink repeats an earlier page after %d pages", len(p.seen)+1)
	}
	if problem != nil {
		e := calendar.NewUnreadableAnswer(p.op, http.StatusOK, problem)
		e.Code, e.Hint = "NextLink", hintBadPaging
		return nil, e
	}
	p.seen[next] = true
	return u, nil
}

// isColleague keeps people with a mailbox: room and equipment mailboxes are
// disabled accounts, and an account without mail has no calendar.
func isColleague(u *user) bool {
	if u.AccountEnabled != nil && !*u.AccountEnabled {
		return false
	}
	return u.Mail != ""
}

func personOf(u *user) calendar.Person {
	p := calendar.Person{
		ID:         u.ID,
		Name:       u.DisplayName,
		Email:      u.Mail,
		Department: u.Department,
		JobTitle:   u.JobTitle,
	}
	if len(u.BusinessPhones) > 0 {
		p.Phone = u.BusinessPhones[0]
	} else {
		p.Phone = u.MobilePhone
	}
	if p.Name == "" {
		p.Name = p.Email
	}
	return p
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// cacheFileName lives in the app's state directory; it holds names and phone
// numbers, never calendar data.
const cacheFileName = "graph-directory.json"

type directoryCache struct {
	// Selection is what the list was loaded for: a changed configuration must
	// not show yesterday's colleagues.
	Selection string            `json:"selection"`
	SavedAt   time.Time         `json:"saved_at"`
	People    []calendar.Person `json:"people"`
}

func selectionKey(p People) string {
	emails := slices.Clone(p.Emails)
	for i := range emails {
		emails[i] = strings.ToLower(emails[i])
	}
	slices.Sort(emails)
	return fmt.Sprintf("emails=%s;group=%s;all=%t", strings.Join(emails, ","), strings.ToLower(p.Group), p.All)
}

// LoadCachedDirectory returns the directory saved by the last successful load
// for the same selection, so the console has names before the first refresh.
func LoadCachedDirectory(dir string, sel People) ([]calendar.Person, time.Time, error) {
	if dir == "" {
		return nil, time.Time{}, os.ErrNotExist
	}
	data, err := os.ReadFile(filepath.Join(dir, cacheFileName))
	if err != nil {
		return nil, time.Time{}, err
	}
	var c directoryCache
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, time.Time{}, err
	}
	if c.Selection != selectionKey(sel) {
		return nil, time.Time{}, errors.New("the cached directory was loaded for other people")
	}
	return c.People, c.SavedAt, nil
}

// SaveCachedDirectory writes the directory atomically, readable by the user only.
func SaveCachedDirectory(dir string, sel People, people []calendar.Person, now time.Time) error {
	data, err := json.Marshal(directoryCache{Selection: selectionKey(sel), SavedAt: now.UTC(), People: people})
	if err != nil {
		return err
	}
	return auth.WriteFileAtomic(filepath.Join(dir, cacheFileName), data)
}
