package instance

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation"
	"github.com/commonplace-social/commonplace/federation/delivery"
	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/blocks"
	"github.com/commonplace-social/commonplace/internal/buildinfo"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/wake"
)

// Core is everything an instance is made of except its HTTP server: the
// store, the use cases, the federation client and the job queue. `serve`
// runs a Core with workers; the CLI commands open one without, so what
// they leave on the queue is delivered by the running server.
type Core struct {
	Config    config.Config
	Layout    iri.Layout
	Store     *store.Store
	Orgs      *orgs.Service
	Follows   *follows.Service
	Blocks    *blocks.Service
	Posts     *posts.Service
	Networks  *network.Service
	Media     *media.Service // nil when no media storage is configured
	Fetcher   *federation.Fetcher
	Queue     *jobs.Queue
	Deliverer *delivery.Deliverer
	Wake      *wake.Hub // wakes the dispatcher and applier, here and in other processes
	Log       *slog.Logger

	// RemoteMedia caches other servers' pictures; nil without media storage.
	RemoteMedia *media.RemoteCache

	workers *river.Workers // nil for an insert-only core
}

// Tuning holds settings tests change to make queues and retries fast.
type Tuning struct {
	PollInterval     time.Duration
	RescueStuckAfter time.Duration
	JobTimeout       time.Duration
	RetryPolicy      jobs.RetryPolicy
	KeyRefetchAfter  time.Duration
}

// openCore opens the store, migrates it, settles the base URL and builds the
// use cases. work says whether this process works the job queue.
func openCore(ctx context.Context, cfg config.Config, log *slog.Logger, work bool, tune Tuning) (*Core, error) {
	st, err := store.Open(ctx, cfg.StorageURL())
	if err != nil {
		return nil, err
	}
	c, err := buildCore(ctx, cfg, st, log, work, tune)
	if err != nil {
		st.Close()
		return nil, err
	}
	return c, nil
}

func buildCore(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger, work bool, tune Tuning) (*Core, error) {
	applied, err := st.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "applied", applied)
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		return nil, err
	}
	base, err := settleBaseURL(ctx, st, cfg)
	if err != nil {
		return nil, err
	}
	// A CLI command follows the mode the server was started in: only a
	// local-testing instance has http:// ids.
	cfg.LocalTesting = strings.HasPrefix(base, "http://")
	c := &Core{Config: cfg, Layout: iri.New(base), Store: st, Log: log}
	c.Orgs = &orgs.Service{Store: st}
	client := transport.New(transport.Options{
		AllowPrivate: cfg.LocalTesting,
		UserAgent:    fmt.Sprintf("Commonplace/%s (+%s)", buildinfo.Version, base),
	})
	refetch := tune.KeyRefetchAfter
	if refetch == 0 {
		refetch = time.Minute
	}
	c.Fetcher = &federation.Fetcher{Transport: client, Store: st, Layout: c.Layout, Orgs: c.Orgs,
		RefetchAfter: refetch, StaleAfter: 24 * time.Hour}
	if work {
		c.workers = river.NewWorkers()
	}
	c.Queue, err = jobs.New(st, jobs.Options{Workers: c.workers, MaxWorkers: cfg.QueueWorkers, PollInterval: tune.PollInterval,
		RescueStuckAfter: cmp.Or(tune.RescueStuckAfter, cfg.JobRescueAfter), JobTimeout: cmp.Or(tune.JobTimeout, cfg.JobTimeout),
		RetryPolicy: tune.RetryPolicy, Logger: log})
	if err != nil {
		return nil, err
	}
	c.Wake = wake.New(st, log)
	c.Deliverer = delivery.New(delivery.Config{Store: st, Transport: client, Queue: c.Queue, Log: log,
		KeyID: c.Layout.KeyIDOf, Wake: c.Wake,
		// A crashed process's hosts are taken over as its jobs are.
		Dispatch: delivery.DispatchOptions{LeaseTTL: cmp.Or(tune.RescueStuckAfter, cfg.JobRescueAfter), Poll: tune.PollInterval}})
	c.Blocks = &blocks.Service{Store: st, Layout: c.Layout}
	outbox := &federation.Outbox{Layout: c.Layout, Deliver: &federation.SkipBlocked{Next: c.Deliverer, Blocks: c.Blocks}}
	c.Follows = &follows.Service{Store: st, Layout: c.Layout, Send: outbox}
	c.Orgs.Send, c.Orgs.NewActivityID = outbox, c.Layout.NewActivityID
	// Posts go out through the networks' Resharer, which has each network
	// re-share its members' posts in the same transaction.
	c.Posts = &posts.Service{Store: st, Layout: c.Layout, Send: &network.Resharer{Next: outbox, Store: st, Layout: c.Layout}, Jobs: c.Queue}
	c.Networks = &network.Service{Store: st, Layout: c.Layout, Follows: c.Follows, Resolve: c.Fetcher.Resolve, Send: outbox}
	if err := c.openMedia(); err != nil {
		return nil, err
	}
	return c, nil
}

// settleBaseURL ties the database to the URL it is first served under. Every
// id handed to other servers contains it, so serving the same data under
// another domain (or switching http/https) would break every follow. A CLI
// command run without --domain uses the URL the server claimed.
func settleBaseURL(ctx context.Context, st *store.Store, cfg config.Config) (string, error) {
	if cfg.Domain == "" {
		stored, ok, err := st.Setting(ctx, "base_url")
		if err != nil {
			return "", err
		}
		if !ok {
			return "", fmt.Errorf("this database has never been served, so its domain is unknown: pass --domain (and --local-testing if the server uses it)")
		}
		return stored, nil
	}
	d, err := config.NormaliseDomain(cfg.Domain)
	if err != nil {
		return "", err
	}
	cfg.Domain = d
	base := cfg.BaseURL()
	stored, err := st.SetSettingOnce(ctx, "base_url", base)
	if err != nil {
		return "", err
	}
	if stored != base {
		return "", fmt.Errorf("this database belongs to the instance at %s, not %s: ids already given to other servers name that address, so it cannot change (check --domain and --local-testing, or use a new database)", stored, base)
	}
	return base, nil
}

// OpenTools opens a Core for a CLI command: no workers, no HTTP.
func OpenTools(ctx context.Context, cfg config.Config, log *slog.Logger) (*Core, error) {
	if err := cfg.ValidateStorage(); err != nil {
		return nil, err
	}
	return openCore(ctx, cfg, log, false, Tuning{})
}

// Close releases the database.
func (c *Core) Close() error { return c.Store.Close() }
