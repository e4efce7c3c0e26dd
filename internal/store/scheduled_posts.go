package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// ScheduledPost is a checked post waiting for its time. Draft is a
// posts.Draft as JSON; the store does not look inside.
type ScheduledPost struct {
	bun.BaseModel `bun:"table:scheduled_posts,alias:sp"`

	ID        int64        `bun:"id,pk,autoincrement"`
	Token     string       `bun:"token"`
	OrgID     int64        `bun:"org_id"`
	Org       *model.Actor `bun:"rel:belongs-to,join:org_id=id"`
	AccountID int64        `bun:"account_id,nullzero"`
	PublishAt time.Time    `bun:"publish_at"`
	Draft     string       `bun:"draft"`
	CreatedAt time.Time    `bun:"created_at"`
	UpdatedAt time.Time    `bun:"updated_at"`
}

// InsertScheduledPost stores a scheduled post in tx, with the job that
// will publish it.
func (s *Store) InsertScheduledPost(ctx context.Context, tx bun.IDB, sp *ScheduledPost) error {
	now := time.Now().UTC()
	sp.CreatedAt, sp.UpdatedAt = now, now
	if _, err := tx.NewInsert().Model(sp).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert scheduled post: %w", err)
	}
	return nil
}

// UpdateScheduledPost replaces a scheduled post's time and content;
// ErrNotFound if it was published or cancelled meanwhile.
func (s *Store) UpdateScheduledPost(ctx context.Context, tx bun.IDB, sp *ScheduledPost) error {
	sp.UpdatedAt = time.Now().UTC()
	res, err := tx.NewUpdate().Model(sp).Column("publish_at", "draft", "updated_at").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update scheduled post: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("update scheduled post %d: %w", sp.ID, ErrNotFound)
	}
	return nil
}

// ScheduledPostByToken loads a scheduled post with its organisation.
func (s *Store) ScheduledPostByToken(ctx context.Context, token string) (*ScheduledPost, error) {
	sp := new(ScheduledPost)
	if err := s.DB.NewSelect().Model(sp).Relation("Org").Where("sp.token = ?", token).Scan(ctx); err != nil {
		return nil, fmt.Errorf("scheduled post: %w", notFound(err))
	}
	return sp, nil
}

// ScheduledPostsOf lists the organisations' scheduled posts, soonest first.
func (s *Store) ScheduledPostsOf(ctx context.Context, orgIDs []int64, limit int) ([]*ScheduledPost, error) {
	var sps []*ScheduledPost
	if len(orgIDs) == 0 {
		return sps, nil
	}
	err := s.DB.NewSelect().Model(&sps).Relation("Org").Where("sp.org_id IN (?)", bun.In(orgIDs)).
		OrderExpr("sp.publish_at, sp.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("scheduled posts: %w", err)
	}
	return sps, nil
}

// TakeDueScheduledPost removes a scheduled post whose time has come, in
// tx, and returns it; ErrNotFound when it was cancelled, already taken, or
// moved later. Of two transactions taking the same post only one deletes
// the row, so a post is published once.
func (s *Store) TakeDueScheduledPost(ctx context.Context, tx bun.Tx, id int64, now time.Time) (*ScheduledPost, error) {
	sp := new(ScheduledPost)
	err := tx.NewSelect().Model(sp).Relation("Org").Where("sp.id = ?", id).Where("sp.publish_at <= ?", now).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("due scheduled post: %w", notFound(err))
	}
	res, err := tx.NewDelete().Model((*ScheduledPost)(nil)).Where("id = ?", id).Where("publish_at <= ?", now).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("take scheduled post: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return nil, fmt.Errorf("take scheduled post %d: %w", id, ErrNotFound)
	}
	return sp, nil
}

// DeleteScheduledPost cancels a scheduled post; false if it was not there.
func (s *Store) DeleteScheduledPost(ctx context.Context, token string) (bool, error) {
	res, err := s.DB.NewDelete().Model((*ScheduledPost)(nil)).Where("token = ?", token).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("cancel scheduled post: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
