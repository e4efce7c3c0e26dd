package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Purposes of a password link.
const (
	LinkInvite = "invite"
	LinkReset  = "reset"
)

// PasswordLink is a one-time link that lets a person set an account's
// password: an invitation or a reset. Only the token's SHA-256 is stored.
type PasswordLink struct {
	bun.BaseModel `bun:"table:password_links"`

	TokenHash string    `bun:"token_hash,pk"`
	AccountID int64     `bun:"account_id"`
	Purpose   string    `bun:"purpose"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
	UsedAt    time.Time `bun:"used_at,nullzero"`
}

// ReplacePasswordLink stores a new link for an account, deleting the
// account's earlier links so that only the newest one works.
func (s *Store) ReplacePasswordLink(ctx context.Context, db bun.IDB, l *PasswordLink) error {
	if _, err := db.NewDelete().Model((*PasswordLink)(nil)).Where("account_id = ?", l.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("delete earlier links of account %d: %w", l.AccountID, err)
	}
	if _, err := db.NewInsert().Model(l).Exec(ctx); err != nil {
		return fmt.Errorf("insert password link: %w", err)
	}
	return nil
}

// PasswordLinkByHash finds a link, used or not, by its token's hash.
func (s *Store) PasswordLinkByHash(ctx context.Context, db bun.IDB, tokenHash string) (*PasswordLink, error) {
	l := new(PasswordLink)
	if err := db.NewSelect().Model(l).Where("token_hash = ?", tokenHash).Scan(ctx); err != nil {
		return nil, fmt.Errorf("password link: %w", notFound(err))
	}
	return l, nil
}

// UsePasswordLink marks a link used if it is still unused and unexpired at
// now; ok is false when another request used it first or it has expired.
func (s *Store) UsePasswordLink(ctx context.Context, db bun.IDB, tokenHash string, now time.Time) (ok bool, err error) {
	res, err := db.NewUpdate().Model((*PasswordLink)(nil)).Set("used_at = ?", now.UTC()).
		Where("token_hash = ?", tokenHash).Where("used_at IS NULL").Where("expires_at > ?", now.UTC()).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("use password link: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
