package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Draft is a post as its author typed it, kept so nothing is lost to an
// expired session or a refused form. Fields is the form's fields as JSON;
// the store does not look inside.
type Draft struct {
	bun.BaseModel `bun:"table:drafts"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Token     string    `bun:"token"`
	AccountID int64     `bun:"account_id"`
	EditOf    string    `bun:"edit_of"` // token of the post it edits, "" for a new post
	Fields    string    `bun:"fields"`
	ExpiresAt time.Time `bun:"expires_at,nullzero"` // zero: kept until used or discarded
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// PutDraft stores a draft under its token, replacing the text of an earlier
// save by the same account. A draft once saved without an expiry keeps
// none, so a later rescue of the same form does not put it on a clock.
// A token held by another account is left alone and reported as ErrNotFound.
func (s *Store) PutDraft(ctx context.Context, d *Draft) error {
	now := time.Now().UTC()
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	d.UpdatedAt = now
	res, err := s.DB.NewInsert().Model(d).
		On("CONFLICT (token) DO UPDATE").
		Set("fields = EXCLUDED.fields, edit_of = EXCLUDED.edit_of, updated_at = EXCLUDED.updated_at").
		Set("expires_at = CASE WHEN draft.expires_at IS NULL THEN NULL ELSE EXCLUDED.expires_at END").
		Where("draft.account_id = EXCLUDED.account_id").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("save draft: token held by another account: %w", ErrNotFound)
	}
	return nil
}

// DraftOf returns one of an account's drafts that has not expired.
func (s *Store) DraftOf(ctx context.Context, accountID int64, token string, now time.Time) (*Draft, error) {
	d := new(Draft)
	err := s.DB.NewSelect().Model(d).Where("token = ?", token).Where("account_id = ?", accountID).
		Where("(expires_at IS NULL OR expires_at > ?)", now).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("draft: %w", notFound(err))
	}
	return d, nil
}

// DraftsOf lists an account's unexpired drafts, the latest first.
func (s *Store) DraftsOf(ctx context.Context, accountID int64, now time.Time, limit int) ([]*Draft, error) {
	var ds []*Draft
	err := s.DB.NewSelect().Model(&ds).Where("account_id = ?", accountID).
		Where("(expires_at IS NULL OR expires_at > ?)", now).
		OrderExpr("updated_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("drafts: %w", err)
	}
	return ds, nil
}

// DeleteDraft removes one of an account's drafts; a missing one is not an error.
func (s *Store) DeleteDraft(ctx context.Context, accountID int64, token string) error {
	_, err := s.DB.NewDelete().Model((*Draft)(nil)).Where("token = ?", token).Where("account_id = ?", accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete draft: %w", err)
	}
	return nil
}

// DeleteExpiredDrafts removes kept drafts nobody came back for.
func (s *Store) DeleteExpiredDrafts(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.DB.NewDelete().Model((*Draft)(nil)).Where("expires_at IS NOT NULL").Where("expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete expired drafts: %w", err)
	}
	return res.RowsAffected()
}
