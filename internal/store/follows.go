package store

import (
	"context"
	"fmt"

	"github.com/commonplace-social/commonplace/internal/model"
)

// FollowCounts is how many accepted followers an actor has and how many
// actors it follows with an accepted follow.
type FollowCounts struct {
	Followers int
	Following int
}

// CountFollows counts an actor's accepted follows in both directions.
func (s *Store) CountFollows(ctx context.Context, actorID int64) (FollowCounts, error) {
	var c FollowCounts
	n, err := s.DB.NewSelect().Model((*model.Follow)(nil)).
		Where("followee_id = ?", actorID).Where("state = ?", model.FollowAccepted).Count(ctx)
	if err != nil {
		return c, fmt.Errorf("count followers of %d: %w", actorID, err)
	}
	c.Followers = int(n)
	n, err = s.DB.NewSelect().Model((*model.Follow)(nil)).
		Where("follower_id = ?", actorID).Where("state = ?", model.FollowAccepted).Count(ctx)
	if err != nil {
		return c, fmt.Errorf("count following of %d: %w", actorID, err)
	}
	c.Following = int(n)
	return c, nil
}

// FollowPage is one page of a follow list, newest follow first.
type FollowPage struct {
	Follows []*model.Follow // with Follower and Followee loaded
	// NextBefore is the cursor for the next (older) page, 0 when this is the last.
	NextBefore int64
}

// Followers lists an actor's accepted followers, newest first, in pages of
// limit, starting below the follow id `before` (0: from the newest). Keyset
// paging keeps pages stable while follows come and go.
func (s *Store) Followers(ctx context.Context, actorID int64, before int64, limit int) (FollowPage, error) {
	return s.followPage(ctx, "followee_id", actorID, before, limit)
}

// Following lists the actors an actor follows (accepted), newest first.
func (s *Store) Following(ctx context.Context, actorID int64, before int64, limit int) (FollowPage, error) {
	return s.followPage(ctx, "follower_id", actorID, before, limit)
}

func (s *Store) followPage(ctx context.Context, column string, actorID, before int64, limit int) (FollowPage, error) {
	var fs []*model.Follow
	q := s.DB.NewSelect().Model(&fs).
		Relation("Follower").Relation("Followee").
		Where("?TableAlias.? = ?", bunIdent(column), actorID).
		Where("?TableAlias.state = ?", model.FollowAccepted).
		OrderExpr("?TableAlias.id DESC").Limit(int64(limit) + 1)
	if before > 0 {
		q = q.Where("?TableAlias.id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return FollowPage{}, fmt.Errorf("list follows by %s=%d: %w", column, actorID, err)
	}
	page := FollowPage{Follows: fs}
	if len(fs) > limit {
		page.Follows = fs[:limit]
		page.NextBefore = fs[limit-1].ID
	}
	return page, nil
}
