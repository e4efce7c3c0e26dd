package federation

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// runGroup applies one actor's turn, holding a slot until it is done or
// has taken applySlowAfter, whichever is first: an actor waiting on a slow
// server then waits beside the others rather than in front of them.
func (a *Applier) runGroup(ctx context.Context, g *actorGroup) groupResult {
	var mu sync.Mutex
	holding := true
	timer := time.AfterFunc(applySlowAfter, func() {
		mu.Lock()
		defer mu.Unlock()
		if holding && a.markSlow(1) {
			holding = false
			a.freeSlot()
		}
	})
	defer func() {
		timer.Stop()
		mu.Lock()
		defer mu.Unlock()
		if holding {
			a.freeSlot()
		} else {
			a.markSlow(-1)
		}
	}()
	return a.applyGroup(ctx, g)
}

func (a *Applier) freeSlot() {
	<-a.slots
	select {
	case a.slotFree <- struct{}{}:
	default:
	}
}

// markSlow counts an actor joining (+1) or leaving (-1) the slow set, and
// reports whether it may join.
func (a *Applier) markSlow(delta int) bool {
	a.slow.Lock()
	defer a.slow.Unlock()
	if delta > 0 && a.slowNow >= applyMaxSlow {
		return false
	}
	a.slowNow += delta
	return true
}

// applyGroup applies g's activities in order. It stops at one that failed
// for a reason a retry could fix (the actor's later ones wait for it), and
// at shutdown, leaving the rest unprocessed for later.
func (a *Applier) applyGroup(ctx context.Context, g *actorGroup) groupResult {
	s := a.Server
	res := groupResult{actor: g.actor, ids: make([]int64, len(g.rows))}
	for i, r := range g.rows {
		res.ids[i] = r.ID
	}
	if next := g.rows[0].NextAttemptAt; time.Now().Before(next) {
		res.holdUntil = next
		return res
	}
	timeout := a.Timeout
	if timeout <= 0 {
		timeout = applyBudget
	}
	// The turn's outcomes are written by collect in a synchronous commit
	// after these writes, so theirs need not wait for the log flush.
	ctx = withActorMemo(store.WithLaterDurableCommit(ctx), g.actor)
	// Each post of the turn asks whether its author is followed and which
	// networks re-share it; anything but a Create may change the answers.
	ctx = store.WithLookupMemo(ctx)
	var bodies map[int64]string
	for i := range g.rows {
		rec := &g.rows[i]
		if ctx.Err() != nil {
			break
		}
		if time.Since(rec.ReceivedAt) > maxApplyAge {
			s.Log.Warn("inbox activity given up: too old", "inbox_activity_id", rec.ID, "received_at", rec.ReceivedAt)
			res.done = append(res.done, store.InboxOutcome{ID: rec.ID, Outcome: "failed: still unapplied after " + maxApplyAge.String()})
			continue
		}
		act, ok := s.parsed().take(rec.ID)
		if _, loaded := bodies[rec.ID]; !ok && !loaded {
			var err error
			if bodies, err = s.Store.InboxActivityBodies(ctx, nextIDs(g.rows[i:], applyBodyChunk)); err != nil {
				if ctx.Err() == nil {
					res.postponed = a.postpone(rec, err)
				}
				break
			}
		}
		itemCtx, cancel := context.WithTimeout(ctx, timeout)
		outcome, err := s.applyRecord(itemCtx, rec, act, bodies[rec.ID])
		cancel()
		if rec.Type == "Delete" || rec.Type == "Update" {
			rememberActor(ctx, g.actor, nil) // it may be gone or changed
		}
		if rec.Type != "Create" {
			store.ForgetLookups(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				break // our own shutdown: applied later, the try not counted
			}
			if p := a.postpone(rec, err); p != nil {
				res.postponed = p
				break
			}
			res.done = append(res.done, store.InboxOutcome{ID: rec.ID,
				Outcome: fmt.Sprintf("failed: gave up after %d attempts: %v", rec.Attempts+1, err)})
			continue
		}
		res.done = append(res.done, store.InboxOutcome{ID: rec.ID, Outcome: outcome})
	}
	return res
}

// postpone schedules another try of an activity that failed, or returns
// nil when that was its last try.
func (a *Applier) postpone(rec *store.PendingActivity, cause error) *store.InboxPostponement {
	policy := a.Retry
	if policy == (jobs.RetryPolicy{}) {
		policy = jobs.DefaultRetryPolicy
	}
	attempts := rec.Attempts + 1
	if attempts >= policy.MaxAttempts {
		a.Server.Log.Warn("inbox activity given up", "inbox_activity_id", rec.ID, "attempts", attempts, "err", cause)
		return nil
	}
	return &store.InboxPostponement{ID: rec.ID, ActorIRI: rec.ActorIRI, Attempts: attempts,
		Next: time.Now().Add(policy.Delay(attempts))}
}

func nextIDs(rows []store.PendingActivity, n int) []int64 {
	ids := make([]int64, 0, min(n, len(rows)))
	for _, r := range rows[:min(n, len(rows))] {
		ids = append(ids, r.ID)
	}
	return ids
}
