package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// InsertPosts stores many posts and their tags in two statements, filling
// in their IDs: for bulk loads, such as the pages benchmark's million
// posts, where a statement per post would take hours. Comments go through
// InsertComment, which also counts them on their thread.
func (s *Store) InsertPosts(ctx context.Context, db bun.IDB, ps []*model.Post) error {
	if len(ps) == 0 {
		return nil
	}
	now := time.Now().UTC()
	for _, p := range ps {
		if p.CreatedAt.IsZero() {
			p.CreatedAt = now
		}
	}
	if _, err := db.NewInsert().Model(&ps).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert %d posts: %w", len(ps), err)
	}
	// Tags are matched to posts by the returned IDs; ids are handed out in
	// the order of the rows, so anything else means the rows came back
	// reordered and tags would land on the wrong posts.
	for i := 1; i < len(ps); i++ {
		if ps[i].ID <= ps[i-1].ID {
			return fmt.Errorf("insert %d posts: ids came back out of order (%d after %d)", len(ps), ps[i].ID, ps[i-1].ID)
		}
	}
	var rows []tagRow
	for _, p := range ps {
		rows = appendTagRows(rows, p)
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("tag %d posts: %w", len(ps), err)
	}
	return nil
}
