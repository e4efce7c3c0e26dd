package delivery

import (
	"context"
	"sync"
	"time"

	"github.com/riverqueue/river"
)

// drainBudget bounds one drain job when its context has no deadline; with
// one, a drain stops starting new sends once half its time is used, so
// that it rarely cuts a POST short.
const drainBudget = time.Minute

// bookkeepingTimeout bounds recording a batch's outcomes, which goes on
// after the job's own context has ended.
const bookkeepingTimeout = 10 * time.Second

type drainWorker struct {
	river.WorkerDefaults[DrainArgs]
	d *Deliverer
}

// Work sends a host's queued deliveries in order while it holds the host's
// lane. It stops at the first delivery that must wait (a failure, the
// peer's Retry-After, no free slot) and snoozes until then, keeping the
// lane, so that host's later deliveries wait and no other host does. A
// drain that finds the lane held by another live job leaves the work to it.
func (w *drainWorker) Work(ctx context.Context, job *river.Job[DrainArgs]) error {
	d, host := w.d, job.Args.Host
	stopAt := time.Now().Add(drainBudget)
	if dl, ok := ctx.Deadline(); ok {
		stopAt = time.Now().Add(time.Until(dl) / 2)
	}
	for {
		seq, held, err := hostLane.Claim(ctx, d.store.DB, host, job.ID)
		if err != nil || !held {
			return err
		}
		batch, err := d.head(ctx, host)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			released, err := hostLane.Release(ctx, d.store.DB, host, job.ID, seq)
			if err != nil || released {
				return err
			}
			continue // more was queued meanwhile
		}
		now := time.Now()
		var due []*outboxRow
		next := time.Time{}
		for i := range batch {
			r := &batch[i]
			if r.NextAttemptAt.After(now) {
				if next.IsZero() || r.NextAttemptAt.Before(next) {
					next = r.NextAttemptAt
				}
				continue
			}
			due = append(due, r)
		}
		if len(due) == 0 {
			return river.JobSnooze(time.Until(next).Round(time.Millisecond) + time.Millisecond)
		}
		if now.After(stopAt) {
			return river.JobSnooze(0) // hand the lane's job back; any process may go on
		}
		if err := d.sendBatch(ctx, due); err != nil {
			return err
		}
	}
}

// sendBatch sends rows carrying one activity to inboxes on one host at
// once, then records each outcome. Its error, if any, is what the drain
// job returns.
func (d *Deliverer) sendBatch(ctx context.Context, rows []*outboxRow) error {
	policy := d.queue.RetryPolicy()
	results := make([]result, len(rows))
	var wg sync.WaitGroup
	for i, r := range rows {
		wg.Go(func() {
			results[i] = d.send(ctx, r.args(), attempt{number: r.Attempts + 1, max: policy.MaxAttempts, queuedAt: r.CreatedAt})
		})
	}
	wg.Wait()

	// What was sent must be recorded even if the job's time just ran out.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	var done []int64
	var stop error
	for i, r := range rows {
		res := results[i]
		switch res.verdict {
		case sent, dropped:
			done = append(done, r.ID)
			continue
		case retryLater:
			if r.Attempts++; r.Attempts >= policy.MaxAttempts {
				done = append(done, r.ID) // given up; outcome logged and counted it
				continue
			}
			r.NextAttemptAt = time.Now().Add(policy.Delay(r.Attempts))
		case waitFor:
			r.NextAttemptAt = time.Now().Add(res.after)
		case throttled:
			stop = river.JobSnooze(slotSnooze)
			continue
		case interrupted:
			stop = res.err
			continue
		}
		if err := d.postpone(bg, r); err != nil {
			return err
		}
	}
	if err := d.forget(bg, done); err != nil {
		return err
	}
	return stop
}
