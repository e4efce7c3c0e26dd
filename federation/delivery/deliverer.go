// Package delivery sends this server's activities to other servers,
// durably and in order. A use case's transaction queues one row per
// distinct inbox (shared inboxes first, dead hosts skipped) in
// outbox_deliveries; one drain job per remote host sends that host's rows
// in the order they were queued, signing each at send time, and retries a
// failing one on the queue's backoff for about two days while that host's
// later rows wait. Hosts proceed independently. Receivers de-duplicate on
// the activity id, so delivery is at-least-once.
package delivery

import (
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Config is what a Deliverer needs.
type Config struct {
	Store     *store.Store
	Transport *transport.Client
	// KeyID names a local actor's public key, e.g. iri.Layout.Key(username);
	// it is the keyId of every signature made as that actor.
	KeyID func(sender *model.Actor) string
	// Queue inserts the fan-out and delivery jobs.
	Queue *jobs.Queue
	Log   *slog.Logger
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
}

// New builds a Deliverer. Register its workers before starting the queue.
func New(cfg Config) *Deliverer {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	return &Deliverer{
		store:     cfg.Store,
		transport: cfg.Transport,
		queue:     cfg.Queue,
		log:       log.With("component", "delivery"),
		signers:   newSignerCache(cfg.Store, cfg.KeyID),
		limiter:   newHostLimiter(perHostConcurrency),
		hosts:     newHostHealth(cfg.Store.DB),
	}
}

// Register adds the drain worker, and the fan-out and delivery workers of
// jobs queued before an upgrade, to w.
func (d *Deliverer) Register(w *river.Workers) {
	river.AddWorker(w, &drainWorker{d: d})
	river.AddWorker(w, &fanoutWorker{d: d})
	river.AddWorker(w, &deliverWorker{d: d})
}
