// Package instance wires one Commonplace server together from its parts:
// configuration, store, use cases, job queue, the federation and web
// handlers. The binary's `serve` and the tests (including the multi-instance
// rig) start servers through it, so what is tested is what runs.
package instance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/web"
)

// Instance is one running Commonplace server.
type Instance struct {
	*Core
	Federation *federation.Server
	Metrics    *metrics.Metrics // this instance's own registry, served at /metrics
	handler    http.Handler
	applier    *federation.Applier
}

// Open checks the configuration, connects to and migrates the database, and
// builds the HTTP handler and the queue workers. Every failure is one
// sentence an operator can act on.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Instance, error) {
	return OpenTuned(ctx, cfg, log, Tuning{})
}

// OpenTuned is Open with queue and retry timings set, for tests.
func OpenTuned(ctx context.Context, cfg config.Config, log *slog.Logger, tune Tuning) (*Instance, error) {
	if err := cfg.ValidateServer(); err != nil {
		return nil, err
	}
	core, err := openCore(ctx, cfg, log, true, tune)
	if err != nil {
		return nil, err
	}
	inst := &Instance{Core: core}
	if _, err := core.Orgs.InstanceActor(ctx); err != nil {
		core.Close()
		return nil, err
	}
	inst.Federation = &federation.Server{Layout: core.Layout, Store: core.Store, Orgs: core.Orgs,
		Follows: core.Follows, Posts: core.Posts, Networks: core.Networks, Fetcher: core.Fetcher, Blocks: core.Blocks, Jobs: core.Queue, Log: log,
		InboxLimit: federation.NewInboxLimiter(cfg.InboxRate, cfg.InboxBurst), ClientAddr: cfg.ClientIP().Addr,
		Wake: core.Wake}
	inst.applier = &federation.Applier{Server: inst.Federation, Retry: core.Queue.RetryPolicy(),
		Timeout: cmp.Or(tune.JobTimeout, cfg.JobTimeout), PollEvery: tune.PollInterval}
	river.AddWorker(core.workers, &federation.ApplyWorker{Server: inst.Federation})
	river.AddWorker(core.workers, &federation.BackfillWorker{Server: inst.Federation})
	river.AddWorker(core.workers, &posts.ScheduledWorker{Posts: core.Posts, Log: log})
	core.Deliverer.Register(core.workers)
	if core.RemoteMedia != nil {
		river.AddWorker(core.workers, &media.FetchRemoteWorker{Cache: core.RemoteMedia})
	}
	if inst.handler, err = inst.routes(); err != nil {
		core.Close()
		return nil, err
	}
	return inst, nil
}

func (inst *Instance) routes() (http.Handler, error) {
	r := mux.NewRouter()
	inst.registerMetrics(r)
	r.HandleFunc("/healthz", inst.healthz).Methods("GET", "HEAD")
	r.HandleFunc("/readyz", inst.readyz).Methods("GET", "HEAD")
	inst.Federation.Register(r)
	site, err := web.New(web.Deps{Layout: inst.Layout, Store: inst.Store, Orgs: inst.Orgs, Posts: inst.Posts,
		Follows: inst.Follows, Networks: inst.Networks, Blocks: inst.Blocks, Resolve: inst.Fetcher.Resolve, SearchRemote: inst.Federation, Secure: !inst.Config.LocalTesting, BehindProxy: inst.Config.BehindProxy,
		TrustedProxies: inst.Config.ClientIP().Trusted, Log: inst.Log, MediaFiles: inst.mediaFiles(), Media: inst.Media})
	if err != nil {
		return nil, err
	}
	web.RegisterRemoteMedia(r, inst.RemoteMedia)
	site.Register(r)
	return recoverPanics(inst.Log, countRequests(inst.Metrics, logRequests(inst.Log, inst.Config.ClientIP(), r))), nil
}

// Handler is the instance's whole HTTP surface.
func (inst *Instance) Handler() http.Handler { return inst.handler }

// Serve works the job queue and answers HTTP on ln until ctx is cancelled,
// then stops taking new requests, gives those in flight and running jobs up
// to ten seconds to finish, and leaves unfinished jobs for the next start.
func (inst *Instance) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           inst.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(inst.Log.Handler(), slog.LevelWarn),
	}
	ctx = metrics.NewContext(ctx, inst.Metrics) // River passes it on to every job
	if err := inst.Queue.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	if err := inst.Wake.Start(ctx); err != nil {
		return fmt.Errorf("start wake-ups: %w", err)
	}
	if err := inst.Deliverer.Start(ctx); err != nil {
		return fmt.Errorf("start delivery: %w", err)
	}
	stopApplying := inst.applier.Start(ctx)
	stopPruning := inst.startPruning(ctx)
	defer stopPruning()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	inst.Log.Info("serving", "base_url", inst.Layout.Base, "listen", ln.Addr().String())
	var serveErr error
	select {
	case err := <-errc:
		serveErr = fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
		inst.Log.Info("shutting down")
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serveErr == nil {
		if err := srv.Shutdown(shutCtx); err != nil {
			serveErr = fmt.Errorf("graceful shutdown: %w", err)
		} else if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr = fmt.Errorf("http server: %w", err)
		}
	}
	// Reader checks still under way write to the database.
	if err := inst.Federation.WaitReaders(shutCtx); err != nil && serveErr == nil {
		serveErr = fmt.Errorf("wait for reader checks: %w", err)
	}
	stopApplying(shutCtx)
	if err := inst.Deliverer.Stop(shutCtx); err != nil && serveErr == nil {
		serveErr = fmt.Errorf("stop delivery: %w", err)
	}
	if err := inst.Queue.Stop(shutCtx); err != nil && serveErr == nil {
		serveErr = fmt.Errorf("stop job queue: %w", err)
	}
	return serveErr
}
