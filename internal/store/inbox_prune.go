package store

import (
	"context"
	"fmt"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// PruneInboxActivities deletes up to limit processed activities that were
// processed before cutoff, and reports how many went. Callers loop until
// it returns fewer than limit: a bounded batch keeps each statement's locks
// (and SQLite's single writer) short. Unprocessed rows are never pruned.
func (s *Store) PruneInboxActivities(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	batch := s.DB.NewSelect().Model((*model.InboxActivity)(nil)).Column("id").
		Where("processed_at IS NOT NULL AND processed_at < ?", cutoff.UTC()).Limit(int64(limit))
	res, err := s.DB.NewDelete().Model((*model.InboxActivity)(nil)).Where("id IN (?)", batch).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("prune inbox activities processed before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("prune inbox activities: %w", err)
	}
	return int(n), nil
}
