package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// PostPage is one page of posts, newest first, with the cursor of the next.
type PostPage struct {
	Posts []*model.Post
	Next  *Cursor // nil on the last page
}

// Cursor is a keyset position: posts strictly older than it come next.
// Published alone is not unique, so the id breaks ties.
type Cursor struct {
	Published time.Time
	ID        int64
}

var (
	// byPublished reads posts_timeline, posts_timeline_kind or posts_author.
	byPublished = keyset{at: "post.published", id: "post.id"}
	// byTagPublished reads post_tags_timeline, which holds a copy of each
	// post's published time for this.
	byTagPublished = keyset{at: "pt.published", id: "pt.post_id"}
)

// OutboxPosts lists an author's own published posts (not comments, not
// deleted), newest first.
func (s *Store) OutboxPosts(ctx context.Context, authorID int64, after *Cursor, limit int) (PostPage, error) {
	q := s.DB.NewSelect().TableExpr("posts AS post").
		Where("post.author_id = ?", authorID).Where("post.deleted_at IS NULL").
		Where("post.kind IN (?)", bun.In(model.PublishedKinds))
	return s.postPage(ctx, q, byPublished, after, limit)
}

// CountOutboxPosts counts what OutboxPosts lists.
func (s *Store) CountOutboxPosts(ctx context.Context, authorID int64) (int, error) {
	n, err := s.DB.NewSelect().Model((*model.Post)(nil)).
		Where("author_id = ?", authorID).Where("deleted_at IS NULL").
		Where("kind IN (?)", bun.In(model.PublishedKinds)).Count(ctx)
	return int(n), err
}

// TimelineFilter narrows the combined timeline.
type TimelineFilter struct {
	Kind string // one of model.PublishedKinds, or "" for all
	Tag  string // folded tag, or ""
}

// Timeline lists the combined timeline, newest first.
func (s *Store) Timeline(ctx context.Context, f TimelineFilter, after *Cursor, limit int) (PostPage, error) {
	if f.Tag != "" {
		// The tag's own rows, which copy their post's time and timeline
		// flag, are the list; a deleted post has lost its tags.
		q := s.DB.NewSelect().TableExpr("post_tags AS pt").Where("pt.tag = ?", f.Tag).Where("pt.in_timeline")
		if f.Kind != "" {
			q = q.Join("JOIN posts AS post ON post.id = pt.post_id").Where("post.kind = ?", f.Kind)
		}
		return s.postPage(ctx, q, byTagPublished, after, limit)
	}
	q := s.DB.NewSelect().TableExpr("posts AS post").Where("post.in_timeline").Where("post.deleted_at IS NULL")
	if f.Kind != "" {
		q = q.Where("post.kind = ?", f.Kind)
	}
	return s.postPage(ctx, q, byPublished, after, limit)
}

// postPage reads one page of a list of posts, newest first: its keys from
// the list's index (see keyset.go), then the posts with their authors and
// tags.
func (s *Store) postPage(ctx context.Context, q *bun.SelectQuery, k keyset, after *Cursor, limit int) (PostPage, error) {
	return s.postPageIn(ctx, q, k, true, after, limit)
}

// postPageIn is postPage in either direction: desc for newest first, or
// ascending for lists that run forward in time, such as upcoming events.
func (s *Store) postPageIn(ctx context.Context, q *bun.SelectQuery, k keyset, desc bool, after *Cursor, limit int) (PostPage, error) {
	keys, err := readKeys(ctx, q, k, desc, after, limit)
	if err != nil {
		return PostPage{}, fmt.Errorf("list posts: %w", err)
	}
	var page PostPage
	if len(keys) > limit {
		keys = keys[:limit]
		page.Next = keys[limit-1].cursor()
	}
	page.Posts, err = s.postsByID(ctx, keys, true)
	return page, err
}
