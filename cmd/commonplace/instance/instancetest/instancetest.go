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
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// FastTuning makes queues poll often and retries come quickly, so that
// federation tests finish in seconds rather than on production schedules.
var FastTuning = instance.Tuning{
	PollInterval:     20 * time.Millisecond,
	RescueStuckAfter: 3 * time.Second,
	JobTimeout:       2 * time.Second,
	RetryPolicy:      jobs.RetryPolicy{Base: 200 * time.Millisecond, Cap: time.Second, MaxAttempts: 10},
	KeyRefetchAfter:  time.Nanosecond,
}

// Running is one started instance.
type Running struct {
	*instance.Instance
	URL    string // base URL, e.g. http://127.0.0.1:41234
	Domain string // host:port
	DBURL  string // the instance's database, for running CLI commands against it
}

// Start runs a new instance on the given database dialect until the test
// ends, with FastTuning.
func Start(t testing.TB, d store.Dialect) *Running {
	t.Helper()
	return StartTuned(t, d, FastTuning)
}

// StartTuned runs an instance with the given queue timings; the zero Tuning
// gives production behaviour, which benchmarks use.
func StartTuned(t testing.TB, d store.Dialect, tune instance.Tuning) *Running {
	t.Helper()
	return StartConfigured(t, d, tune, nil)
}

// StartConfigured is StartTuned with a chance to change the configuration
// (for instance the inbox limits) before the instance opens.
func StartConfigured(t testing.TB, d store.Dialect, tune instance.Tuning, edit func(*config.Config)) *Running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	domain := ln.Addr().String()
	dbURL := storetest.URL(t, d)
	cfg := config.Config{
		Domain:       domain,
		Listen:       domain,
		DatabaseURL:  dbURL,
		DataDir:      t.TempDir(), // media files
		LocalTesting: true,
		LogFormat:    "text",
		LogLevel:     "warn",
		QueueWorkers: config.DefaultQueueWorkers,
		// FastTuning sets the job timings.
		JobTimeout:     config.DefaultJobTimeout,
		JobRescueAfter: config.DefaultJobRescueAfter,
		InboxRate:      config.DefaultInboxRate,
		InboxBurst:     config.DefaultInboxBurst,
		InboxRetention: config.DefaultInboxRetention,
	}
	if edit != nil {
		edit(&cfg)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", domain)
	ctx, cancel := context.WithCancel(context.Background())
	inst, err := instance.OpenTuned(ctx, cfg, log, tune)
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
	return &Running{Instance: inst, URL: "http://" + domain, Domain: domain, DBURL: dbURL}
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

// Eventually polls cond until it holds or the timeout passes. Federation is
// asynchronous (queues, retries), so tests wait for outcomes, not for time.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
