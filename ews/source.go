package ews

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// SourceName is the contract's name for this backend.
const SourceName = "ews"

// DirectoryTTL is how long a loaded directory is reused: membership changes
// slowly and every lookup costs the server directory queries.
const DirectoryTTL = time.Hour

// People says who the console shows: the members of a distribution list, or
// an explicit list of addresses when no list is given.
type People struct {
	Emails []string
	Group  string
}

// SourceOptions configure a Source.
type SourceOptions struct {
	Client *Client
	People People
	// Location is the operator's zone, in which the server expands times.
	Location *time.Location
	// SendingAs is the operator's SMTP address for GetMailTips; empty means
	// the colleague's own address is used (any internal sender gets the
	// internal automatic reply).
	SendingAs string
	Logger    *slog.Logger
	// Requests is the meter the Client's HTTPOptions count with; the refresh
	// engine keeps its budget with it.
	Requests *calendar.RequestMeter
	// Now stamps each automatic-reply reading; nil is the wall clock.
	Now func() time.Time
}

// Source is on-premises Exchange as a calendar.Source and calendar.Searcher.
type Source struct {
	client    *Client
	people    People
	loc       *time.Location
	sendingAs string
	log       *slog.Logger
	requests  *calendar.RequestMeter

	now func() time.Time

	mu        sync.Mutex
	directory []calendar.Person
	loadedAt  time.Time
	// mailTipsOff is set when the server will not answer GetMailTips (not
	// supported, or refused); zero Kind while they are asked for.
	mailTipsOff calendar.Limitation
}

var (
	_ calendar.Source          = (*Source)(nil)
	_ calendar.Searcher        = (*Source)(nil)
	_ calendar.AutoReplySource = (*Source)(nil)
)

// NewSource returns the EWS source.
func NewSource(o SourceOptions) (*Source, error) {
	if o.Client == nil {
		return nil, errors.New("ews: SourceOptions.Client is required")
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Source{
		client:    o.Client,
		people:    o.People,
		loc:       o.Location,
		sendingAs: strings.TrimSpace(o.SendingAs),
		log:       o.Logger,
		requests:  o.Requests,
		now:       o.Now,
	}
	if !MailTipsAvailable(o.Client.Version()) {
		// GetMailTips arrived with Exchange 2010.
		s.mailTipsOff = calendar.Limitation{Kind: calendar.LimitMailTipsUnsupported, Since: o.Now(),
			Reason: errors.New("GetMailTips needs Exchange 2010 or later; ews.version is Exchange2007_SP1")}
	}
	return s, nil
}

// Limitations is GetMailTips switched off, when it is: no automatic replies.
func (s *Source) Limitations() []calendar.Limitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mailTipsOff.Kind == "" {
		return nil
	}
	return []calendar.Limitation{s.mailTipsOff}
}

// CredentialsChanged is a new password or a retry: MailTips refused to the
// old credentials are asked for again; a server without them stays without.
func (s *Source) CredentialsChanged() {
	s.mu.Lock()
	if s.mailTipsOff.Kind == calendar.LimitMailTipsRefused {
		s.mailTipsOff = calendar.Limitation{}
	}
	s.mu.Unlock()
}

func (s *Source) Name() string { return SourceName }

// RequestMeter is the meter every HTTP request of this Source counts in; nil
// when none was given, and the engine then counts calls.
func (s *Source) RequestMeter() *calendar.RequestMeter { return s.requests }

// Limits: 100 mailboxes per GetUserAvailability; two calls in flight keep
// well inside the default EWSMaxConcurrency of 10 shared with Outlook.
func (s *Source) Limits() calendar.Limits {
	return calendar.Limits{BatchSize: MaxMailboxesPerRequest, MaxConcurrent: 2}
}

// RefreshRequests is every request one refresh of people colleagues sends to
// Exchange when it reads everyone's automatic replies (Availability, the
// refresh engine's first refresh and every calendar.AutoReplyEvery-th): one
// GetUserAvailability per MaxMailboxesPerRequest mailboxes and, with
// mailTips, one GetMailTips per MaxMailTipsRecipients colleagues.
func RefreshRequests(people int, mailTips bool) int {
	return RefreshCost(people, people, mailTips).Heaviest()
}

// RefreshCost is what the refresh engine's refreshes of people colleagues
// send to Exchange, shown of them selected or watched: GetUserAvailability
// for everyone every refresh, GetMailTips for the shown every refresh and for
// everyone every calendar.AutoReplyEvery-th (calendar.AutoReplyCost).
func RefreshCost(people, shown int, mailTips bool) calendar.Cost {
	if people <= 0 {
		return calendar.Cost{}
	}
	size := 0
	if mailTips {
		size = MaxMailTipsRecipients
	}
	return calendar.AutoReplyCost(calendar.RequestsPerCycle(people, MaxMailboxesPerRequest), people, shown, size)
}

// MailTipsAvailable says whether an Exchange of this RequestServerVersion
// answers GetMailTips (Exchange 2010 and later).
func MailTipsAvailable(version string) bool { return version != "Exchange2007_SP1" }

// RequestsPerRefresh is RefreshRequests for this Source: GetMailTips counts
// while it is being asked. It is what Availability (FetchAll) sends; the
// refresh engine reads most automatic replies every fifth refresh only and
// plans with calendar.AutoReplyCost.
func (s *Source) RequestsPerRefresh(people int) int {
	s.mu.Lock()
	mailTips := s.mailTipsOff.Kind == ""
	s.mu.Unlock()
	return RefreshRequests(people, mailTips)
}

// Directory lists the configured people: the distribution list's members,
// else the explicit addresses resolved to names.
func (s *Source) Directory(ctx context.Context) ([]calendar.Person, error) {
	s.mu.Lock()
	if s.directory != nil && time.Since(s.loadedAt) < DirectoryTTL {
		dir := s.directory
		s.mu.Unlock()
		return dir, nil
	}
	s.mu.Unlock()

	var dir []calendar.Person
	var err error
	switch {
	case strings.TrimSpace(s.people.Group) != "":
		dir, err = s.expandGroup(ctx, strings.TrimSpace(s.people.Group))
	case len(s.people.Emails) > 0:
		var unread int
		dir, unread, err = s.resolveEmails(ctx, s.people.Emails)
		if err == nil && unread > 0 {
			// Listed by address for now; the next load asks for their names again.
			return dir, nil
		}
	default:
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.Directory",
			Hint: "No colleagues configured: set people.group to a distribution list or people.emails to their addresses."}
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.directory, s.loadedAt = dir, time.Now()
	s.mu.Unlock()
	return dir, nil
}

func (s *Source) expandGroup(ctx context.Context, group string) ([]calendar.Person, error) {
	exp, err := s.client.ExpandDL(ctx, group)
	if err != nil {
		return nil, err
	}
	if !exp.Complete {
		s.log.Warn("ews: the server returned part of the distribution list", "group", group, "members", len(exp.People))
	}
	if len(exp.Lists) > 0 {
		// Nested lists are left out rather than expanded: one list per call,
		// and a list of lists usually means a whole department tree.
		s.log.Info("ews: nested distribution lists not expanded", "group", group, "lists", exp.Lists)
	}
	return dedupe(exp.People), nil
}

// resolveConcurrency is how many ResolveNames calls are in flight while the
// listed addresses are looked up. ResolveNames takes one name a request (one
// UnresolvedEntry; Exchange has no multi-name form), so 1,000 addresses are
// 1,000 requests: one at a time that was 1,000 round trips. Four stay well
// under Exchange's default EWSMaxConcurrency (10 on Exchange 2010, 27 from
// 2013) with the refresh's own requests beside them, and the client's send
// gate still lets one out alone until the server has taken the password.
const resolveConcurrency = 4

// resolveEmails looks each address up once, for the name, department and
// phone the console shows; an address the directory does not know is kept
// with the address as its name. The look-ups run resolveConcurrency at a
// time; the people come in the configured order.
//
// An answer about one address that came but did not read is that address's
// problem, not the directory's: it is listed by its address too, and
// unreadable counts them. When no answer read at all, the server (or a proxy
// in front of it) is what is wrong, and the error is returned. Any other
// failure but an address's own (sign-in, throttling, network) stops the
// look-ups not yet sent and is returned.
func (s *Source) resolveEmails(ctx context.Context, emails []string) (dir []calendar.Person, unreadable int, err error) {
	type lookup struct {
		res Resolved
		err error
	}
	results := make([]lookup, len(emails))
	stop := calendar.InParallel(ctx, len(emails), resolveConcurrency, func(ctx context.Context, i int) error {
		res, err := s.client.ResolveNames(ctx, "smtp:"+strings.TrimSpace(emails[i]))
		results[i] = lookup{res, err}
		if err == nil || calendar.KindOf(err) == calendar.KindOther || unreadable2xx(err) {
			return nil // found, or this address's own problem: the others go on
		}
		if ctx.Err() != nil {
			return nil // already stopped (by the caller or a look-up before): that reason is returned
		}
		return err
	})
	if stop != nil {
		return nil, 0, stop
	}
	if cause := context.Cause(ctx); cause != nil {
		return nil, 0, cause
	}
	out := make([]calendar.Person, 0, len(emails))
	for i, email := range emails {
		email = strings.TrimSpace(email)
		res, err := results[i].res, results[i].err
		if err != nil {
			if unreadable2xx(err) {
				if unreadable++; unreadable == len(emails) {
					return nil, 0, err
				}
			}
			s.log.Warn("ews: could not resolve a configured address; listed by its address", "email", email,
				"reason", calendar.ReasonOf(err), "err", err)
		}
		p := calendar.Person{Name: email, Email: email}
		for _, r := range res.People {
			if strings.EqualFold(r.Email, email) {
				p = r
				break
			}
		}
		out = append(out, p)
	}
	return dedupe(out), unreadable, nil
}

// unreadable2xx reports whether err is a 2xx answer that did not read (not a
// server error, not the network).
func unreadable2xx(err error) bool {
	var ua *calendar.UnreadableAnswer
	return errors.As(err, &ua) && ua.Status >= 200 && ua.Status <= 299
}

func dedupe(people []calendar.Person) []calendar.Person {
	seen := map[string]bool{}
	out := people[:0:0]
	for _, p := range people {
		k := strings.ToLower(p.Email)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	return out
}

// Availability asks GetUserAvailability for the batch and merges in the
// automatic replies from GetMailTips, one after the other: a rejected
// password costs one request. The refresh engine does not come here: it asks
// FreeBusy and AutoReplies on their own cadence, side by side.
func (s *Source) Availability(ctx context.Context, people []calendar.Person, window calendar.Window) ([]calendar.Availability, error) {
	avail, err := s.FreeBusy(ctx, people, window)
	if err != nil || len(avail) == 0 {
		return avail, err
	}
	var asked []calendar.Person
	var at []int
	for i, a := range avail {
		if a.Err == nil {
			asked, at = append(asked, a.Person), append(at, i)
		}
	}
	replies, err := s.AutoReplies(ctx, asked)
	if err != nil {
		return nil, err
	}
	for j, o := range replies {
		avail[at[j]].OutOfOffice = o
	}
	return avail, nil
}

// FreeBusy asks GetUserAvailability for the batch: calendars only, no
// automatic replies.
func (s *Source) FreeBusy(ctx context.Context, people []calendar.Person, window calendar.Window) ([]calendar.Availability, error) {
	if len(people) == 0 {
		return nil, nil
	}
	avail, err := s.client.GetUserAvailability(ctx, people, window, s.loc)
	if unknown, ok := calendar.UnknownBatch(people, window, err); ok {
		s.log.Warn("ews: unreadable GetUserAvailability answer: this batch is unknown", "people", len(people), "err", err)
		return unknown, nil
	}
	return avail, err
}

// AutoReplyBatchSize is MaxMailTipsRecipients while GetMailTips is asked,
// 0 once the server will not answer it.
func (s *Source) AutoReplyBatchSize() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mailTipsOff.Kind != "" {
		return 0
	}
	return MaxMailTipsRecipients
}

// AutoReplies reads automatic replies with GetMailTips, one reading per
// person in order (AsOf zero where there is none). Free/busy is the essential
// part: a MailTips failure leaves the replies out, except when the account is
// rejected or the server asks us to back off, which the engine must hear
// about. Answers without a reading keep the last one in the engine.
func (s *Source) AutoReplies(ctx context.Context, people []calendar.Person) ([]calendar.OutOfOffice, error) {
	out := make([]calendar.OutOfOffice, len(people))
	s.mu.Lock()
	skip := s.mailTipsOff.Kind != ""
	s.mu.Unlock()
	if skip {
		return out, nil
	}
	emails := make([]string, 0, len(people))
	for _, p := range people {
		if p.Email != "" && !p.IsRoom() { // rooms set no automatic replies
			emails = append(emails, p.Email)
		}
	}
	if len(emails) == 0 {
		return out, nil
	}
	sendingAs := s.sendingAs
	if sendingAs == "" {
		sendingAs = emails[0]
	}
	tips, err := s.client.GetMailTips(ctx, sendingAs, emails)
	if err != nil {
		switch calendar.KindOf(err) {
		case calendar.KindAuth, calendar.KindLocked, calendar.KindThrottled:
			return nil, err
		}
		if kind, off := mailTipsOffFor(err); off {
			s.mu.Lock()
			s.mailTipsOff = calendar.Limitation{Kind: kind, Since: s.now(), Reason: err}
			s.mu.Unlock()
			s.log.Warn("ews: automatic replies turned off: the server will not answer GetMailTips", "limitation", string(kind), "err", err)
			return out, nil
		}
		s.log.Warn("ews: automatic replies unavailable this time; the last known are kept and asked again", "err", err)
		return out, nil
	}
	asOf := s.now()
	byEmail := make(map[string]OutOfOfficeTip, len(tips))
	for _, t := range tips {
		byEmail[strings.ToLower(t.Email)] = t
	}
	for i, p := range people {
		if t, ok := byEmail[strings.ToLower(p.Email)]; ok && t.Err == nil && p.Email != "" {
			out[i] = t.OutOfOffice
			out[i].AsOf = asOf
		}
	}
	return out, nil
}

// mailTipsOffFor says whether a failed GetMailTips means the server will
// never answer it: it does not offer the operation (Exchange 2007 answers
// with a version or request error), or it refuses this account (403, access
// denied). Anything else (network, 5xx, an unreadable answer) is a blip,
// asked again at the next refresh.
func mailTipsOffFor(err error) (calendar.LimitationKind, bool) {
	var ce *calendar.Error
	if !errors.As(err, &ce) {
		return "", false
	}
	switch {
	case ce.Code == "ErrorInvalidServerVersion" || ce.Code == "ErrorInvalidRequest" || ce.Code == "ErrorSchemaValidation":
		return calendar.LimitMailTipsUnsupported, true
	case ce.Kind == calendar.KindPermission:
		return calendar.LimitMailTipsRefused, true
	}
	return "", false
}

// Search looks names up on the server (ResolveNames), for people beyond the
// loaded directory. At most max results, and never more than the server's 100.
func (s *Source) Search(ctx context.Context, query string, max int) ([]calendar.Person, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	if max <= 0 || max > MaxResolveNamesResults {
		max = MaxResolveNamesResults
	}
	res, err := s.client.ResolveNames(ctx, query)
	if err != nil {
		return nil, err
	}
	people := dedupe(res.People)
	if res.More {
		s.log.Debug("ews: more names match than the server returns", "query_length", len(query))
	}
	if len(people) > max {
		people = people[:max]
	}
	return people, nil
}
