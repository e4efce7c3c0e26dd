package store

import (
	"context"
	"fmt"

	"github.com/commonplace-social/commonplace/internal/model"
)

// PendingFollowersPage lists the follow requests waiting for an actor's
// answer, newest first, in pages of limit below the follow id `before`
// (0: from the newest), like Followers.
func (s *Store) PendingFollowersPage(ctx context.Context, actorID, before int64, limit int) (FollowPage, error) {
	return s.pendingPage(ctx, "followee_id", actorID, before, limit)
}

// PendingFollowingPage lists the follows an actor has sent that the other
// side has not accepted yet, newest first.
func (s *Store) PendingFollowingPage(ctx context.Context, actorID, before int64, limit int) (FollowPage, error) {
	return s.pendingPage(ctx, "follower_id", actorID, before, limit)
}

func (s *Store) pendingPage(ctx context.Context, column string, actorID, before int64, limit int) (FollowPage, error) {
	var fs []*model.Follow
	q := s.DB.NewSelect().Model(&fs).
		Relation("Follower").Relation("Followee").
		Where("?TableAlias.? = ?", bunIdent(column), actorID).
		Where("?TableAlias.state = ?", model.FollowPending).
		OrderExpr("?TableAlias.id DESC").Limit(int64(limit) + 1)
	if before > 0 {
		q = q.Where("?TableAlias.id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return FollowPage{}, fmt.Errorf("pending follows by %s=%d: %w", column, actorID, err)
	}
	page := FollowPage{Follows: fs}
	if len(fs) > limit {
		page.Follows = fs[:limit]
		page.NextBefore = fs[limit-1].ID
	}
	return page, nil
}
