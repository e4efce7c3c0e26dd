package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// postGroupMax bounds the posts one combined insert carries; the
// applier runs about this many actors' turns at once. postGroupInFlight
// inserts run at once, so that the database can use more than one core
// for them, as it did with one insert per runner.
const (
	postGroupMax      = 16
	postGroupInFlight = 2
)

// postInsertGroup combines the post inserts that the inbox applier's
// runners make at the same moment into one multi-row INSERT. Each was one
// statement of its own, and on PostgreSQL most of a statement's cost
// beyond the row (the executor's start, the plan cache, the round trip and
// the commit) is the same for one row as for several. Like the inbox's
// group commit it has no goroutine or timer: an insert that finds fewer
// than postGroupInFlight under way runs everything waiting, then hands
// over to the first that arrived meanwhile.
type postInsertGroup struct {
	mu       sync.Mutex
	waiting  []*pendingPost
	inFlight int
}

type pendingPost struct {
	p        *model.Post
	turn     chan struct{} // closed when this caller is to run the next insert
	handed   bool          // turn was closed; guarded by the group's mu
	done     chan struct{} // closed once inserted and err are set
	inserted bool
	err      error
}

// insertGrouped inserts p, a remote post, through q together with the
// others waiting, and reports whether it was new.
func (s *Store) insertGrouped(ctx context.Context, q sqlQuerier, p *model.Post) (bool, error) {
	g := &s.postGroup
	pp := &pendingPost{p: p, turn: make(chan struct{}), done: make(chan struct{})}
	g.mu.Lock()
	g.waiting = append(g.waiting, pp)
	lead := g.inFlight < postGroupInFlight
	if lead {
		g.inFlight++
	}
	g.mu.Unlock()
	if !lead {
		select {
		case <-pp.done:
		case <-pp.turn:
		}
		g.mu.Lock()
		lead = pp.handed // handed the turn, even if inserted by another: run it
		g.mu.Unlock()
	}
	if lead {
		s.leadPostGroup(ctx, q)
	}
	<-pp.done
	return pp.inserted, pp.err
}

// leadPostGroup inserts what is waiting (up to postGroupMax), then hands
// its place to the first caller still waiting, or gives it up.
func (s *Store) leadPostGroup(ctx context.Context, q sqlQuerier) {
	g := &s.postGroup
	g.mu.Lock()
	n := min(len(g.waiting), postGroupMax)
	batch := g.waiting[:n:n]
	g.waiting = g.waiting[n:]
	g.mu.Unlock()

	if len(batch) > 0 {
		s.insertPostBatch(ctx, q, batch)
	}
	for _, b := range batch {
		close(b.done)
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	for _, w := range g.waiting {
		if !w.handed {
			w.handed = true
			close(w.turn)
			return
		}
	}
	g.inFlight--
	if g.inFlight == 0 && len(g.waiting) == 0 {
		g.waiting = nil // let the backing array go
	}
}

// insertPostBatch inserts the batch in one statement, or, if that fails,
// each post on its own, so that one bad row cannot fail the others.
func (s *Store) insertPostBatch(ctx context.Context, q sqlQuerier, batch []*pendingPost) {
	// Not the leader's own deadline alone: it writes the others' posts too.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if len(batch) > 1 && s.insertPostRows(ctx, q, batch) == nil {
		return
	}
	for _, b := range batch {
		b.err = s.insertPostRows(ctx, q, []*pendingPost{b})
	}
}

// insertPostRows runs the multi-row insert and fills in the ids of the
// posts it stored. Of two posts with one IRI in a batch, the first is
// stored and the second reported as already there, as if it came later.
func (s *Store) insertPostRows(ctx context.Context, q sqlQuerier, batch []*pendingPost) error {
	mi := s.statements.postInsert
	cols := len(mi.fields)
	var text strings.Builder
	text.WriteString(mi.head)
	args := make([]any, 0, cols*len(batch))
	for i, b := range batch {
		if i > 0 {
			text.WriteString(", ")
		}
		text.WriteString("(")
		for c := range cols {
			if c > 0 {
				text.WriteString(", ")
			}
			fmt.Fprintf(&text, "$%d", i*cols+c+1)
		}
		text.WriteString(")")
		args = append(args, mi.args(b.p)...)
	}
	text.WriteString(" ON " + postConflict + " RETURNING id, iri")
	rows, err := q.QueryContext(ctx, text.String(), cached(args)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	first := make(map[string]*pendingPost, len(batch))
	for _, b := range batch {
		b.inserted = false
		if _, dup := first[b.p.IRI]; !dup {
			first[b.p.IRI] = b
		}
	}
	for rows.Next() {
		var id int64
		var iri sql.NullString
		if err := rows.Scan(&id, &iri); err != nil {
			return err
		}
		if b := first[iri.String]; b != nil {
			b.p.ID, b.inserted = id, true
		}
	}
	return rows.Err()
}
