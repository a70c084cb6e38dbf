// Package graph reads Microsoft 365 calendars, the directory and presence through
// Microsoft Graph. It is the only package that imports msgraph-sdk-go.
package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// SourceName is the contract's name for this backend.
const SourceName = "microsoft365"

// Graph's documented limits, which the defaults respect.
const (
	DefaultBatchSize      = 20  // getSchedule: documented maximum per request
	MaxBatchSize          = 100 // getSchedule: beyond this the server answers ErrorMailboxDataArrayTooBig
	DefaultMaxConcurrent  = 4   // Outlook: 4 concurrent requests per app per mailbox
	PresenceBatchSize     = 650 // getPresencesByUserId: documented maximum ids per request
	ViewInterval          = 15 * time.Minute
	maxScheduleWindow     = 62 * 24 * time.Hour
	defaultMaxInlineWait  = 5 * time.Second
	defaultMaxRetries     = 3
	defaultRetryBaseDelay = 2 * time.Second
)

// Graph endpoints per national cloud.
var cloudEndpoints = map[string]string{
	"global":    "https://graph.microsoft.com/v1.0",
	"usgov":     "https://graph.microsoft.us/v1.0",
	"usgov-dod": "https://dod-graph.microsoft.us/v1.0",
	"china":     "https://microsoftgraph.chinacloudapi.cn/v1.0",
}

// TokenSource hands out access tokens for the signed-in operator. auth.Client's
// silent token call satisfies it; tests pass a static token.
type TokenSource interface {
	Token(ctx context.Context, scopes []string) (string, error)
}

// StaticToken is a TokenSource for tests and headless automation that hands
// out tok whatever the scopes. It prints and logs as [REDACTED], as tok does.
func StaticToken(tok calendar.Secret) TokenSource { return staticToken{tok} }

type staticToken struct{ tok calendar.Secret }

func (s staticToken) Token(context.Context, []string) (string, error) { return s.tok.Reveal(), nil }

func (s staticToken) String() string { return s.tok.String() }

func (s staticToken) LogValue() slog.Value { return s.tok.LogValue() }

// People says which colleagues the directory holds; the first one set wins:
// Emails, then Group, then All.
type People struct {
	Emails []string
	Group  string // group object id or mail address; members are expanded transitively
	All    bool   // every enabled user with a mailbox in the tenant
}

// Options configure a Source. Token is required; everything else has a default.
type Options struct {
	Token TokenSource
	// Scopes are asked of Token; the default is the Graph resource's ".default".
	Scopes []string
	// PresenceScopes, when set, are asked of Token for presence calls alone, so a
	// tenant that never consented to Presence.Read.All loses presence, not calendars.
	PresenceScopes []string
	// Rooms turns on the meeting rooms' listing (/places/microsoft.graph.room,
	// Place.Read.All); their calendars come in the same getSchedule batches.
	Rooms bool
	// RoomScopes, when set, are asked of Token for the rooms' listing alone, so
	// a tenant that never approved Place.Read.All loses the rooms, not calendars.
	RoomScopes []string
	// Cloud picks the Graph endpoint (global, usgov, usgov-dod, china); GraphURL overrides it.
	Cloud    string
	GraphURL string
	People   People
	// Presence turns on getPresencesByUserId (needs Presence.Read.All).
	Presence bool
	// AdminConsentURL is where an administrator approves Frontdesk for the
	// organisation; the snapshot carries it when presence is refused.
	AdminConsentURL string
	// PresenceInterval is how often presence is fetched for everyone (the
	// refresh interval); zero means calendar.DefaultInterval. Refreshes in
	// between, such as the operator's on-demand ones, reuse the last answer.
	PresenceInterval time.Duration
	// Requests counts every HTTP request at the transport, retries included,
	// for the engine's budget; nil gets a meter of the Source's own.
	Requests *calendar.RequestMeter
	// Location is the operator's zone: getSchedule answers in it.
	Location *time.Location
	// CacheDir keeps the directory (names, never calendar data) between runs.
	CacheDir string
	// BatchSize is the schedules per getSchedule request: default 20, at most 100.
	BatchSize     int
	MaxConcurrent int
	// MaxRetries bounds the SDK retry handler's attempts on 429/503/504.
	MaxRetries int
	// RetryBaseDelay is the retry handler's exponential back-off base when the
	// server sends no Retry-After (whole seconds; at least one).
	RetryBaseDelay time.Duration
	// MaxInlineWait is the longest Retry-After waited out inside one request; a
	// longer one is handed to the refresh engine as a Throttled error.
	MaxInlineWait time.Duration
	// Transport is the network under the kiota middleware (proxies, custom CAs,
	// tests); nil means a fresh clone of http.DefaultTransport.
	Transport http.RoundTripper
	// Throttle, when set, keeps requests back while a wait Graph asked for,
	// in this process or another, lasts (calendar.RememberThrottling).
	Throttle calendar.ThrottleMemory
	Logger   *slog.Logger
	// Now is the clock for FetchedAt; tests fix it.
	Now func() time.Time
}

// Source implements calendar.Source over Microsoft Graph.
//
// It holds the SDK's request adapter, not a GraphServiceClient: the client's
// request builders cover the whole Graph API, and once any of them is
// reachable through an interface the linker keeps them all (tens of
// megabytes). Requests are built in call; answers are decoded in wire.go.
type Source struct {
	opts    Options
	adapter abs.RequestAdapter
	baseURL *url.URL
	origin  string // scheme://host:port of baseURL: the only place the token goes
	log     *slog.Logger

	presenceOn atomic.Bool // the configuration asks for presence
	presenceSt presenceStatus
	presence   presenceCache

	dirMu     sync.Mutex
	directory []calendar.Person
	fromCache time.Time // when directory was saved, while it is the cached copy
	// listingSkipped counts the records left out by the listing under way;
	// skipped is what the last complete listing left out.
	listingSkipped int
	skipped        calendar.Limitation
}

var (
	_ calendar.Source         = (*Source)(nil)
	_ calendar.DirectoryCache = (*Source)(nil)
)

// BaseURL resolves the Graph endpoint from a cloud name and an optional override.
func BaseURL(cloud, graphURL string) (string, error) {
	if graphURL != "" {
		u, err := url.Parse(graphURL)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("graph_url %q is not an address", graphURL)
		}
		if u.Scheme != "https" && !(u.Scheme == "http" && calendar.IsLoopbackHost(u.Hostname())) {
			return "", fmt.Errorf("graph_url %q must use https", graphURL)
		}
		return strings.TrimRight(graphURL, "/"), nil
	}
	if cloud == "" {
		cloud = "global"
	}
	base, ok := cloudEndpoints[cloud]
	if !ok {
		return "", fmt.Errorf("cloud %q is not one of global, usgov, usgov-dod, china", cloud)
	}
	return base, nil
}

// New builds a Source. It sends nothing over the network.
func New(opts Options) (*Source, error) {
	if opts.Token == nil {
		return nil, &calendar.Error{Kind: calendar.KindAuth, Op: "graph.New", Hint: "Not signed in."}
	}
	configErr := func(err error) error {
		return &calendar.Error{Kind: calendar.KindConfig, Op: "graph.New", Err: err}
	}
	base, err := BaseURL(opts.Cloud, opts.GraphURL)
	if err != nil {
		return nil, configErr(err)
	}
	baseURL, _ := url.Parse(base)
	switch {
	case opts.BatchSize == 0:
		opts.BatchSize = DefaultBatchSize
	case opts.BatchSize < 1 || opts.BatchSize > MaxBatchSize:
		return nil, configErr(fmt.Errorf("batch size %d is outside 1..%d", opts.BatchSize, MaxBatchSize))
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	if opts.MaxRetries <= 0 {
		opts.MaxRetries = defaultMaxRetries
	}
	if opts.RetryBaseDelay <= 0 {
		opts.RetryBaseDelay = defaultRetryBaseDelay
	}
	if opts.MaxInlineWait <= 0 {
		opts.MaxInlineWait = defaultMaxInlineWait
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PresenceInterval <= 0 {
		opts.PresenceInterval = calendar.DefaultInterval
	}
	if opts.Requests == nil {
		opts.Requests = calendar.NewRequestMeter(nil)
	}
	origin := originOf(baseURL)
	if len(opts.Scopes) == 0 {
		opts.Scopes = []string{baseURL.Scheme + "://" + baseURL.Host + "/.default"}
	}
	hosts, err := absauth.NewAllowedHostsValidatorErrorCheck([]string{baseURL.Hostname()})
	if err != nil {
		return nil, configErr(err)
	}
	auth := absauth.NewBaseBearerTokenAuthenticationProvider(&tokenProvider{src: opts.Token, scopes: opts.Scopes, presenceScopes: opts.PresenceScopes, roomScopes: opts.RoomScopes, hosts: hosts, origin: origin})
	// Only Graph's error bodies go through kiota's parser (for classify); our
	// own registries, since the SDK's defaults are filled in by a
	// GraphServiceClient, which Source does without.
	parsers := absser.NewParseNodeFactoryRegistry()
	parsers.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonParseNodeFactory()
	writers := absser.NewSerializationWriterFactoryRegistry()
	writers.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonSerializationWriterFactory()
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, parsers, writers, newHTTPClient(opts, origin))
	if err != nil {
		return nil, configErr(err)
	}
	adapter.SetBaseUrl(base)
	s := &Source{opts: opts, adapter: adapter, baseURL: baseURL, origin: origin, log: opts.Logger}
	s.presenceOn.Store(opts.Presence)
	return s, nil
}

// Name is the contract's source name.
func (s *Source) Name() string { return SourceName }

// Limits are getSchedule's: schedules per request and requests in flight.
func (s *Source) Limits() calendar.Limits {
	return calendar.Limits{BatchSize: s.opts.BatchSize, MaxConcurrent: s.opts.MaxConcurrent}
}

// RequestMeter is what every request of this Source is counted with.
func (s *Source) RequestMeter() *calendar.RequestMeter { return s.opts.Requests }

// RefreshRequests is every request one refresh of people colleagues sends to
// Graph: one getSchedule per batchSize schedules and, with presence, one
// getPresencesByUserId per PresenceBatchSize ids (presence is fetched once a
// refresh interval for everyone, with the first batch).
func RefreshRequests(people, batchSize int, presence bool) int {
	if people <= 0 {
		return 0
	}
	n := calendar.RequestsPerCycle(people, batchSize)
	if presence {
		n += calendar.RequestsPerCycle(people, PresenceBatchSize)
	}
	return n
}

// RequestsPerRefresh is RefreshRequests for this Source: presence counts
// while it is being asked.
func (s *Source) RequestsPerRefresh(people int) int {
	return RefreshRequests(people, s.opts.BatchSize, s.PresenceEnabled())
}

// PresenceEnabled reports whether presence is being asked for: it is off when
// the configuration says so, when the tenant refused Presence.Read.All, and
// while the presence sign-in waits for the operator to sign in again.
func (s *Source) PresenceEnabled() bool {
	mode, _ := s.presenceMode()
	return mode == presenceAsking
}

// tokenProvider is the kiota AccessTokenProvider over a TokenSource. Unlike
// kiota's own, it fails loudly for an address it may not send the token to: a
// silently missing Authorization header only shows up as a puzzling 401.
type tokenProvider struct {
	src            TokenSource
	scopes         []string
	presenceScopes []string
	roomScopes     []string
	hosts          *absauth.AllowedHostsValidator
	// origin is the only scheme://host:port the token goes to. kiota's
	// validator compares host names only, so another port on the same host
	// (any local process on 127.0.0.1) would get it.
	origin string
}

func (p *tokenProvider) GetAuthorizationToken(ctx context.Context, u *url.URL, _ map[string]any) (string, error) {
	if originOf(u) != p.origin {
		// Not a settings problem: the configured Graph URL is fine, something
		// (a paging link, a redirect) pointed elsewhere.
		return "", &calendar.Error{Kind: calendar.KindTransient, Op: "graph.token", Code: "ForeignOrigin",
			Hint: "The server pointed Frontdesk at another address; Frontdesk did not send the sign-in there. It tries again later; details are in the log.",
			Err:  fmt.Errorf("refusing to send the Graph token to %s: only %s gets it", originOf(u), p.origin)}
	}
	scopes := p.scopes
	presence := len(p.presenceScopes) > 0 && strings.Contains(u.Path, "/communications/")
	if presence {
		scopes = p.presenceScopes
	}
	rooms := len(p.roomScopes) > 0 && strings.Contains(u.Path, "/places/")
	if rooms {
		scopes = p.roomScopes
	}
	tok, err := p.src.Token(ctx, scopes)
	if err != nil && (presence || rooms) && ctx.Err() == nil {
		// Calendars carry on with their own token whatever happened here; the
		// presence code acts on the kind (presenceVerdict), the engine on the
		// rooms' (a refusal waits for the next sign-in).
		return "", presenceTokenError(err)
	}
	if err != nil {
		var ce *calendar.Error
		if errors.As(err, &ce) {
			return "", err
		}
		if ctx.Err() != nil {
			return "", err
		}
		return "", &calendar.Error{Kind: calendar.KindAuth, Op: "graph.token", Err: err}
	}
	if tok == "" {
		return "", &calendar.Error{Kind: calendar.KindAuth, Op: "graph.token", Hint: "Not signed in."}
	}
	// Whatever the token's origin (MSAL, the environment, a test), a server
	// that echoes it back must echo nothing readable.
	calendar.RegisterSecret(calendar.Secret(tok))
	return tok, nil
}

func (p *tokenProvider) GetAllowedHostsValidator() *absauth.AllowedHostsValidator { return p.hosts }
