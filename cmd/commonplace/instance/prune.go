package instance

import (
	"context"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
)

// Retention of processed inbox activities (--inbox-retention). Every serve
// process prunes; two doing it at once only split the work.
const (
	inboxPruneFirst = time.Minute // after start, out of the way of startup
	inboxPruneEvery = time.Hour
	// inboxPruneBatch bounds one DELETE, so no statement holds its locks
	// (or SQLite's single write lock) for long.
	inboxPruneBatch = 1000
	inboxPrunePause = 100 * time.Millisecond // between batches, to let other writers in
)

// pruneInboxLoop deletes processed inbox activities older than the
// retention, now and then, until ctx ends. A zero retention keeps them.
func (inst *Instance) pruneInboxLoop(ctx context.Context) {
	retention := inst.Config.InboxRetention
	if retention <= 0 {
		return
	}
	timer := time.NewTimer(inboxPruneFirst)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		n, err := pruneInbox(ctx, inst.Store, time.Now().Add(-retention))
		switch {
		case err != nil && ctx.Err() == nil:
			inst.Log.Warn("pruning the inbox failed", "deleted", n, "err", err)
		case n > 0:
			inst.Log.Info("inbox pruned", "deleted", n, "older_than", retention.String())
		}
		timer.Reset(inboxPruneEvery)
	}
}

// pruneInbox deletes the activities processed before cutoff, a batch at a
// time, and reports how many went.
func pruneInbox(ctx context.Context, st *store.Store, cutoff time.Time) (int, error) {
	total := 0
	for {
		n, err := st.PruneInboxActivities(ctx, cutoff, inboxPruneBatch)
		total += n
		if err != nil || n < inboxPruneBatch {
			return total, err
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(inboxPrunePause):
		}
	}
}

// startPruning runs pruneInboxLoop in the background; the returned func
// stops it and waits, so the store is not closed under a running DELETE.
func (inst *Instance) startPruning(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		remote := make(chan struct{})
		go func() { defer close(remote); inst.pruneRemoteMediaLoop(ctx) }()
		inst.pruneInboxLoop(ctx)
		<-remote
	}()
	return func() {
		cancel()
		<-done
	}
}
