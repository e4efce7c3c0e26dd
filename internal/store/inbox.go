package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// RecordInboxActivity stores a received activity unless one with the same id
// is already recorded. It reports whether this call inserted it, so that only
// the first delivery of an activity gets applied.
func (s *Store) RecordInboxActivity(ctx context.Context, db bun.IDB, a *model.InboxActivity) (bool, error) {
	if a.ReceivedAt.IsZero() {
		a.ReceivedAt = time.Now().UTC()
	}
	res, err := db.NewInsert().Model(a).On("CONFLICT (activity_iri) DO NOTHING").Returning("id").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("record inbox activity %s: %w", a.ActivityIRI, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record inbox activity %s: %w", a.ActivityIRI, err)
	}
	return n == 1, nil
}

// InboxActivity loads a recorded activity.
func (s *Store) InboxActivity(ctx context.Context, id int64) (*model.InboxActivity, error) {
	a := new(model.InboxActivity)
	if err := s.DB.NewSelect().Model(a).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("inbox activity %d: %w", id, notFound(err))
	}
	return a, nil
}

// InboxActivityByIRI loads a recorded activity by its id.
func (s *Store) InboxActivityByIRI(ctx context.Context, iri string) (*model.InboxActivity, error) {
	a := new(model.InboxActivity)
	if err := s.DB.NewSelect().Model(a).Where("activity_iri = ?", iri).Scan(ctx); err != nil {
		return nil, fmt.Errorf("inbox activity %s: %w", iri, notFound(err))
	}
	return a, nil
}

// CountInboxActivities counts recorded activities, for tests and metrics.
func (s *Store) CountInboxActivities(ctx context.Context) (int, error) {
	n, err := s.DB.NewSelect().Model((*model.InboxActivity)(nil)).Count(ctx)
	return int(n), err
}
