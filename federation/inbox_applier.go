package federation

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Applier defaults; see the Applier's fields.
const (
	applyParallel  = 8
	applySlowAfter = time.Second // an actor busy this long gives its slot back
	applyMaxSlow   = 64          // actors past applySlowAfter at once
	applyScanRows  = 512         // activities read per scan
	applyMaxKnown  = 4096        // activities held in memory (queued or being applied) before scanning pauses
	applyGroupRows = 256         // one actor's activities applied in one turn
	applyLeaseTTL  = time.Minute
	applyPollEvery = time.Second
	applyBodyChunk = 16 // bodies read at once for activities not in memory
	parsedMaxAge   = 2 * time.Minute
)

// Applier applies recorded inbox activities. One goroutine scans the
// unprocessed ones in id order from where it got to, leases their actors
// (a lease per actor, so two serve processes never apply one actor's
// activities at once), and queues them per actor in memory; runners apply
// each actor's in the order recorded, several actors at once; the outcomes
// of all the runs that ended meanwhile are written in one transaction.
//
// An actor whose activities wait on the network (fetching a profile, a
// quoted post) occupies only its own turn: after applySlowAfter its runner
// gives its slot back to the others, and each activity has a time limit.
type Applier struct {
	Server *Server
	// Retry schedules another try of an activity that failed for a reason
	// a retry could fix; zero means jobs.DefaultRetryPolicy.
	Retry jobs.RetryPolicy
	// Timeout bounds applying one activity; zero means one minute.
	Timeout time.Duration
	// Parallel is how many actors are applied at once; zero means
	// applyParallel.
	Parallel int
	// PollEvery is how often it looks for work nobody woke it for (another
	// process's); zero means one second. Every ten polls it also scans from
	// the start, for what an expired lease or a retry left behind.
	PollEvery time.Duration

	// scanned, when set (tests only), runs after each read of pending
	// activities and before their actors are leased.
	scanned func()

	holder   string
	slots    chan struct{}
	slotFree chan struct{}
	results  chan groupResult
	slow     sync.Mutex // guards slowNow
	slowNow  int

	// Owned by the coordinating goroutine.
	cursor    int64                  // the highest id scanned
	more      bool                   // a scan may find more
	actors    map[string]*actorQueue // actors this process holds the lease of
	runnable  []string               // actors with queued activities and no runner, oldest first
	known     map[int64]bool         // activities queued, being applied or being recorded
	running   int
	nextSweep time.Time
}

// actorQueue is what this process holds of one actor's activities.
type actorQueue struct {
	queued  []store.PendingActivity // in id order, not yet started
	running bool
}

// actorGroup is one turn of one actor's activities, in id order.
type actorGroup struct {
	actor string
	rows  []store.PendingActivity
}

// groupResult is what one turn did.
type groupResult struct {
	actor     string
	ids       []int64 // every activity of the turn, done or not
	done      []store.InboxOutcome
	postponed *store.InboxPostponement
	holdUntil time.Time // the first activity is not due yet
}

// Start begins applying in the background. Stopping ctx ends scanning;
// the returned stop waits for the runs under way until its own ctx is done
// (then cancels them: what they had not applied is applied later), writes
// the outcomes and lets go of this process's leases.
func (a *Applier) Start(ctx context.Context) (stop func(context.Context)) {
	a.holder = newHolderID()
	parallel := a.Parallel
	if parallel <= 0 {
		parallel = applyParallel
	}
	a.slots = make(chan struct{}, parallel)
	a.slotFree = make(chan struct{}, 1)
	a.results = make(chan groupResult, parallel+applyMaxSlow)
	a.actors = map[string]*actorQueue{}
	a.known = map[int64]bool{}
	a.more = true
	wake := a.Server.waker().Subscribe(wakeInbox)

	claimCtx, stopClaiming := context.WithCancel(ctx)
	// Applying outlives scanning at shutdown, until stop's deadline.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	deadline := make(chan context.Context, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.coordinate(claimCtx, workCtx, wake)
		a.drain(workCtx, stopWork, deadline)
	}()
	return func(stopCtx context.Context) {
		deadline <- stopCtx
		stopClaiming()
		<-done
		stopWork()
	}
}

// newHolderID names this process's applier in the leases it takes.
func newHolderID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

func (a *Applier) pollEvery() time.Duration {
	if a.PollEvery > 0 {
		return a.PollEvery
	}
	return applyPollEvery
}

// coordinate scans, leases, dispatches and records outcomes until ctx ends.
func (a *Applier) coordinate(ctx, workCtx context.Context, wake <-chan struct{}) {
	tick := time.NewTicker(a.pollEvery())
	defer tick.Stop()
	renew := time.NewTicker(applyLeaseTTL / 3)
	defer renew.Stop()
	a.nextSweep = time.Now().Add(10 * a.pollEvery())
	for ctx.Err() == nil {
		a.collect(workCtx, nil)
		if a.more && len(a.known) < applyMaxKnown {
			if err := a.scan(ctx); err != nil {
				if ctx.Err() == nil {
					a.Server.Log.Warn("inbox applier: reading activities to apply failed", "err", err)
				}
				a.more = false // try again on the next wake-up or tick
			}
		}
		a.dispatch(workCtx)
		if a.more && len(a.known) < applyMaxKnown {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case r := <-a.results:
			a.collect(workCtx, &r)
		case <-a.slotFree:
		case <-wake:
			a.more = true
		case now := <-tick.C:
			a.more = true
			if !now.Before(a.nextSweep) {
				a.cursor = 0 // scan from the start: see PollEvery
				a.nextSweep = now.Add(10 * a.pollEvery())
			}
		case <-renew.C:
			a.renew(ctx)
		}
	}
}

// scan reads the next activities, leases the actors new to this process
// and queues what it holds.
func (a *Applier) scan(ctx context.Context) error {
	st := a.Server.Store
	rows, err := st.ScanInboxActivities(ctx, a.holder, a.cursor, applyScanRows)
	if err != nil {
		return err
	}
	if a.scanned != nil {
		a.scanned()
	}
	a.more = len(rows) == applyScanRows
	if len(rows) == 0 {
		return nil
	}
	a.cursor = rows[len(rows)-1].ID
	var fresh []string
	for _, r := range rows {
		if a.actors[r.ActorIRI] == nil && !a.known[r.ID] {
			fresh = append(fresh, r.ActorIRI)
		}
	}
	leased, err := st.LeaseInboxActors(ctx, a.holder, fresh, applyLeaseTTL)
	if err != nil {
		return err
	}
	// A newly leased actor's queue starts at its first unprocessed activity,
	// wherever this scan began: another process may have applied what was
	// read, and let the actor go, between the read and the lease; or left
	// earlier activities behind (a retry hold that ended, a lease that ran
	// out), which come before what was read.
	newly := make(map[string]bool, len(leased))
	for _, actor := range leased {
		newly[actor] = true
	}
	backlog, err := st.PendingInboxActivitiesOf(ctx, leased, a.cursor)
	if err != nil {
		return err // the new leases expire, unrenewed; nothing was queued
	}
	for _, actor := range leased {
		a.actors[actor] = &actorQueue{}
	}
	for _, r := range backlog {
		a.queue(r)
	}
	for _, r := range rows {
		if a.actors[r.ActorIRI] == nil || newly[r.ActorIRI] {
			continue // another process holds the actor, or its backlog is queued above
		}
		a.queue(r)
	}
	var idle []string
	for actor := range newly {
		if q := a.actors[actor]; len(q.queued) == 0 {
			idle = append(idle, actor)
			delete(a.actors, actor)
		}
	}
	if len(idle) > 0 {
		return st.FinishInboxActivities(ctx, a.holder, store.InboxFinish{Release: idle})
	}
	return nil
}

// queue adds r to its actor's queue, in id order, unless already there.
func (a *Applier) queue(r store.PendingActivity) {
	q := a.actors[r.ActorIRI]
	if a.known[r.ID] {
		return
	}
	a.known[r.ID] = true
	if len(q.queued) == 0 && !q.running {
		a.runnable = append(a.runnable, r.ActorIRI)
	}
	q.queued = append(q.queued, r)
	if n := len(q.queued); n > 1 && q.queued[n-2].ID > r.ID {
		// A scan from the start found one that was left behind (say, by
		// a write that failed): its place is by id.
		slices.SortFunc(q.queued, func(x, y store.PendingActivity) int { return cmp.Compare(x.ID, y.ID) })
	}
}

// dispatch starts a run for each actor waiting, while slots are free.
func (a *Applier) dispatch(ctx context.Context) {
	for len(a.runnable) > 0 {
		select {
		case a.slots <- struct{}{}:
		default:
			return
		}
		actor := a.runnable[0]
		a.runnable = a.runnable[1:]
		q := a.actors[actor]
		n := min(len(q.queued), applyGroupRows)
		g := &actorGroup{actor: actor, rows: slices.Clone(q.queued[:n])}
		q.queued = q.queued[n:]
		q.running = true
		a.running++
		go func() { a.results <- a.runGroup(ctx, g) }()
	}
}

// collect takes the results of the runs that have ended (first, if given,
// and any others waiting), records them in one write, and decides each
// actor's next step: another turn, a hold until its retry, or letting go.
func (a *Applier) collect(ctx context.Context, first *groupResult) {
	var batch []groupResult
	if first != nil {
		batch = append(batch, *first)
	}
	for {
		select {
		case r := <-a.results:
			batch = append(batch, r)
			continue
		default:
		}
		break
	}
	if len(batch) == 0 {
		return
	}
	var f store.InboxFinish
	var kept []string // actors that keep their lease for another turn
	for _, r := range batch {
		a.running--
		f.Done = append(f.Done, r.done...)
		q := a.actors[r.actor]
		q.running = false
		for _, id := range r.ids {
			delete(a.known, id)
		}
		hold := r.holdUntil
		if r.postponed != nil {
			f.Postponed = append(f.Postponed, *r.postponed)
			hold = r.postponed.Next
		}
		switch {
		case !hold.IsZero():
			// What is queued behind it waits too; it is found again by the
			// scan from the start that comes once the hold ends.
			if r.postponed == nil {
				f.Holds = append(f.Holds, store.InboxHold{ActorIRI: r.actor, Until: hold})
			}
			for _, p := range q.queued {
				delete(a.known, p.ID)
			}
			delete(a.actors, r.actor)
			if hold.Before(a.nextSweep) {
				a.nextSweep = hold
			}
		case len(q.queued) > 0:
			kept = append(kept, r.actor)
		default:
			f.Release = append(f.Release, r.actor)
			delete(a.actors, r.actor)
		}
	}
	if !a.finish(ctx, f) {
		// What was applied is not recorded: the kept actors are let go too
		// (their leases expire, unrenewed), so that the scan from the
		// start finds each one's activities again in order.
		for _, actor := range kept {
			for _, p := range a.actors[actor].queued {
				delete(a.known, p.ID)
			}
			delete(a.actors, actor)
		}
		return
	}
	a.runnable = append(a.runnable, kept...)
}

// finish writes outcomes, retrying a failed write briefly, and reports
// whether it succeeded. It writes even while stopping: the activities were
// applied.
func (a *Applier) finish(ctx context.Context, f store.InboxFinish) bool {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var err error
	for try := range 3 {
		if err = a.Server.Store.FinishInboxActivities(wctx, a.holder, f); err == nil {
			return true
		}
		time.Sleep(time.Duration(try+1) * 100 * time.Millisecond)
	}
	// The leases expire, and the scan from the start finds the activities
	// again: applying twice does no harm (a post is updated, a like
	// counted once).
	a.Server.Log.Error("inbox applier: recording outcomes failed", "activities", len(f.Done), "err", err)
	return false
}

// renew keeps the leases of the actors this process holds, and drops
// parsed activities nobody took.
func (a *Applier) renew(ctx context.Context) {
	actors := make([]string, 0, len(a.actors))
	for actor := range a.actors {
		actors = append(actors, actor)
	}
	if err := a.Server.Store.RenewInboxLeases(ctx, a.holder, actors, applyLeaseTTL); err != nil && ctx.Err() == nil {
		a.Server.Log.Warn("inbox applier: renewing leases failed", "err", err)
	}
	a.Server.parsed().expire(time.Now().Add(-parsedMaxAge))
}

// drain, at shutdown, waits for the runs under way (cancelling them at the
// stop deadline), records their outcomes and lets go of every lease.
func (a *Applier) drain(workCtx context.Context, stopWork context.CancelFunc, deadline <-chan context.Context) {
	stopCtx := <-deadline
	renew := time.NewTicker(applyLeaseTTL / 3)
	defer renew.Stop()
	for a.running > 0 {
		select {
		case r := <-a.results:
			a.collect(workCtx, &r)
		case <-renew.C:
			a.renew(workCtx)
		case <-stopCtx.Done():
			stopWork()
			stopCtx = context.Background() // wait for the cancelled runs
		}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(workCtx), 5*time.Second)
	defer cancel()
	if err := a.Server.Store.ReleaseInboxLeases(ctx, a.holder); err != nil {
		a.Server.Log.Warn("inbox applier: letting go of leases failed; they expire on their own", "err", err)
	}
}
