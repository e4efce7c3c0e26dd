package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// ForgetRemoteActor deletes a remote actor with everything it brought (its
// follows, posts, comments, likes and boosts) and takes its comments, likes
// and boosts off the counters of the posts they were counted on. Its rows
// are deleted explicitly rather than left to the cascade so that the
// counters lose exactly the rows this transaction removed: one that a
// concurrent undo or delete removed first is not returned here.
func (s *Store) ForgetRemoteActor(ctx context.Context, db bun.IDB, a *model.Actor) error {
	if a.Local {
		return fmt.Errorf("forget actor %d: it is one of ours", a.ID)
	}
	var interactions []struct {
		PostID int64  `bun:"post_id"`
		Type   string `bun:"type"`
	}
	if err := db.NewRaw("DELETE FROM interactions WHERE actor_id = ? RETURNING post_id, type", a.ID).
		Scan(ctx, &interactions); err != nil {
		return fmt.Errorf("forget interactions of %s: %w", a.IRI, err)
	}
	var comments []struct {
		RootID int64 `bun:"thread_root_id"`
		Live   bool  `bun:"live"`
	}
	if err := db.NewRaw("DELETE FROM posts WHERE author_id = ? AND thread_root_id IS NOT NULL RETURNING thread_root_id, deleted_at IS NULL AS live", a.ID).
		Scan(ctx, &comments); err != nil {
		return fmt.Errorf("forget comments of %s: %w", a.IRI, err)
	}
	deltas := map[int64]map[string]int{}
	add := func(postID int64, column string) {
		if deltas[postID] == nil {
			deltas[postID] = map[string]int{}
		}
		deltas[postID][column]--
	}
	for _, i := range interactions {
		add(i.PostID, interactionCounter(i.Type))
	}
	for _, c := range comments {
		if c.Live {
			add(c.RootID, replyCount)
		}
	}
	// Posts in id order, so two forgets touching the same posts lock them
	// in the same order and cannot deadlock on each other.
	ids := make([]int64, 0, len(deltas))
	for id := range deltas {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := bumpAll(ctx, db, id, deltas[id]); err != nil {
			return err
		}
	}
	return s.DeleteRemoteActor(ctx, db, a.IRI)
}
