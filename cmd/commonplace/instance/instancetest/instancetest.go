// Package instancetest starts real Commonplace instances for tests: each on
// its own loopback listener and its own fresh database, in local-testing
// mode, exactly as `commonplace serve` would run them. Several of them in
// one test make the multi-instance rig the federation tests stand on.
package instancetest

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Running is one started instance.
type Running struct {
	*instance.Instance
	URL    string // base URL, e.g. http://127.0.0.1:41234
	Domain string // host:port
}

// Start runs a new instance on the given database dialect until the test ends.
func Start(t testing.TB, d store.Dialect) *Running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	domain := ln.Addr().String()
	cfg := config.Config{
		Domain:       domain,
		Listen:       domain,
		DatabaseURL:  storetest.URL(t, d),
		LocalTesting: true,
		LogFormat:    "text",
		LogLevel:     "warn",
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", domain)
	ctx, cancel := context.WithCancel(context.Background())
	inst, err := instance.Open(ctx, cfg, log)
	if err != nil {
		cancel()
		ln.Close()
		t.Fatalf("open instance: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- inst.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("instance %s stopped with: %v", domain, err)
		}
		inst.Close()
	})
	return &Running{Instance: inst, URL: "http://" + domain, Domain: domain}
}

// AddOrg creates an organisation on the instance through the same use case
// as `commonplace org add`.
func (r *Running) AddOrg(t testing.TB, in orgs.NewOrg) *model.Actor {
	t.Helper()
	org, err := r.Orgs.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("add org %s: %v", in.Username, err)
	}
	return org
}
