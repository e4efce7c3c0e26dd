package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// AddInteraction records a like or boost once and bumps the post's counter
// in the same transaction. A repeat (same activity, or same actor, post and
// type) changes nothing and reports false.
func (s *Store) AddInteraction(ctx context.Context, i *model.Interaction) (bool, error) {
	added := false
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		i.CreatedAt = time.Now().UTC()
		res, err := tx.NewInsert().Model(i).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		return bump(ctx, tx, i.PostID, interactionCounter(i.Type), +1)
	})
	if err != nil {
		return false, fmt.Errorf("add %s of post %d: %w", i.Type, i.PostID, err)
	}
	return added, nil
}

// RemoveInteraction undoes a like or boost named by its activity id, only
// for the actor who made it. Of two concurrent undos of one interaction,
// only the one whose delete took the row lowers the counter.
func (s *Store) RemoveInteraction(ctx context.Context, actorID int64, activityIRI string) (bool, error) {
	removed := false
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var i model.Interaction
		err := tx.NewSelect().Model(&i).Where("activity_iri = ?", activityIRI).Where("actor_id = ?", actorID).Scan(ctx)
		if err != nil {
			if notFound(err) == ErrNotFound {
				return nil
			}
			return err
		}
		res, err := tx.NewDelete().Model(&i).WherePK().Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		removed = true
		return bump(ctx, tx, i.PostID, interactionCounter(i.Type), -1)
	})
	if err != nil {
		return false, fmt.Errorf("remove interaction %s: %w", activityIRI, err)
	}
	return removed, nil
}
