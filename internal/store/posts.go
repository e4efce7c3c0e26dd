package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// InsertPost stores a post with its tags and fills in its ID.
func (s *Store) InsertPost(ctx context.Context, db bun.IDB, p *model.Post) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	if _, err := db.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert post: %w", err)
	}
	return s.replaceTags(ctx, db, p)
}

// UpdatePost saves a post's content and event fields and replaces its tags.
func (s *Store) UpdatePost(ctx context.Context, db bun.IDB, p *model.Post) error {
	_, err := db.NewUpdate().Model(p).
		Column("kind", "ap_type", "title", "summary", "content_html", "source", "url", "topic", "in_reply_to",
			"start_time", "end_time", "timezone", "venue", "address", "online_url", "booking_url", "raw", "updated", "in_timeline").
		WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update post %d: %w", p.ID, err)
	}
	return s.replaceTags(ctx, db, p)
}

func (s *Store) replaceTags(ctx context.Context, db bun.IDB, p *model.Post) error {
	if _, err := db.NewDelete().Model((*model.Tag)(nil)).Where("post_id = ?", p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("clear tags of post %d: %w", p.ID, err)
	}
	if len(p.Tags) == 0 {
		return nil
	}
	seen := map[string]bool{}
	tags := make([]model.Tag, 0, len(p.Tags))
	for _, t := range p.Tags {
		if t.Tag == "" || seen[t.Tag] {
			continue
		}
		seen[t.Tag] = true
		tags = append(tags, model.Tag{PostID: p.ID, Tag: t.Tag, Name: t.Name})
	}
	if len(tags) == 0 {
		return nil
	}
	if _, err := db.NewInsert().Model(&tags).Exec(ctx); err != nil {
		return fmt.Errorf("tag post %d: %w", p.ID, err)
	}
	return nil
}

// MarkPostDeleted turns a post into a tombstone: its content goes, its id
// stays, so that fetches of it answer 410 and later copies are refused.
func (s *Store) MarkPostDeleted(ctx context.Context, db bun.IDB, p *model.Post) error {
	_, err := s.markDeleted(ctx, db, p)
	return err
}

// markDeleted reports whether this call made the tombstone: of two
// concurrent deletes, the second waits for the first's row lock and then
// finds deleted_at set, so what depends on the change happens once.
func (s *Store) markDeleted(ctx context.Context, db bun.IDB, p *model.Post) (bool, error) {
	p.DeletedAt = time.Now().UTC()
	p.Title, p.Summary, p.ContentHTML, p.Source, p.Raw, p.InTimeline = "", "", "", "", "", false
	res, err := db.NewUpdate().Model(p).
		Column("deleted_at", "title", "summary", "content_html", "source", "raw", "in_timeline").
		WherePK().Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("delete post %d: %w", p.ID, err)
	}
	if _, err = db.NewDelete().Model((*model.Tag)(nil)).Where("post_id = ?", p.ID).Exec(ctx); err != nil {
		return false, fmt.Errorf("clear tags of deleted post %d: %w", p.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) postWhere(ctx context.Context, column string, value any) (*model.Post, error) {
	p := new(model.Post)
	err := s.DB.NewSelect().Model(p).Relation("Author").Relation("Tags").
		Where("?TableAlias.? = ?", bunIdent(column), value).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("post %s=%v: %w", column, value, notFound(err))
	}
	return p, nil
}

// PostByID loads a post with its author and tags.
func (s *Store) PostByID(ctx context.Context, id int64) (*model.Post, error) {
	return s.postWhere(ctx, "id", id)
}

// PostByToken loads a local post by the token in its id.
func (s *Store) PostByToken(ctx context.Context, token string) (*model.Post, error) {
	return s.postWhere(ctx, "token", token)
}

// PostByIRI loads a remote post by its id.
func (s *Store) PostByIRI(ctx context.Context, iri string) (*model.Post, error) {
	return s.postWhere(ctx, "iri", iri)
}

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

// OutboxPosts lists an author's own published posts (not comments, not
// deleted), newest first.
func (s *Store) OutboxPosts(ctx context.Context, authorID int64, after *Cursor, limit int) (PostPage, error) {
	q := s.DB.NewSelect().Model((*model.Post)(nil)).
		Where("?TableAlias.author_id = ?", authorID).Where("?TableAlias.deleted_at IS NULL").
		Where("?TableAlias.kind IN (?)", bun.In(model.PublishedKinds))
	return s.postPage(ctx, q, after, limit)
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
	q := s.DB.NewSelect().Model((*model.Post)(nil)).
		Where("?TableAlias.in_timeline").Where("?TableAlias.deleted_at IS NULL")
	if f.Kind != "" {
		q = q.Where("?TableAlias.kind = ?", f.Kind)
	}
	if f.Tag != "" {
		q = q.Where("EXISTS (SELECT 1 FROM post_tags pt WHERE pt.post_id = ?TableAlias.id AND pt.tag = ?)", f.Tag)
	}
	return s.postPage(ctx, q, after, limit)
}

func (s *Store) postPage(ctx context.Context, q *bun.SelectQuery, after *Cursor, limit int) (PostPage, error) {
	var posts []*model.Post
	q = q.Model(&posts).Relation("Author").Relation("Tags").
		OrderExpr("?TableAlias.published DESC, ?TableAlias.id DESC").Limit(int64(limit) + 1)
	if after != nil {
		q = q.Where("(?TableAlias.published < ? OR (?TableAlias.published = ? AND ?TableAlias.id < ?))",
			after.Published, after.Published, after.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return PostPage{}, fmt.Errorf("list posts: %w", err)
	}
	page := PostPage{Posts: posts}
	if len(posts) > limit {
		last := posts[limit-1]
		page.Posts = posts[:limit]
		page.Next = &Cursor{Published: last.Published, ID: last.ID}
	}
	return page, nil
}

// IsFollowedLocally reports whether any of our organisations follows the
// actor with an accepted follow: only then do its posts enter the timeline.
func (s *Store) IsFollowedLocally(ctx context.Context, actorID int64) (bool, error) {
	return s.DB.NewSelect().Model((*model.Follow)(nil)).
		Where("followee_id = ?", actorID).Where("state = ?", model.FollowAccepted).Exists(ctx)
}
