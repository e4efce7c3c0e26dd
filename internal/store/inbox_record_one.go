package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// recordInboxLockedSQL is the order lock and recordInboxSQL in one
// statement, its own transaction. The lock is taken before any id is
// given out: every row the insert reads comes out of the join with the
// lock's one row, and an id (the column's default) is drawn only for a row
// the join has produced. It is held until the statement commits, as in
// the explicit transaction.
const recordInboxLockedSQL = "WITH ordered AS MATERIALIZED (SELECT pg_advisory_xact_lock($8) AS locked)\n" +
	recordInboxInsert + "\nSELECT u.* FROM ordered, " + recordInboxRows + " AS u\n" + recordInboxConflict

// RecordInboxBatch is RecordInboxActivities in a transaction of its own,
// what the inbox's group commit does with each batch. On PostgreSQL with
// prepared statements a batch that fits one chunk is one statement rather
// than BEGIN, the lock, the insert and COMMIT: under a flood the group
// commit runs hundreds of times a second.
func (s *Store) RecordInboxBatch(ctx context.Context, rows []*model.InboxActivity) ([]bool, error) {
	q, ok := s.preparedOn(s.DB)
	if !ok || s.Dialect != Postgres || len(rows) > inboxChunk {
		var inserted []bool
		err := s.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			var err error
			inserted, err = s.RecordInboxActivities(ctx, tx, rows)
			return err
		})
		return inserted, err
	}
	inserted := make([]bool, len(rows))
	first, uniq := firstOfEach(rows)
	var got []recordedInbox
	args := append(inboxColumns(uniq), int64(inboxOrderLock))
	if err := s.scanAllPrepared(ctx, q, recordInboxLockedSQL, &got, args...); err != nil {
		return nil, fmt.Errorf("record %d inbox activities: %w", len(uniq), err)
	}
	markRecorded(rows, inserted, first, got)
	return inserted, nil
}
