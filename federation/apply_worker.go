package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// actorLane orders the application of received activities per remote
// actor: a Create that arrives after the Accept of our Follow must find
// the follow accepted.
const actorLane jobs.Lane = "inbox"

// applyBudget bounds one apply job when its context has no deadline; with
// one, it stops starting new activities once half its time is used.
const applyBudget = time.Minute

// maxApplyAge gives up an activity still unapplied this long after it
// arrived (the retry schedule ends first, after about two days), such as
// one left by a job that ended before activities were applied in order.
const maxApplyAge = 4 * 24 * time.Hour

// ApplyArgs is the queued job that applies the recorded inbox activities
// of the actor of one of them, in the order they were recorded.
type ApplyArgs struct {
	InboxActivityID int64 `json:"inbox_activity_id"`
}

// Kind names the job type in the queue table.
func (ApplyArgs) Kind() string { return "inbox_apply" }

// ApplyWorker applies recorded inbox activities.
type ApplyWorker struct {
	river.WorkerDefaults[ApplyArgs]
	Server *Server
	// Retry schedules another try of an activity that failed for a reason
	// a retry could fix; zero means jobs.DefaultRetryPolicy.
	Retry jobs.RetryPolicy
}

// Work applies the actor's unprocessed activities one at a time, oldest
// first, while it holds the actor's lane. One that fails for a reason a
// retry could fix (a remote server briefly down while we fetch an actor, a
// database hiccup) is tried again on the backoff schedule, and that
// actor's later activities wait for it; after the last try it is marked
// given up, so it cannot hold the actor up for ever. Activities that can
// never apply are marked and dropped.
func (w *ApplyWorker) Work(ctx context.Context, job *river.Job[ApplyArgs]) error {
	s := w.Server
	first, err := s.Store.InboxActivity(ctx, job.Args.InboxActivityID)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	actor := first.ActorIRI
	stopAt := time.Now().Add(applyBudget)
	if dl, ok := ctx.Deadline(); ok {
		stopAt = time.Now().Add(time.Until(dl) / 2)
	}
	for {
		seq, held, err := actorLane.Claim(ctx, s.Store.DB, actor, job.ID)
		if err != nil || !held {
			return err // a live job holds the lane and applies ours too
		}
		next, ok, err := s.Store.OldestUnprocessedInboxActivity(ctx, actor)
		if err != nil {
			return err
		}
		if !ok {
			released, err := actorLane.Release(ctx, s.Store.DB, actor, job.ID, seq)
			if err != nil || released {
				return err
			}
			continue // more arrived meanwhile
		}
		if time.Since(next.ReceivedAt) > maxApplyAge {
			s.Log.Warn("inbox activity given up: too old", "inbox_activity_id", next.ID, "received_at", next.ReceivedAt)
			if err := s.Store.MarkInboxActivityProcessed(ctx, next.ID, "failed: still unapplied after "+maxApplyAge.String()); err != nil {
				return err
			}
			continue
		}
		if wait := time.Until(next.NextAttemptAt); wait > 0 {
			return river.JobSnooze(wait.Round(time.Millisecond) + time.Millisecond)
		}
		if time.Now().After(stopAt) {
			return river.JobSnooze(0)
		}
		if err := w.applyOne(ctx, next.ID); err != nil {
			return w.postpone(ctx, next, err)
		}
	}
}

// postpone schedules another try of an activity that failed, keeping the
// lane, or gives it up after the policy's last try.
func (w *ApplyWorker) postpone(ctx context.Context, p *store.PendingInboxActivity, cause error) error {
	if ctx.Err() != nil {
		return cause // our own shutdown or timeout: try again, uncounted
	}
	policy := w.Retry
	if policy == (jobs.RetryPolicy{}) {
		policy = jobs.DefaultRetryPolicy
	}
	attempts := p.Attempts + 1
	if attempts >= policy.MaxAttempts {
		w.Server.Log.Warn("inbox activity given up", "inbox_activity_id", p.ID, "attempts", attempts, "err", cause)
		return w.Server.Store.MarkInboxActivityProcessed(ctx, p.ID, fmt.Sprintf("failed: gave up after %d attempts: %v", attempts, cause))
	}
	delay := policy.Delay(attempts)
	if err := w.Server.Store.PostponeInboxActivity(ctx, p.ID, attempts, time.Now().Add(delay)); err != nil {
		return err
	}
	return river.JobSnooze(delay)
}

// applyOne applies one activity and records the outcome. It returns an
// error only when a retry could fix it.
func (w *ApplyWorker) applyOne(ctx context.Context, id int64) error {
	s := w.Server
	row, err := s.Store.InboxActivity(ctx, id)
	if err != nil {
		return err
	}
	// Activities recorded before their sender was blocked are dropped.
	if s.Blocks != nil {
		blocked, err := s.Blocks.IsBlocked(ctx, row.ActorIRI)
		if err != nil {
			return fmt.Errorf("check blocks for %s: %w", row.ActorIRI, err)
		}
		if blocked {
			s.Log.Info("inbox activity dropped", "id", row.ActivityIRI, "type", row.Type, "host", hostOf(row.ActorIRI), "reason", "the sender is blocked")
			return s.Store.MarkInboxActivityProcessed(ctx, row.ID, "dropped: the sender is blocked")
		}
	}
	act, err := vocab.ParseActivity([]byte(row.Raw))
	if err != nil {
		s.Log.Info("inbox activity dropped", "id", row.ActivityIRI, "type", row.Type, "host", hostOf(row.ActorIRI), "reason", "unparseable", "err", err)
		metrics.From(ctx).InboxActivity(row.Type, "dropped")
		return s.Store.MarkInboxActivityProcessed(ctx, row.ID, "unparseable: "+err.Error())
	}
	outcome, err := s.apply(ctx, act)
	if err != nil {
		var me *model.Error
		if errors.As(err, &me) { // the activity is wrong, not the moment
			s.Log.Info("inbox activity dropped", "id", act.ID, "type", act.Type, "host", hostOf(act.Actor), "reason", me.Message)
			metrics.From(ctx).InboxActivity(act.Type, "dropped")
			return s.Store.MarkInboxActivityProcessed(ctx, row.ID, "dropped: "+me.Message)
		}
		s.Log.Warn("applying inbox activity failed", "id", act.ID, "type", act.Type, "host", hostOf(act.Actor), "err", err)
		metrics.From(ctx).InboxActivity(act.Type, "failed")
		return err
	}
	metrics.From(ctx).InboxActivity(act.Type, applyOutcome(outcome))
	return s.Store.MarkInboxActivityProcessed(ctx, row.ID, outcome)
}
