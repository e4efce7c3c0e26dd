package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// inboxChunk bounds the rows one statement writes or names, well inside
// both databases' limits on bound parameters.
const inboxChunk = 500

// inboxOrderLock is the PostgreSQL advisory lock that orders inbox
// commits; any constant no other lock uses.
const inboxOrderLock = 0x636f6d6d696e6278

// RecordInboxActivities stores received activities in one statement per
// chunk, skipping any whose id is already recorded (or repeated earlier in
// rows). It reports, for each row, whether this call inserted it, and fills
// in the ID of every inserted row. Use it inside a transaction, so that the
// batch commits or fails as a whole.
//
// On PostgreSQL the transaction first takes an advisory lock held until it
// ends, so batches from several serve processes commit one at a time and
// their ids become visible in the order they were given out: an applier
// that reads forward from the last id it saw then misses nothing. (SQLite
// has one writer anyway.)
func (s *Store) RecordInboxActivities(ctx context.Context, db bun.IDB, rows []*model.InboxActivity) ([]bool, error) {
	q, prepared := s.preparedOn(db)
	if s.Dialect == Postgres {
		var err error
		if prepared {
			_, err = q.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", cached([]any{int64(inboxOrderLock)})...)
		} else {
			_, err = db.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(inboxOrderLock))
		}
		if err != nil {
			return nil, fmt.Errorf("take the inbox order lock: %w", err)
		}
	}
	inserted := make([]bool, len(rows))
	first, uniq := firstOfEach(rows)
	for chunk := range slices.Chunk(uniq, inboxChunk) {
		var got []recordedInbox
		var err error
		if prepared {
			err = s.scanAllPrepared(ctx, q, recordInboxSQL, &got, inboxColumns(chunk)...)
		} else {
			err = db.NewInsert().Model(&chunk).On("CONFLICT (activity_iri) DO NOTHING").
				Returning("id, activity_iri").Scan(ctx, &got)
		}
		if err != nil {
			return nil, fmt.Errorf("record %d inbox activities: %w", len(chunk), err)
		}
		markRecorded(rows, inserted, first, got)
	}
	return inserted, nil
}

// recordedInbox is what an insert of inbox rows returns for each it stored.
type recordedInbox struct {
	ID          int64  `bun:"id"`
	ActivityIRI string `bun:"activity_iri"`
}

// firstOfEach gives rows without a time of receipt the present one, and
// returns the first row of each activity id: the index of each in rows,
// and the rows themselves in order.
func firstOfEach(rows []*model.InboxActivity) (map[string]int, []*model.InboxActivity) {
	now := time.Now().UTC()
	first := make(map[string]int, len(rows))
	uniq := make([]*model.InboxActivity, 0, len(rows))
	for i, r := range rows {
		if r.ReceivedAt.IsZero() {
			r.ReceivedAt = now
		}
		if _, dup := first[r.ActivityIRI]; dup {
			continue
		}
		first[r.ActivityIRI] = i
		uniq = append(uniq, r)
	}
	return first, uniq
}

// markRecorded fills in the ids of the rows an insert stored.
func markRecorded(rows []*model.InboxActivity, inserted []bool, first map[string]int, got []recordedInbox) {
	for _, g := range got {
		i := first[g.ActivityIRI]
		rows[i].ID, inserted[i] = g.ID, true
	}
}

// InboxOutcome is what applying one recorded activity did.
type InboxOutcome struct {
	ID      int64
	Outcome string
}

// InboxPostponement is an activity that failed for a reason a retry could
// fix: its tries so far, and when to try again.
type InboxPostponement struct {
	ID       int64
	ActorIRI string
	Attempts int
	Next     time.Time
}

// InboxHold keeps an actor's activities waiting, with no holder, until
// its earliest one is due again.
type InboxHold struct {
	ActorIRI string
	Until    time.Time
}

// InboxFinish is what an applier hands back in one write: the activities
// it processed, those to try again later, the actors to hold until a
// retry is due (a postponed activity holds its actor too), and the actors
// whose lease it lets go.
type InboxFinish struct {
	Done      []InboxOutcome
	Postponed []InboxPostponement
	Holds     []InboxHold
	Release   []string // actor ids
}

// FinishInboxActivities records a batch of outcomes in one transaction:
// each processed activity gets its outcome and loses its body (nothing
// reads it once processed), each postponed one its retry state, and holder
// lets go of the leases named. A lease another process has taken since is
// left alone.
func (s *Store) FinishInboxActivities(ctx context.Context, holder string, f InboxFinish) error {
	if len(f.Done) == 0 && len(f.Postponed) == 0 && len(f.Holds) == 0 && len(f.Release) == 0 {
		return nil
	}
	now := time.Now().UTC()
	if done, err := s.finishInOneStatement(ctx, holder, f, now); done || err != nil {
		return err
	}
	for _, p := range f.Postponed {
		f.Holds = append(f.Holds, InboxHold{ActorIRI: p.ActorIRI, Until: p.Next})
	}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for chunk := range slices.Chunk(f.Done, inboxChunk) {
			if err := s.markProcessed(ctx, tx, chunk, now); err != nil {
				return err
			}
		}
		for _, p := range f.Postponed {
			if _, err := tx.NewUpdate().Table("inbox_activities").
				Set("attempts = ?", p.Attempts).Set("next_attempt_at = ?", p.Next.UTC()).
				Where("id = ?", p.ID).Exec(ctx); err != nil {
				return fmt.Errorf("postpone inbox activity %d: %w", p.ID, err)
			}
		}
		// Nobody applies a held actor's activities until its retry is due.
		for _, h := range f.Holds {
			if _, err := tx.NewUpdate().Table("inbox_leases").Set("holder = ''").Set("expires_at = ?", h.Until.UTC()).
				Where("actor_iri = ? AND holder = ?", h.ActorIRI, holder).Exec(ctx); err != nil {
				return fmt.Errorf("hold %s until its retry: %w", h.ActorIRI, err)
			}
		}
		for chunk := range slices.Chunk(f.Release, inboxChunk) {
			var err error
			if q, ok := s.preparedOn(tx); ok {
				_, err = q.ExecContext(ctx, "DELETE FROM inbox_leases WHERE holder = $1 AND actor_iri = ANY($2::text[])",
					cached([]any{holder, chunk})...)
			} else {
				_, err = tx.NewDelete().Table("inbox_leases").
					Where("holder = ? AND actor_iri IN (?)", holder, bun.In(chunk)).Exec(ctx)
			}
			if err != nil {
				return fmt.Errorf("release %d inbox leases: %w", len(chunk), err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish %d inbox activities: %w", len(f.Done), err)
	}
	return nil
}

// markProcessed sets every row's outcome in one UPDATE (a CASE on the id),
// which both databases run as one statement; on PostgreSQL, a prepared
// one that takes the ids and outcomes as two arrays, whatever their number.
func (s *Store) markProcessed(ctx context.Context, tx bun.Tx, done []InboxOutcome, now time.Time) error {
	if q, ok := s.preparedOn(tx); ok {
		ids, outcomes := outcomeArrays(done)
		if _, err := q.ExecContext(ctx, markProcessedSQL, cached([]any{now, ids, outcomes})...); err != nil {
			return fmt.Errorf("mark %d inbox activities processed: %w", len(done), err)
		}
		return nil
	}
	var expr strings.Builder
	args := make([]any, 0, 2*len(done))
	ids := make([]int64, len(done))
	expr.WriteString("CASE id")
	for i, d := range done {
		expr.WriteString(" WHEN ? THEN ?")
		args = append(args, d.ID, d.Outcome)
		ids[i] = d.ID
	}
	expr.WriteString(" END")
	_, err := tx.NewUpdate().Table("inbox_activities").
		Set("processed_at = ?", now).Set("raw = ''").Set("outcome = "+expr.String(), args...).
		Where("id IN (?)", bun.In(ids)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark %d inbox activities processed: %w", len(done), err)
	}
	return nil
}

// InboxActivityBodies loads the bodies of recorded activities by id, for
// an applier that does not hold them in memory.
func (s *Store) InboxActivityBodies(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for chunk := range slices.Chunk(ids, inboxChunk) {
		var rows []struct {
			ID  int64  `bun:"id"`
			Raw string `bun:"raw"`
		}
		if err := s.DB.NewSelect().Table("inbox_activities").Column("id", "raw").
			Where("id IN (?)", bun.In(chunk)).Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("load %d inbox activity bodies: %w", len(chunk), err)
		}
		for _, r := range rows {
			out[r.ID] = r.Raw
		}
	}
	return out, nil
}

// On PostgreSQL a batch of inbox records is one prepared statement of
// arrays, the same text for any number of rows (see preparedOn): the
// group commit runs it for every batch received. unnest yields the rows in
// array order, so ids are given out in the order of the batch.
const recordInboxSQL = recordInboxInsert + "\nSELECT * FROM " + recordInboxRows + "\n" + recordInboxConflict

// The parts of recordInboxSQL, which recordInboxLockedSQL shares: $1–$7
// are inboxColumns.
const (
	recordInboxInsert   = `INSERT INTO inbox_activities (activity_iri, type, actor_iri, raw, received_at, processed_at, outcome)`
	recordInboxRows     = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[])`
	recordInboxConflict = `ON CONFLICT (activity_iri) DO NOTHING RETURNING id, activity_iri`
)

// inboxColumns are recordInboxSQL's arguments for rows.
func inboxColumns(rows []*model.InboxActivity) []any {
	n := len(rows)
	iris, types, actors, raws, outcomes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	received, processed := make([]time.Time, n), make([]*time.Time, n) // nil: NULL, not yet processed
	for i, r := range rows {
		iris[i], types[i], actors[i], raws[i], outcomes[i] = r.ActivityIRI, r.Type, r.ActorIRI, r.Raw, r.Outcome
		received[i] = r.ReceivedAt.UTC()
		if !r.ProcessedAt.IsZero() {
			at := r.ProcessedAt.UTC()
			processed[i] = &at
		}
	}
	return []any{iris, types, actors, raws, received, processed, outcomes}
}

// markProcessedSQL finds the rows by id = ANY, not by a join with the
// unnested arrays: its plan is made once per connection, perhaps while the
// table is still empty, and a join planned then may stay a hash join over
// a sequential scan; id = ANY is an index scan at any size.
const markProcessedSQL = `UPDATE inbox_activities SET processed_at = $1, raw = '',
outcome = ($3::text[])[array_position($2::bigint[], id)] WHERE id = ANY($2::bigint[])`

// outcomeArrays are markProcessedSQL's $2 and $3 for done.
func outcomeArrays(done []InboxOutcome) (ids []int64, outcomes []string) {
	ids, outcomes = make([]int64, len(done)), make([]string, len(done))
	for i, d := range done {
		ids[i], outcomes[i] = d.ID, d.Outcome
	}
	return ids, outcomes
}
