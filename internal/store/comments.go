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
	var cs []*model.Post
	q := s.threadQuery(rootID, &cs).OrderExpr("?TableAlias.published ASC, ?TableAlias.id ASC")
	if after != nil {
		q = q.Where("(?TableAlias.published, ?TableAlias.id) > (?, ?)", after.Published, after.ID)
	}
	cs, more, err := scanComments(ctx, q, &cs, rootID, limit)
	if err != nil {
		return CommentPage{}, err
	}
	page := CommentPage{Comments: cs}
	if more {
		page.Newer = cursorOf(cs[len(cs)-1])
	}
	if after != nil {
		page.Older = after
		if len(cs) > 0 {
			page.Older = cursorOf(cs[0])
		}
	}
	return page, nil
}

// CommentsBefore lists the up to limit replies just before a cursor,
// still oldest first: the page an "older comments" link leads to.
func (s *Store) CommentsBefore(ctx context.Context, rootID int64, before Cursor, limit int) (CommentPage, error) {
	var cs []*model.Post
	q := s.threadQuery(rootID, &cs).OrderExpr("?TableAlias.published DESC, ?TableAlias.id DESC").
		Where("(?TableAlias.published, ?TableAlias.id) < (?, ?)", before.Published, before.ID)
	cs, more, err := scanComments(ctx, q, &cs, rootID, limit)
	if err != nil {
		return CommentPage{}, err
	}
	slices.Reverse(cs)
	page := CommentPage{Comments: cs, Newer: &before}
	if len(cs) > 0 {
		page.Newer = cursorOf(cs[len(cs)-1])
		if more {
			page.Older = cursorOf(cs[0])
		}
	}
	return page, nil
}

// threadQuery selects a thread's live comments. Cursors compare as row
// values, which both databases answer with a range of posts_thread read in
// order, forwards or backwards, without sorting the thread.
func (s *Store) threadQuery(rootID int64, into *[]*model.Post) *bun.SelectQuery {
	return s.DB.NewSelect().Model(into).Relation("Author").
		Where("?TableAlias.thread_root_id = ?", rootID).Where("?TableAlias.deleted_at IS NULL")
}

// scanComments reads one more row than the page holds, to learn whether
// another page follows without counting the thread.
func scanComments(ctx context.Context, q *bun.SelectQuery, into *[]*model.Post, rootID int64, limit int) ([]*model.Post, bool, error) {
	if err := q.Limit(int64(limit) + 1).Scan(ctx); err != nil {
		return nil, false, fmt.Errorf("comments of %d: %w", rootID, err)
	}
	cs := *into
	if len(cs) > limit {
		return cs[:limit], true, nil
	}
	return cs, false, nil
}

func cursorOf(p *model.Post) *Cursor { return &Cursor{Published: p.Published, ID: p.ID} }
