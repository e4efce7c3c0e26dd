package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// InsertComment stores a reply under a post (p.ThreadRootID) and counts it
// on that post in the same transaction.
func (s *Store) InsertComment(ctx context.Context, db bun.IDB, p *model.Post) error {
	if p.ThreadRootID == 0 {
		return fmt.Errorf("insert comment %s: it has no thread", p.IRI)
	}
	if err := s.InsertPost(ctx, db, p); err != nil {
		return err
	}
	return bump(ctx, db, p.ThreadRootID, replyCount, +1)
}

// RemoveComment turns a reply into a tombstone and uncounts it, once: it
// reports false, changing nothing, when the reply was already gone.
func (s *Store) RemoveComment(ctx context.Context, db bun.IDB, c *model.Post) (bool, error) {
	removed, err := s.markDeleted(ctx, db, c)
	if err != nil || !removed || c.ThreadRootID == 0 {
		return removed, err
	}
	return true, bump(ctx, db, c.ThreadRootID, replyCount, -1)
}

// CountRecentReplies counts the replies an actor added under a post since a
// time, deleted ones too, so deleting does not make room for more.
func (s *Store) CountRecentReplies(ctx context.Context, rootID, authorID int64, since time.Time) (int, error) {
	n, err := s.DB.NewSelect().Model((*model.Post)(nil)).
		Where("thread_root_id = ?", rootID).Where("author_id = ?", authorID).Where("created_at >= ?", since.UTC()).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count replies by %d under %d: %w", authorID, rootID, err)
	}
	return int(n), nil
}

// CommentPage is one page of a thread, oldest first, with the cursors of
// the pages either side of it.
type CommentPage struct {
	Comments []*model.Post
	Newer    *Cursor // Comments(after=Newer) is the next page; nil on the last
	Older    *Cursor // CommentsBefore(Older) is the previous page; nil on the first
}

// Comments lists up to limit replies under a post, oldest first, so a
// thread reads top to bottom: from the start, or after a cursor.
func (s *Store) Comments(ctx context.Context, rootID int64, after *Cursor, limit int) (CommentPage, error) {
	keys, more, err := threadKeys(ctx, s.thread(rootID), false, after, limit)
	if err != nil {
		return CommentPage{}, fmt.Errorf("comments of %d: %w", rootID, err)
	}
	page := CommentPage{}
	if more {
		page.Newer = keys[len(keys)-1].cursor()
	}
	if after != nil {
		page.Older = after
		if len(keys) > 0 {
			page.Older = keys[0].cursor()
		}
	}
	page.Comments, err = s.postsByID(ctx, keys, false)
	return page, err
}

// CommentsBefore lists the up to limit replies just before a cursor,
// still oldest first: the page an "older comments" link leads to.
func (s *Store) CommentsBefore(ctx context.Context, rootID int64, before Cursor, limit int) (CommentPage, error) {
	keys, more, err := threadKeys(ctx, s.thread(rootID), true, &before, limit)
	if err != nil {
		return CommentPage{}, fmt.Errorf("comments of %d before %v: %w", rootID, before, err)
	}
	slices.Reverse(keys)
	page := CommentPage{Newer: &before}
	if len(keys) > 0 {
		page.Newer = keys[len(keys)-1].cursor()
		if more {
			page.Older = keys[0].cursor()
		}
	}
	page.Comments, err = s.postsByID(ctx, keys, false)
	return page, err
}

// thread selects a thread's live comments from posts_thread, which holds
// deleted_at too, so that their keys are read from the index alone,
// forwards or backwards from a cursor, without sorting the thread.
func (s *Store) thread(rootID int64) *bun.SelectQuery {
	return s.DB.NewSelect().TableExpr("posts AS post").
		Where("post.thread_root_id = ?", rootID).Where("post.deleted_at IS NULL")
}

// threadKeys reads a page of a thread's keys and whether more follow.
func threadKeys(ctx context.Context, q *bun.SelectQuery, backwards bool, from *Cursor, limit int) ([]key, bool, error) {
	keys, err := readKeys(ctx, q, byPublished, backwards, from, limit)
	if err != nil || len(keys) <= limit {
		return keys, false, err
	}
	return keys[:limit], true, nil
}

// CommentsAhead counts the live comments under rootID that come before
// comment c (oldest first, as the post page lists them), stopping at
// limit: enough to tell whether c is on the first page of comments.
func (s *Store) CommentsAhead(ctx context.Context, rootID int64, c *model.Post, limit int) (int, error) {
	keys, err := readKeys(ctx, s.thread(rootID), byPublished, true, &Cursor{Published: c.Published, ID: c.ID}, limit)
	if err != nil {
		return 0, fmt.Errorf("comments before %d under %d: %w", c.ID, rootID, err)
	}
	return min(len(keys), limit), nil
}
