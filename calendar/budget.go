package calendar

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// The documented Outlook limit every request of the operator's mailbox counts
// against: 10,000 requests per 10 minutes per app per mailbox.
const (
	MailboxRequestLimit  = 10000
	MailboxRequestWindow = 10 * time.Minute
	// PlannedRequestShare is the part of the limit polling may plan to use; the
	// rest is headroom for on-demand refreshes, the directory and the operator's
	// own Outlook on the same mailbox.
	PlannedRequestShare = MailboxRequestLimit / 2
	// HardRequestCeiling is what the engine never exceeds in any 10-minute window,
	// whatever the operator presses: it holds requests back instead.
	HardRequestCeiling = MailboxRequestLimit * 8 / 10
)

// Budget is the polling plan for one directory size.
type Budget struct {
	// Requests is what polling sends per MailboxRequestWindow at Interval.
	Requests int
	// Interval is the configured interval, or longer when it had to be stretched.
	Interval time.Duration
	// Stretched is true when Interval is longer than configured.
	Stretched bool
}

// RequestsPerCycle is how many Availability calls one refresh of everyone takes.
func RequestsPerCycle(people, batchSize int) int {
	if people <= 0 {
		return 0
	}
	if batchSize <= 0 {
		return 1
	}
	return (people + batchSize - 1) / batchSize
}

// RefreshCost is implemented by a Source whose refresh sends more than its
// Availability calls (EWS GetMailTips, Graph presence): it counts every HTTP
// request one refresh of people colleagues sends, as its server sees them.
type RefreshCost interface {
	RequestsPerRefresh(people int) int
}

// RequestsPerRefresh is every request one refresh of people colleagues sends
// through src: the Source's own count when it has one, else one Availability
// call per batch. The budget, Settings' estimate and the doctor all use it;
// for an AutoReplySource it is a refresh that reads everyone's automatic
// replies, and the engine plans with its cadence instead (schedule.costOf).
func RequestsPerRefresh(src Source, people int) int {
	if c, ok := src.(RefreshCost); ok {
		return c.RequestsPerRefresh(people)
	}
	return RequestsPerCycle(people, src.Limits().BatchSize)
}

// RequestsPerWindow is what refreshing every interval, perRefresh requests a
// refresh, sends per 10 minutes. A cycle that starts inside the window sends
// all its requests, so partial cycles count whole.
func RequestsPerWindow(perRefresh int, interval time.Duration) int {
	return Refreshes(perRefresh).PerWindow(interval)
}

// RequestsPerHour is what refreshing every interval, perRefresh requests a
// refresh, sends in an hour.
func RequestsPerHour(perRefresh int, interval time.Duration) int {
	if interval <= 0 {
		return 0
	}
	return int(float64(perRefresh) * float64(time.Hour) / float64(interval))
}

// Cost is what refreshes send when not every refresh sends the same: Each
// is what every refresh sends, and Periodic what every AutoReplyEvery-th one
// adds, the first refresh included (EWS reads everyone's automatic replies
// then, and only the shown and watched colleagues' in between).
type Cost struct {
	Each, Periodic int
}

// Refreshes is the Cost of refreshes that all send perRefresh requests.
func Refreshes(perRefresh int) Cost { return Cost{Each: perRefresh} }

// Heaviest is what the heaviest refresh sends (the one with the periodic part).
func (c Cost) Heaviest() int { return c.Each + c.Periodic }

// PerWindow is what refreshing every interval sends in the heaviest
// MailboxRequestWindow: a cycle that starts inside the window sends all its
// requests, so partial cycles count whole, and any run of n cycles holds at
// most ceil(n/AutoReplyEvery) periodic ones.
func (c Cost) PerWindow(interval time.Duration) int {
	if interval <= 0 {
		return 0
	}
	cycles := int((MailboxRequestWindow + interval - 1) / interval)
	return c.Each*cycles + c.Periodic*((cycles+AutoReplyEvery-1)/AutoReplyEvery)
}

// PerHour is what refreshing every interval sends in an hour, on average.
func (c Cost) PerHour(interval time.Duration) int {
	if interval <= 0 {
		return 0
	}
	perRefresh := float64(c.Each) + float64(c.Periodic)/AutoReplyEvery
	return int(perRefresh*float64(time.Hour)/float64(interval) + 0.5)
}

// PlanBudget stretches interval, in whole seconds, until refreshes of
// perRefresh requests each stay within PlannedRequestShare.
func PlanBudget(perRefresh int, interval time.Duration) Budget {
	return PlanBudgetFor(Refreshes(perRefresh), interval)
}

// PlanBudgetFor stretches interval, in whole seconds, until refreshes costing
// c stay within PlannedRequestShare in every 10-minute window.
func PlanBudgetFor(c Cost, interval time.Duration) Budget {
	b := Budget{Requests: c.PerWindow(interval), Interval: interval}
	if b.Requests <= PlannedRequestShare {
		return b
	}
	// Start from the interval the average refresh would need (never longer
	// than the answer), then lengthen it a second at a time.
	average := float64(c.Each) + float64(c.Periodic)/AutoReplyEvery
	var stretched time.Duration
	if cycles := int(float64(PlannedRequestShare) / average); cycles > 0 {
		stretched = (MailboxRequestWindow + time.Duration(cycles) - 1) / time.Duration(cycles)
	} else {
		// Even one cycle per window is too many: spread cycles so the average
		// stays within the share; the hard ceiling guards each window.
		stretched = time.Duration(float64(MailboxRequestWindow) * average / PlannedRequestShare)
	}
	stretched = stretched.Truncate(time.Second)
	for c.PerWindow(stretched) > PlannedRequestShare && stretched < time.Duration(c.Heaviest())*MailboxRequestWindow {
		stretched += time.Second
	}
	b.Interval = max(stretched, interval)
	b.Requests = c.PerWindow(b.Interval)
	b.Stretched = b.Interval > interval
	return b
}

// Notice is the sentence the status bar and the log show about a stretched plan.
func (b Budget) Notice(people, perRefresh int, configured time.Duration) string {
	return b.NoticeFor(people, Refreshes(perRefresh), configured)
}

// NoticeFor is Notice for refreshes costing c.
func (b Budget) NoticeFor(people int, c Cost, configured time.Duration) string {
	if !b.Stretched {
		return ""
	}
	return fmt.Sprintf("Refreshing every %s instead of %s: %d people, %s a refresh, would send %d requests per 10 minutes, over half the mailbox limit of %d.",
		FormatInterval(b.Interval), FormatInterval(configured), people, c.describe(), c.PerWindow(configured), MailboxRequestLimit)
}

// describe is "10 requests" or "10 requests (30 every 5th)".
func (c Cost) describe() string {
	if c.Periodic == 0 {
		return fmt.Sprintf("%d requests", c.Each)
	}
	return fmt.Sprintf("%d requests (%d every %dth)", c.Each, c.Heaviest(), AutoReplyEvery)
}

// ErrRequestCeiling is why a request was held back on this side: HardRequestCeiling
// requests already left within MailboxRequestWindow.
var ErrRequestCeiling = fmt.Errorf("holding requests back: %d sent in the last 10 minutes", HardRequestCeiling)

// RequestMeter counts every HTTP request that leaves for one mailbox's server,
// at the transport, so presence, directory pages, mail tips, name lookups and
// the SDK's own retries all count against the budget and its ceiling, not just
// the refresh engine's calls. It is safe for concurrent use.
type RequestMeter struct {
	now func() time.Time

	mu   sync.Mutex
	log  requestLog
	sent int64
}

// NewRequestMeter returns a meter on now's clock (nil: the wall clock).
func NewRequestMeter(now func() time.Time) *RequestMeter {
	if now == nil {
		now = time.Now
	}
	return &RequestMeter{now: now}
}

// Sent is how many requests left since the meter was made.
func (m *RequestMeter) Sent() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sent
}

// InWindow is how many requests left within the last MailboxRequestWindow.
func (m *RequestMeter) InWindow() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.log.within(m.now())
}

// freeAt returns when the next request may leave.
func (m *RequestMeter) freeAt(now time.Time) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.log.freeAt(now)
}

// record notes a request leaving at now.
func (m *RequestMeter) record(now time.Time) {
	m.mu.Lock()
	m.log.record(now)
	m.sent++
	m.mu.Unlock()
}

// take records a request leaving now, or refuses it when the ceiling is reached.
func (m *RequestMeter) take() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if free := m.log.freeAt(now); free.After(now) {
		return &Error{Kind: KindThrottled, Op: "requests", Code: "RequestCeiling", RetryAfter: free.Sub(now), Err: ErrRequestCeiling,
			Hint:     "Frontdesk sent {{.Requests}} requests in the last 10 minutes and is holding the next ones back, to keep the mailbox under its limit. It goes on by itself.",
			HintArgs: map[string]any{"Requests": HardRequestCeiling}}
	}
	m.log.record(now)
	m.sent++
	return nil
}

// TakeInner counts n requests that leave inside one HTTP request the
// transport counts already (the requests of a Graph JSON batch after the
// first: the server counts each), or refuses when the ceiling is reached.
func (m *RequestMeter) TakeInner(n int) error {
	for range n {
		if err := m.take(); err != nil {
			return err
		}
	}
	return nil
}

// Transport counts every request that goes through base, and refuses one
// that would go over HardRequestCeiling with a KindThrottled *Error, without
// sending it. Put it under any middleware that retries, so retries count too.
func (m *RequestMeter) Transport(base http.RoundTripper) http.RoundTripper {
	return &meteredTransport{meter: m, base: base}
}

type meteredTransport struct {
	meter *RequestMeter
	base  http.RoundTripper
}

func (t *meteredTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.meter.take(); err != nil {
		if req.Body != nil {
			req.Body.Close() // a RoundTripper must close the body, even on error
		}
		return nil, err
	}
	return t.base.RoundTrip(req)
}

// Metered is implemented by sources that count their own requests at the
// transport; the refresh engine then reads their meter instead of counting calls.
type Metered interface {
	RequestMeter() *RequestMeter
}

// requestMeterOf returns the meter the engine keeps its budget with, and
// whether the engine must count its calls itself (a source with no meter,
// such as the demo company, which sends nothing).
func requestMeterOf(src Source, now func() time.Time) (meter *RequestMeter, countCalls bool) {
	if m, ok := src.(Metered); ok && m.RequestMeter() != nil {
		return m.RequestMeter(), false
	}
	return NewRequestMeter(now), true
}

// requestLog remembers when the last HardRequestCeiling requests left, so the
// engine can hold the next one back rather than exceed the ceiling in any window.
type requestLog struct {
	sent []time.Time // ring buffer, allocated on first use
	head int         // oldest entry once full
	full bool
}

// freeAt returns when the next request may leave (now, or later if the ceiling
// was reached within the window).
func (l *requestLog) freeAt(now time.Time) time.Time {
	if !l.full {
		return now
	}
	if free := l.sent[l.head].Add(MailboxRequestWindow); free.After(now) {
		return free
	}
	return now
}

// within counts the requests that left after now minus the window.
func (l *requestLog) within(now time.Time) int {
	n := l.head
	if l.full {
		n = len(l.sent)
	}
	since := now.Add(-MailboxRequestWindow)
	count := 0
	for _, t := range l.sent[:n] {
		if t.After(since) {
			count++
		}
	}
	return count
}

// record notes a request leaving at now. Call only when freeAt(now) is not after now.
func (l *requestLog) record(now time.Time) {
	if l.sent == nil {
		l.sent = make([]time.Time, HardRequestCeiling)
	}
	l.sent[l.head] = now
	l.head++
	if l.head == len(l.sent) {
		l.head, l.full = 0, true
	}
}
