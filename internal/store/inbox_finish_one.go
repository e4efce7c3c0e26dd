package store

import (
	"context"
	"fmt"
	"time"
)

// finishSQL is markProcessedSQL and the release of leases in one statement:
// one implicit transaction, atomic like the explicit one it replaces.
const finishSQL = "WITH released AS (DELETE FROM inbox_leases WHERE holder = $4 AND actor_iri = ANY($5::text[]))\n" +
	markProcessedSQL

// finishInOneStatement writes the commonest finish on PostgreSQL, outcomes
// and released leases with no retry to record, in one statement instead
// of BEGIN, two statements and COMMIT: the applier finishes a few turns at
// a time, so under an inbox flood those round trips were a noticeable
// share of them. done is false when f is not that case.
func (s *Store) finishInOneStatement(ctx context.Context, holder string, f InboxFinish, now time.Time) (done bool, err error) {
	q, ok := s.preparedOn(s.DB)
	if !ok || len(f.Postponed) > 0 || len(f.Holds) > 0 || len(f.Done) > inboxChunk || len(f.Release) > inboxChunk {
		return false, nil
	}
	ids, outcomes := outcomeArrays(f.Done)
	release := f.Release
	if release == nil {
		release = []string{}
	}
	if _, err := q.ExecContext(ctx, finishSQL, cached([]any{now, ids, outcomes, holder, release})...); err != nil {
		return true, fmt.Errorf("finish %d inbox activities, release %d leases: %w", len(f.Done), len(f.Release), err)
	}
	return true, nil
}
