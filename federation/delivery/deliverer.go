// Package delivery sends this server's activities to other servers,
// durably and in order. A use case's transaction stores the activity once
// (outbox_activities), one row per distinct inbox (shared inboxes first,
// dead hosts skipped) in outbox_deliveries, and marks each host due in
// outbox_hosts; the commit wakes the dispatchers (LISTEN/NOTIFY on
// Postgres, in process on SQLite). A dispatcher leases due hosts and sends
// each host's rows in the order they were queued, signing each at send
// time, from a goroutine per host, so a slow host holds up only itself. A
// failing row is retried on the queue's backoff for about two days while
// that host's later rows wait. Receivers de-duplicate on the activity id,
// so delivery is at-least-once.
package delivery

import (
	"log/slog"
	"sync"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/wake"
)

// Config is what a Deliverer needs.
type Config struct {
	Store     *store.Store
	Transport *transport.Client
	// KeyID names a local actor's public key, e.g. iri.Layout.Key(username);
	// it is the keyId of every signature made as that actor.
	KeyID func(sender *model.Actor) string
	// Queue runs the workers of jobs queued before an upgrade, and gives
	// the retry policy.
	Queue *jobs.Queue
	// Wake wakes the dispatchers when deliveries are queued, in every
	// process. Nil makes the Deliverer a Hub of its own, started by Start.
	Wake     *wake.Hub
	Dispatch DispatchOptions
	Log      *slog.Logger
}

// Deliverer owns the fan-out and delivery workers and the state they share
// within a process: parsed signing keys, per-host slots, host health.
type Deliverer struct {
	store     *store.Store
	transport *transport.Client
	queue     *jobs.Queue
	log       *slog.Logger
	signers   *signerCache
	limiter   *hostLimiter
	hosts     *hostHealth
	wake      *wake.Hub
	ownWake   bool // wake is ours to start

	dispatchOpts DispatchOptions
	mu           sync.Mutex
	disp         *dispatcher // once started
}

// New builds a Deliverer. Register its workers before starting the queue.
func New(cfg Config) *Deliverer {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	hub, own := cfg.Wake, false
	if hub == nil {
		hub, own = wake.New(cfg.Store, log), true
	}
	return &Deliverer{
		store:     cfg.Store,
		transport: cfg.Transport,
		queue:     cfg.Queue,
		log:       log.With("component", "delivery"),
		signers:   newSignerCache(cfg.Store, cfg.KeyID),
		limiter:   newHostLimiter(perHostConcurrency),
		hosts:     newHostHealth(cfg.Store.DB),
		wake:      hub,
		ownWake:   own,

		dispatchOpts: cfg.Dispatch.withDefaults(),
	}
}

// Register adds the workers of drain, fan-out and delivery jobs queued
// before an upgrade to w. Start sends everything queued since.
func (d *Deliverer) Register(w *river.Workers) {
	river.AddWorker(w, &drainWorker{d: d})
	river.AddWorker(w, &fanoutWorker{d: d})
	river.AddWorker(w, &deliverWorker{d: d})
}
