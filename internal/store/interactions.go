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
		return s.refreshInteractionCount(ctx, tx, i.PostID, i.Type)
	})
	if err != nil {
		return false, fmt.Errorf("add %s of post %d: %w", i.Type, i.PostID, err)
	}
	return added, nil
}

// RemoveInteraction undoes a like or boost named by its activity id, only
// for the actor who made it.
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
		if _, err := tx.NewDelete().Model(&i).WherePK().Exec(ctx); err != nil {
			return err
		}
		removed = true
		return s.refreshInteractionCount(ctx, tx, i.PostID, i.Type)
	})
	if err != nil {
		return false, fmt.Errorf("remove interaction %s: %w", activityIRI, err)
	}
	return removed, nil
}

func (s *Store) refreshInteractionCount(ctx context.Context, db bun.IDB, postID int64, typ string) error {
	column := "like_count"
	if typ == model.InteractionAnnounce {
		column = "announce_count"
	}
	_, err := db.NewUpdate().Model((*model.Post)(nil)).
		Set("? = (SELECT COUNT(*) FROM interactions i WHERE i.post_id = ? AND i.type = ?)", bunIdent(column), postID, typ).
		Where("id = ?", postID).Exec(ctx)
	return err
}

// PostsTouchedBy lists the posts whose counts include something by the actor:
// posts it commented on, liked or boosted.
func (s *Store) PostsTouchedBy(ctx context.Context, db bun.IDB, actorID int64) ([]int64, error) {
	var ids []int64
	err := db.NewRaw(`SELECT thread_root_id FROM posts WHERE author_id = ? AND thread_root_id IS NOT NULL
		UNION SELECT post_id FROM interactions WHERE actor_id = ?`, actorID, actorID).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("posts touched by %d: %w", actorID, err)
	}
	return ids, nil
}

// RecountPost recomputes all of a post's counters from the rows behind them.
func (s *Store) RecountPost(ctx context.Context, db bun.IDB, postID int64) error {
	if err := s.RefreshReplyCount(ctx, db, postID); err != nil {
		return err
	}
	for _, typ := range []string{model.InteractionLike, model.InteractionAnnounce} {
		if err := s.refreshInteractionCount(ctx, db, postID, typ); err != nil {
			return fmt.Errorf("recount post %d: %w", postID, err)
		}
	}
	return nil
}
