// Package instance wires one Commonplace server together from its parts:
// configuration, store, use cases, the federation and web handlers. The
// binary's `serve` and the tests (including the multi-instance rig) start
// servers through it, so what is tested is what runs.
package instance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/federation"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/web"
)

// Instance is one running Commonplace server.
type Instance struct {
	Config config.Config
	Layout iri.Layout
	Store  *store.Store
	Orgs   *orgs.Service
	Log    *slog.Logger

	handler http.Handler
}

// Open checks the configuration, connects to and migrates the database, and
// builds the HTTP handler. Every failure is one sentence an operator can act on.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Instance, error) {
	if err := cfg.ValidateServer(); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.StorageURL())
	if err != nil {
		return nil, err
	}
	inst, err := open(ctx, cfg, st, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	return inst, nil
}

func open(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (*Instance, error) {
	applied, err := st.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "applied", applied)
	}
	layout := iri.New(cfg.BaseURL())
	if err := claimBaseURL(ctx, st, layout.Base); err != nil {
		return nil, err
	}
	inst := &Instance{Config: cfg, Layout: layout, Store: st, Orgs: &orgs.Service{Store: st}, Log: log}
	if inst.handler, err = inst.routes(); err != nil {
		return nil, err
	}
	return inst, nil
}

// claimBaseURL ties the database to the URL it is first served under. Every
// id handed to other servers contains it, so serving the same data under
// another domain (or switching http/https) would break every follow.
func claimBaseURL(ctx context.Context, st *store.Store, base string) error {
	stored, err := st.SetSettingOnce(ctx, "base_url", base)
	if err != nil {
		return err
	}
	if stored != base {
		return fmt.Errorf("this database belongs to the instance at %s, not %s: ids already given to other servers name that address, so it cannot change (check --domain and --local-testing, or use a new database)", stored, base)
	}
	return nil
}

func (inst *Instance) routes() (http.Handler, error) {
	r := mux.NewRouter()
	r.HandleFunc("/healthz", inst.healthz).Methods("GET", "HEAD")
	r.HandleFunc("/readyz", inst.readyz).Methods("GET", "HEAD")
	fed := &federation.Server{Layout: inst.Layout, Store: inst.Store, Orgs: inst.Orgs, Log: inst.Log}
	fed.Register(r)
	site, err := web.New(inst.Layout, inst.Store, inst.Orgs, inst.Log)
	if err != nil {
		return nil, err
	}
	site.Register(r)
	return recoverPanics(inst.Log, logRequests(inst.Log, r)), nil
}

// Handler is the instance's whole HTTP surface.
func (inst *Instance) Handler() http.Handler { return inst.handler }

// Serve answers HTTP on ln until ctx is cancelled, then stops taking new
// requests and gives those in flight up to ten seconds to finish.
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
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	inst.Log.Info("serving", "base_url", inst.Layout.Base, "listen", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	inst.Log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	return nil
}

// Close releases the database.
func (inst *Instance) Close() error { return inst.Store.Close() }
