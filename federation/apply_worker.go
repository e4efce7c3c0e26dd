package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// applyBudget bounds applying one activity when the Applier is given no
// timeout: fetching what it refers to is bounded per request, but there
// may be several.
const applyBudget = time.Minute

// maxApplyAge gives up an activity still unapplied this long after it
// arrived (the retry schedule ends first, after about two days).
const maxApplyAge = 4 * 24 * time.Hour

// ApplyArgs is the job that applied received activities before the
// Applier did. Jobs of this kind left in an upgraded database only wake the
// Applier, which applies every unprocessed activity.
type ApplyArgs struct {
	InboxActivityID int64 `json:"inbox_activity_id"`
}

// Kind names the job type in the queue table.
func (ApplyArgs) Kind() string { return "inbox_apply" }

// ApplyWorker works the jobs of the old kind.
type ApplyWorker struct {
	river.WorkerDefaults[ApplyArgs]
	Server *Server
}

// Work wakes the Applier, which applies the job's activity with the rest
// of its actor's in order.
func (w *ApplyWorker) Work(context.Context, *river.Job[ApplyArgs]) error {
	w.Server.waker().Notify(wakeInbox)
	return nil
}

// applyRecord applies one recorded activity and returns the outcome to
// record. act is its parsed form when this process still holds it, else
// raw is parsed. An error means a retry could fix it.
func (s *Server) applyRecord(ctx context.Context, rec *store.PendingActivity, act *vocab.Activity, raw string) (string, error) {
	// Activities recorded before their sender was blocked are dropped.
	if s.Blocks != nil {
		blocked, err := s.Blocks.IsBlocked(ctx, rec.ActorIRI)
		if err != nil {
			return "", fmt.Errorf("check blocks for %s: %w", rec.ActorIRI, err)
		}
		if blocked {
			s.Log.Info("inbox activity dropped", "inbox_activity_id", rec.ID, "type", rec.Type, "host", hostOf(rec.ActorIRI), "reason", "the sender is blocked")
			return "dropped: the sender is blocked", nil
		}
	}
	if act == nil {
		var err error
		if act, err = vocab.ParseActivity([]byte(raw)); err != nil {
			s.Log.Info("inbox activity dropped", "inbox_activity_id", rec.ID, "type", rec.Type, "host", hostOf(rec.ActorIRI), "reason", "unparseable", "err", err)
			metrics.From(ctx).InboxActivity(rec.Type, "dropped")
			return "unparseable: " + err.Error(), nil
		}
	}
	outcome, err := s.apply(ctx, act)
	if err != nil {
		var me *model.Error
		if errors.As(err, &me) { // the activity is wrong, not the moment
			s.Log.Info("inbox activity dropped", "id", act.ID, "type", act.Type, "host", hostOf(act.Actor), "reason", me.Message)
			metrics.From(ctx).InboxActivity(act.Type, "dropped")
			return "dropped: " + me.Message, nil
		}
		s.Log.Warn("applying inbox activity failed", "id", act.ID, "type", act.Type, "host", hostOf(act.Actor), "err", err)
		metrics.From(ctx).InboxActivity(act.Type, "failed")
		return "", err
	}
	metrics.From(ctx).InboxActivity(act.Type, applyOutcome(outcome))
	return outcome, nil
}
