package app

import (
	"context"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/graph"
)

// GraphTokenEnv supplies a Graph access token for tests and automation (a
// wallboard fed by a pipeline that holds its own token). Never logged, never stored.
const GraphTokenEnv = "FRONTDESK_GRAPH_TOKEN"

// newGraphSource builds the Microsoft Graph source from the configuration.
func (env *Env) newGraphSource(ctx context.Context, cfg Config) (calendar.Source, error) {
	tokens, err := env.graphTokenSource(ctx, cfg)
	if err != nil {
		return nil, err
	}
	m := cfg.Microsoft365
	opts := graph.Options{
		Token:    tokens,
		Cloud:    m.Cloud,
		GraphURL: m.GraphURL,
		People: graph.People{
			Emails: cfg.People.Emails,
			Group:  cfg.People.Group,
			All:    cfg.People.All,
		},
		Presence:        m.Presence,
		Rooms:           cfg.Rooms,
		AdminConsentURL: auth.AdminConsentURL(m.Tenant, m.ClientID),
		// Presence for everyone once per refresh interval, not per on-demand refresh.
		PresenceInterval: cfg.RefreshInterval.Duration,
		Location:         location(cfg),
		CacheDir:         env.Paths.StateDir,
		Logger:           env.Logger,
	}
	if base, err := graph.BaseURL(m.Cloud, m.GraphURL); err == nil {
		opts.Throttle = env.throttleMemory(base)
	}
	if _, signedIn := tokens.(*auth.Client); signedIn {
		opts.Scopes = auth.GraphScopes
		opts.PresenceScopes = auth.PresenceScopes
		if cfg.Rooms {
			opts.RoomScopes = auth.RoomScopes
		}
	}
	return graph.New(opts)
}

// graphTokenSource is where Graph gets its access tokens: the headless token
// from GraphTokenEnv when set (automation), otherwise the operator's sign-in,
// silently (never a browser from a refresh).
func (env *Env) graphTokenSource(_ context.Context, cfg Config) (graph.TokenSource, error) {
	if tok := calendar.Secret(env.Getenv(GraphTokenEnv)); tok != "" {
		if env.Logger != nil {
			env.Logger.Info("graph: using the access token from the environment", "var", GraphTokenEnv)
		}
		return graph.StaticToken(tok), nil
	}
	client, err := env.newAuthClient(cfg)
	if err != nil {
		return nil, &calendar.Error{Kind: calendar.KindConfig, Op: "graph.signin", Err: err}
	}
	return client, nil
}
