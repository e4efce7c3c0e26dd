package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Counter columns of a post. Each moves by exactly the rows a transaction
// added or removed, never by a recount: under READ COMMITTED a recount
// misses rows that concurrent transactions are committing, and the last
// writer's stale total would win.
const (
	likeCount     = "like_count"
	announceCount = "announce_count"
	replyCount    = "reply_count"
)

func interactionCounter(typ string) string {
	if typ == model.InteractionAnnounce {
		return announceCount
	}
	return likeCount
}

// bump adds delta to one of a post's counters in place, so concurrent
// bumps add up: the row lock orders them and each reads the committed value.
func bump(ctx context.Context, db bun.IDB, postID int64, column string, delta int) error {
	_, err := db.NewUpdate().Model((*model.Post)(nil)).
		Set("? = ? + ?", bunIdent(column), bunIdent(column), delta).
		Where("id = ?", postID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("move %s of post %d by %d: %w", column, postID, delta, err)
	}
	return nil
}

// bumpAll moves several counters of one post in one statement.
func bumpAll(ctx context.Context, db bun.IDB, postID int64, deltas map[string]int) error {
	q := db.NewUpdate().Model((*model.Post)(nil)).Where("id = ?", postID)
	for _, column := range []string{likeCount, announceCount, replyCount} {
		if d := deltas[column]; d != 0 {
			q = q.Set("? = ? + ?", bunIdent(column), bunIdent(column), d)
		}
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("uncount from post %d: %w", postID, err)
	}
	return nil
}
