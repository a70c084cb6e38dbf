package graph

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// presenceConcurrency caps getPresencesByUserId calls in flight: a tenant of
// 30,000 is 47 calls, which must not all leave at once.
const presenceConcurrency = 2

// presenceSlack lets a refresh that comes a little early (the engine starts
// cycles a jittered interval apart) still fetch: a tenth of the interval.
const presenceSlack = 10

type presenceInfo struct {
	text     string
	oof      calendar.OutOfOffice
	note     calendar.StatusMessage
	location calendar.WorkLocation
}

// presenceMode is whether presence is asked for, and if not, what brings it back.
type presenceMode int

const (
	// presenceAsking: presence is fetched once per interval; a blip (network,
	// 5xx, 429, a keyring that did not answer) is retried at the next one.
	presenceAsking presenceMode = iota
	// presenceAwaitingSignIn: the presence token needs the operator to sign in
	// again; the next sign-in (CredentialsChanged) resumes it.
	presenceAwaitingSignIn
	// presenceNotApproved: Graph answered 403, or the Presence.Read.All
	// consent is missing (AADSTS65001/90094). Off, and the snapshot says so,
	// until a sign-in may have brought the approval.
	presenceNotApproved
)

// presenceStatus is the presence mode and what decided it. Its own lock, not
// the cache's: the cache's is held through a fetch, and a sign-in must not
// wait for one.
type presenceStatus struct {
	mu         sync.Mutex
	mode       presenceMode
	gen        uint64 // bumped by every sign-in: the cache of an older one is not used
	limitation calendar.Limitation
}

func (s *Source) presenceMode() (presenceMode, uint64) {
	if !s.presenceOn.Load() {
		return presenceNotApproved, 0
	}
	st := &s.presenceSt
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.mode, st.gen
}

// CredentialsChanged is the operator's new sign-in (or retry): presence that
// waited for it, or was refused before it, is asked for afresh, and nothing
// fetched with the old sign-in is reused.
func (s *Source) CredentialsChanged() {
	st := &s.presenceSt
	st.mu.Lock()
	st.mode, st.limitation = presenceAsking, calendar.Limitation{}
	st.gen++
	st.mu.Unlock()
}

// Limitations is presence switched off because the organisation has not
// approved it, with the admin-consent link, and directory records the last
// listing left out; empty otherwise.
func (s *Source) Limitations() []calendar.Limitation {
	var out []calendar.Limitation
	if dir, ok := s.directoryLimitation(); ok {
		out = append(out, dir)
	}
	if !s.presenceOn.Load() {
		return out // not configured: nothing was refused
	}
	st := &s.presenceSt
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.mode != presenceNotApproved {
		return out
	}
	return append(out, st.limitation)
}

// presenceVerdict is the mode a failed presence call leaves presence in. Only
// a refusal (403 from getPresencesByUserId, consent missing for the presence
// scope) turns it off; an expired sign-in waits for the next one; anything
// else is a blip retried at the next interval.
func presenceVerdict(err error) presenceMode {
	switch calendar.KindOf(err) {
	case calendar.KindPermission:
		return presenceNotApproved
	case calendar.KindAuth, calendar.KindLocked:
		return presenceAwaitingSignIn
	}
	return presenceAsking
}

// presenceTokenError gives a failed presence token the kind presenceVerdict
// acts on. The sign-in's own kinds stay, except that a keyring that did not
// answer is a blip (the calendars' token meets the same keyring and pauses
// the engine if it stays locked), and only missing consent for the presence
// scope counts as a refusal.
func presenceTokenError(err error) error {
	const op = "graph.presence.token"
	var ce *calendar.Error
	if !errors.As(err, &ce) {
		// A token source that gives no kind: nothing says it will fail again.
		return &calendar.Error{Kind: calendar.KindTransient, Op: op, Err: err}
	}
	e := *ce
	e.Op, e.Err = op, err
	switch {
	case isConsentCode(ce.Code):
		e.Kind = calendar.KindPermission
	case ce.Code == "keyring_unavailable" || errors.Is(err, context.DeadlineExceeded):
		e.Kind = calendar.KindTransient
	case ce.Kind == calendar.KindPermission:
		// Conditional access and the like: a matter for the sign-in, not consent.
		e.Kind = calendar.KindAuth
	}
	return &e
}

// isConsentCode reports whether Entra refused a scope for want of consent.
func isConsentCode(code string) bool {
	switch code {
	case "AADSTS65001", "AADSTS90094", "consent_required":
		return true
	}
	return false
}

// presenceCache lets a whole refresh share one set of getPresencesByUserId
// calls (650 ids each) although the engine asks for availability 20 people at a
// time, and lets the refreshes in between (the operator's on-demand ones) reuse
// it: presence is fetched for everyone once per interval. Ids whose fetch
// failed have no entry: their answers carry no automatic-reply reading, so the
// engine keeps the last one instead of taking "not out of office".
type presenceCache struct {
	mu        sync.Mutex
	gen       uint64
	fetchedAt time.Time
	asked     map[string]bool
	byID      map[string]presenceInfo
}

// presenceFor returns presence for the people in one batch, by user id. It
// never fails the batch: presence is a nicety next to the calendar.
func (s *Source) presenceFor(ctx context.Context, people []calendar.Person) map[string]presenceInfo {
	mode, gen := s.presenceMode()
	if mode != presenceAsking {
		return nil
	}
	var ids []string
	for _, p := range people {
		if p.ID != "" {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	c := &s.presence
	// Holding the lock through the fetch makes concurrent batches wait for the
	// one fetch instead of each starting its own.
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.opts.Now()
	maxAge := s.opts.PresenceInterval - s.opts.PresenceInterval/presenceSlack
	if c.byID == nil || c.gen != gen || now.Sub(c.fetchedAt) >= maxAge || now.Before(c.fetchedAt) {
		want := s.presenceIDs(ids)
		c.byID = s.fetchPresence(ctx, want, gen)
		c.fetchedAt, c.gen = now, gen
		c.asked = make(map[string]bool, len(want))
		for _, id := range want {
			c.asked[id] = true
		}
	} else if missing := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return c.asked[id] }); len(missing) > 0 {
		// Someone the last fetch did not cover (the directory grew): ask for
		// them alone, not for everyone again.
		slices.Sort(missing)
		missing = slices.Compact(missing)
		for id, pr := range s.fetchPresence(ctx, missing, gen) {
			c.byID[id] = pr
		}
		for _, id := range missing {
			c.asked[id] = true
		}
	}
	out := make(map[string]presenceInfo, len(ids))
	for _, id := range ids {
		if pr, ok := c.byID[id]; ok {
			out[id] = pr
		}
	}
	return out
}

// presenceIDs is everyone in the loaded directory plus this batch: the rest of
// the refresh will ask for them next.
func (s *Source) presenceIDs(batch []string) []string {
	s.dirMu.Lock()
	want := make([]string, 0, len(s.directory)+len(batch))
	for _, p := range s.directory {
		if p.ID != "" {
			want = append(want, p.ID)
		}
	}
	s.dirMu.Unlock()
	want = append(want, batch...)
	slices.Sort(want)
	return slices.Compact(want)
}

// fetchPresence asks for ids in chunks and returns what came back. A chunk
// that failed leaves its ids out, and its error decides the presence mode.
func (s *Source) fetchPresence(ctx context.Context, ids []string, gen uint64) map[string]presenceInfo {
	const op = "graph.getPresencesByUserId"
	chunks := slices.Collect(slices.Chunk(ids, PresenceBatchSize))
	results := make([][]presence, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, presenceConcurrency)
	for i, chunk := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := s.endpoint("/communications/getPresencesByUserId", nil)
			if err != nil {
				errs[i] = &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
				return
			}
			answer := presenceResponse{Value: make([]presence, 0, len(chunk))}
			if err := s.call(ctx, op, http.MethodPost, u, nil, presenceRequestBody{IDs: chunk}, &answer); err != nil {
				errs[i] = err
				return
			}
			results[i] = answer.Value
		}()
	}
	wg.Wait()
	asOf := s.opts.Now()
	out := make(map[string]presenceInfo, len(ids))
	for i, err := range errs {
		if err == nil {
			for j := range results[i] {
				if p := &results[i][j]; p.ID != "" {
					out[p.ID] = presenceOf(p, asOf)
				}
			}
			continue
		}
		if ctx.Err() != nil {
			continue
		}
		if s.presenceFailed(err, gen) {
			return out
		}
	}
	return out
}

// presenceFailed acts on one failed presence call: it reports true when
// presence is now off (refused or waiting for a sign-in), false for a blip.
// A failure of a sign-in the operator has since replaced changes nothing.
func (s *Source) presenceFailed(err error, gen uint64) bool {
	mode := presenceVerdict(err)
	if mode == presenceAsking {
		s.log.Warn("graph: presence unavailable this refresh; asking again at the next interval", "kind", calendar.KindOf(err).String(), "err", err)
		return false
	}
	st := &s.presenceSt
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.gen != gen {
		return true
	}
	st.mode = mode
	if mode == presenceAwaitingSignIn {
		s.log.Warn("graph: presence waits for the next sign-in", "kind", calendar.KindOf(err).String(), "err", err)
		return true
	}
	st.limitation = calendar.Limitation{Kind: calendar.LimitPresenceNotApproved, URL: s.opts.AdminConsentURL, Since: s.opts.Now(), Reason: err}
	var ce *calendar.Error
	if errors.As(err, &ce) && st.limitation.URL == "" {
		if u, ok := ce.HintArgs["URL"].(string); ok {
			st.limitation.URL = u
		}
	}
	s.log.Warn("graph: presence turned off: the organisation has not approved Presence.Read.All", "err", err)
	return true
}

func presenceOf(p *presence, asOf time.Time) presenceInfo {
	pr := presenceInfo{text: p.Availability, oof: calendar.OutOfOffice{AsOf: asOf}}
	if p.Activity != "" && p.Activity != p.Availability {
		pr.text = p.Availability + " (" + p.Activity + ")"
	}
	if o := p.OutOfOfficeSettings; o != nil {
		pr.oof.Active = o.IsOutOfOffice
		pr.oof.Message = o.Message
	}
	pr.note = statusMessageOf(p)
	if w := p.WorkLocation; w != nil {
		pr.location = calendar.ParseWorkLocation(w.WorkLocationType)
		if pr.location == calendar.WorkLocationNone {
			pr.location = calendar.WorkLocationUnknown // given, but without a type
		}
	}
	return pr
}

// noExpiryYear: Graph writes a note that never expires with an expiry at the
// end of time (9999-12-31) rather than none.
const noExpiryYear = 9999

// statusMessageOf is the colleague's Teams note as plain, capped text with
// its expiry. An expiry in a zone Frontdesk cannot name is read as UTC, as
// Graph writes it for another user; one that does not read at all is none
// (the note shows until the colleague clears it, as in Teams).
func statusMessageOf(p *presence) calendar.StatusMessage {
	sm := p.StatusMessage
	if sm == nil || sm.Message == nil {
		return calendar.StatusMessage{}
	}
	isHTML := strings.EqualFold(strings.TrimSpace(sm.Message.ContentType), "html")
	note := calendar.StatusMessage{Text: calendar.StatusMessageText(sm.Message.Content, isHTML)}
	if note.Text == "" {
		return calendar.StatusMessage{}
	}
	if t, ok := parseDateTimeTimeZone(sm.ExpiryDateTime, time.UTC); ok && t.Year() < noExpiryYear {
		note.Expires = t
	}
	return note
}
