package federation

import (
	"context"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/sanitize"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Bounds of one group commit. A commit costs about the same for one row as
// for dozens, so requests that arrive while one is under way wait and go
// together in the next; the bytes bound keeps a few large bodies from
// making one enormous statement.
const (
	commitMaxRows  = 64
	commitMaxBytes = 4 << 20
	// commitTimeout bounds one commit. It is not tied to any one request's
	// context, since it writes the records of several; every request
	// waits for its own batch, so this also bounds that wait.
	commitTimeout = 30 * time.Second
)

// pendingRecord is one verified activity waiting to be recorded, and the
// way its handler learns the outcome.
type pendingRecord struct {
	row  *model.InboxActivity
	act  *vocab.Activity // the parsed form, handed to the applier; nil if not applied
	turn chan struct{}   // closed when this request is to commit the next batch
	done chan struct{}   // closed once inserted and err are set

	inserted bool
	err      error
}

// groupCommit records activities in shared transactions. It has no
// goroutine of its own: the first request to find no commit under way
// commits everything waiting (up to the bounds), then hands the next batch
// to the first request that arrived meanwhile. So each request commits at
// most one batch, its own among them, and nothing runs while the inbox is
// idle.
type groupCommit struct {
	mu      sync.Mutex
	waiting []*pendingRecord
	busy    bool // a batch is being committed
}

// record stores the activity and returns once its transaction has
// committed (or failed): only then may the sender be told 202. A repeated
// id is a no-op, reported in dup. Activities of a type we do not apply are
// recorded already processed, without their body.
func (s *Server) record(ctx context.Context, act *vocab.Activity, body []byte, dup *bool) error {
	p := &pendingRecord{turn: make(chan struct{}), done: make(chan struct{})}
	if appliedTypes[act.Type] {
		p.row = &model.InboxActivity{ActivityIRI: act.ID, Type: act.Type, ActorIRI: act.Actor, Raw: sanitize.Text(string(body))}
		p.act = act
	} else {
		p.row = ignoredRow(act)
	}
	s.commits.submit(p, s.commitBatch)
	if p.err != nil {
		return p.err
	}
	*dup = !p.inserted
	if p.inserted && p.act == nil {
		countIgnored(ctx, act.Type)
	}
	return nil
}

// submit queues p and returns once its batch has committed or failed.
func (g *groupCommit) submit(p *pendingRecord, commit func(context.Context, []*pendingRecord)) {
	g.mu.Lock()
	g.waiting = append(g.waiting, p)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead {
		select {
		case <-p.done:
			return
		case <-p.turn:
		}
	}
	g.lead(commit)
	<-p.done
}

// lead commits one batch of the waiting records, the caller's first, then
// passes the turn to the first record still waiting, or ends the run.
func (g *groupCommit) lead(commit func(context.Context, []*pendingRecord)) {
	g.mu.Lock()
	n, size := 0, 0
	for n < len(g.waiting) && n < commitMaxRows {
		size += len(g.waiting[n].row.Raw)
		if n > 0 && size > commitMaxBytes {
			break
		}
		n++
	}
	batch := g.waiting[:n:n]
	g.waiting = g.waiting[n:]
	g.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	commit(ctx, batch)
	cancel()
	for _, p := range batch {
		close(p.done)
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.waiting) == 0 {
		g.busy = false
		g.waiting = nil // let the backing array go
		return
	}
	close(g.waiting[0].turn)
}

// commitBatch inserts a batch in one transaction and, once it has
// committed, hands what is to be applied to the applier and wakes it. If
// the batch fails as a whole, each record is tried on its own, so one bad
// record cannot fail the others.
func (s *Server) commitBatch(ctx context.Context, batch []*pendingRecord) {
	err := s.insertBatch(ctx, batch)
	if err != nil && len(batch) > 1 {
		for _, p := range batch {
			p.err = s.insertBatch(ctx, []*pendingRecord{p})
		}
	} else {
		for _, p := range batch {
			p.err = err
		}
	}
	woke := false
	for _, p := range batch {
		if p.err != nil {
			p.inserted = false // its transaction rolled back
		}
		if p.err == nil && p.inserted && p.act != nil {
			s.parsed().put(p.row.ID, p.act, len(p.row.Raw))
			woke = true
		}
	}
	if woke {
		s.waker().Notify(wakeInbox)
		s.wakeOthers()
	}
}

// crossWakeEvery spaces the wake-ups this process sends other serve
// processes on the database: each costs a statement and wakes every
// applier (this one too, by echo). Between them, and after the last, the
// others find the new activities on their own timer or their own inbox's
// next commit.
const crossWakeEvery = 100 * time.Millisecond

// wakeOthers tells the appliers of other serve processes (PostgreSQL's
// LISTEN/NOTIFY) that activities were recorded, at most every
// crossWakeEvery.
func (s *Server) wakeOthers() {
	if s.Wake == nil || s.Store.Dialect != store.Postgres {
		return
	}
	now := time.Now().UnixNano()
	last := s.lastCrossWake.Load()
	if now-last < int64(crossWakeEvery) || !s.lastCrossWake.CompareAndSwap(last, now) {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Wake.NotifyTx(ctx, s.Store.DB, wakeInbox); err != nil {
			s.Log.Warn("inbox: waking other processes failed; they look on their own timer", "err", err)
		}
	}()
}

func (s *Server) insertBatch(ctx context.Context, batch []*pendingRecord) error {
	rows := make([]*model.InboxActivity, len(batch))
	for i, p := range batch {
		rows[i] = p.row
	}
	inserted, err := s.Store.RecordInboxBatch(ctx, rows)
	if err != nil {
		return err
	}
	for i, p := range batch {
		p.inserted = inserted[i]
	}
	return nil
}
