package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// maxBatchRequests is Graph's documented limit of requests in one JSON
// batch (POST /$batch).
const maxBatchRequests = 20

// The JSON batch is written and read here with encoding/json, like every
// other Graph answer (wire.go), and sent through Source.call, so the token,
// kiota's middleware (its retry handler retries the batch as a whole), the
// request meter and the transport checks apply to it as to any request.
// msgraph-sdk-go-core's BatchRequest was not used: it names each request with
// a random UUID (no request body a test can hold exactly), and it reads each
// inner answer into a map[string]any that it marshals again and parses with
// kiota's parse nodes, the cost wire.go exists to avoid.

// batchItem is one request of a batch; URL is relative to the Graph version
// root ("/users?$filter=...").
type batchItem struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	URL    string `json:"url"`
}

type batchRequestBody struct {
	Requests []batchItem `json:"requests"`
}

type batchAnswer struct {
	Responses []batchItemAnswer `json:"responses"`
}

// batchItemAnswer is the answer to one request of a batch: its own status
// and headers (a 429 carries its Retry-After here), in any order.
type batchItemAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    jsontext.Value    `json:"body"`
}

func (a *batchItemAnswer) header(name string) string {
	for k, v := range a.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// retryableInBatch is an inner status that is waited out and asked again,
// as kiota's retry handler does for a whole request.
func retryableInBatch(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// innerError classifies an inner request's failure as classify does a
// whole request's, from its status, headers and Graph's error body.
func innerError(op string, a *batchItemAnswer) error {
	headers := abs.NewResponseHeaders()
	for k, v := range a.Headers {
		headers.Add(k, v)
	}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = decodeAnswer(a.Body, &body) // no readable error body: the status speaks
	return classifyStatus(op, a.Status, headers, body.Error.Code, calendar.ScrubSecrets(body.Error.Message))
}

// relativeURL is path with query as a request inside a batch names it.
func relativeURL(path string, query url.Values) string {
	// url.Values writes a space as "+", which OData filters do not read as one.
	return path + "?" + strings.ReplaceAll(query.Encode(), "+", "%20")
}

// lookUpUsers sends the user lookups (GETs of /users, each answered by a
// page of users) in JSON batches of maxBatchRequests, MaxConcurrent batches
// in flight, and hands every user found to each, one at a time. The first
// failure stops the rest and is returned.
func (s *Source) lookUpUsers(ctx context.Context, op string, lookups []string, each func(*user)) error {
	items := make([]batchItem, len(lookups))
	for i, l := range lookups {
		items[i] = batchItem{ID: strconv.Itoa(i%maxBatchRequests + 1), Method: http.MethodGet, URL: l}
	}
	var mu sync.Mutex
	serial := func(u *user) {
		mu.Lock()
		defer mu.Unlock()
		each(u)
	}
	batches := slices.Collect(slices.Chunk(items, maxBatchRequests))
	err := calendar.InParallel(ctx, len(batches), s.opts.MaxConcurrent, func(ctx context.Context, i int) error {
		return s.sendUserBatch(ctx, op, batches[i], serial)
	})
	if err != nil {
		return err
	}
	return ctx.Err()
}

// sendUserBatch sends one batch of user lookups and reads each answer. An
// inner 404 is a lookup that found nobody (its addresses are listed by
// address, as when the filter matches nobody). Inner 429s (and 503/504) are
// asked again, alone, after their Retry-After (exponential back-off without
// one), within the wait retryPolicy allows one request; a longer wait is
// handed to the caller as the Throttled error it is, with the Retry-After.
// Any other inner failure fails the listing, as it would on its own.
func (s *Source) sendUserBatch(ctx context.Context, op string, pending []batchItem, each func(*user)) error {
	u, err := s.endpoint("/$batch", nil)
	if err != nil {
		return &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
	}
	u.RawQuery = ""
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		// The server counts every request of a batch; the transport counts
		// the batch itself as one.
		if err := s.opts.Requests.TakeInner(len(pending) - 1); err != nil {
			return err
		}
		var answer batchAnswer
		if err := s.getBatch(ctx, op, u, pending, &answer); err != nil {
			return err
		}
		byID := make(map[string]*batchItemAnswer, len(answer.Responses))
		for i := range answer.Responses {
			byID[answer.Responses[i].ID] = &answer.Responses[i]
		}
		var retry []batchItem
		var wait time.Duration
		var throttled error
		for _, item := range pending {
			a, ok := byID[item.ID]
			if !ok {
				return calendar.NewUnreadableAnswer(op, http.StatusOK, fmt.Errorf("the batch holds no answer to request %s", item.ID))
			}
			switch {
			case a.Status >= 200 && a.Status <= 299:
				if err := s.readUserLookup(ctx, op, a.Body, each); err != nil {
					return err
				}
			case a.Status == http.StatusNotFound:
				s.log.Warn("graph: a user lookup found nobody; its addresses are listed by address", "op", op, "lookup", item.URL)
			case retryableInBatch(a.Status):
				d, ok := calendar.ParseRetryAfter(a.header("Retry-After"), time.Now())
				if !ok {
					d = s.opts.RetryBaseDelay << attempt
				}
				wait = max(wait, d)
				retry = append(retry, item)
				throttled = innerError(op, a)
			default:
				return innerError(op, a)
			}
		}
		if len(retry) == 0 {
			return nil
		}
		if attempt >= s.opts.MaxRetries || waited+wait > s.opts.MaxInlineWait {
			s.log.Warn("graph: user lookups throttled inside a batch; handing the wait to the engine", "op", op,
				"lookups", len(retry), "retry_after", wait, "attempts", attempt+1)
			if ce, ok := throttled.(*calendar.Error); ok && ce.RetryAfter == 0 {
				ce.RetryAfter = wait
			}
			return throttled
		}
		s.log.Info("graph: user lookups throttled inside a batch; asking again", "op", op, "lookups", len(retry), "retry_after", wait)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		waited += wait
		pending = retry
	}
}

// getBatch posts one batch within the timeout of a directory page.
func (s *Source) getBatch(ctx context.Context, op string, u *url.URL, items []batchItem, answer *batchAnswer) error {
	ctx, cancel := context.WithTimeout(ctx, directoryPageTimeout)
	defer cancel()
	return s.call(ctx, op, http.MethodPost, u, nil, batchRequestBody{Requests: items}, answer)
}

// readUserLookup reads one lookup's answer, a page of users, as listUsers
// reads a page; a further page is fetched on its own.
func (s *Source) readUserLookup(ctx context.Context, op string, body jsontext.Value, each func(*user)) error {
	var page userPage
	if len(body) == 0 {
		return calendar.NewUnreadableAnswer(op, http.StatusOK, errEmptyAnswer)
	}
	if err := decodeAnswer(body, &page); err != nil {
		if page.decodeRecords(body) != nil {
			return calendar.NewUnreadableAnswer(op, http.StatusOK, fmt.Errorf("answer does not read as Graph's: %w", err))
		}
	}
	return s.readPages(ctx, op, nil, &page, each)
}
