package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Roles. In an organisation (account_orgs.role) an author writes as it and
// an admin also manages its follows, comments and staff. On an account
// (accounts.role), admin marks a site admin, who also manages what is
// instance-wide (blocks, site settings); the migration that made roles per
// organisation kept every earlier admin both.
const (
	RoleAdmin  = "admin"
	RoleAuthor = "author"
)

// Account is a person who logs in to write. It lives in the store rather
// than in model because nothing federates it.
type Account struct {
	bun.BaseModel `bun:"table:accounts"`

	ID           int64     `bun:"id,pk,autoincrement"`
	Email        string    `bun:"email"` // lower-cased
	PasswordHash string    `bun:"password_hash"`
	Role         string    `bun:"role"`
	CreatedAt    time.Time `bun:"created_at"`
}

type accountOrg struct {
	bun.BaseModel `bun:"table:account_orgs"`

	AccountID int64  `bun:"account_id,pk"`
	ActorID   int64  `bun:"actor_id,pk"`
	Role      string `bun:"role"` // per organisation since 20261220000300
}

// Session is a login, found by the SHA-256 of its cookie token.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	TokenHash string    `bun:"token_hash,pk"`
	AccountID int64     `bun:"account_id"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// CreateAccount inserts an account and fills in its ID; a taken email is a
// unique violation (see IsUniqueViolation).
func (s *Store) CreateAccount(ctx context.Context, a *Account) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC()
	}
	if _, err := s.DB.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	return nil
}

// AccountByEmail finds an account by its lower-cased email.
func (s *Store) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	a := new(Account)
	if err := s.DB.NewSelect().Model(a).Where("email = ?", email).Scan(ctx); err != nil {
		return nil, fmt.Errorf("account by email: %w", notFound(err))
	}
	return a, nil
}

// SetAccountRole changes what an account may do.
func (s *Store) SetAccountRole(ctx context.Context, id int64, role string) error {
	if _, err := s.DB.NewUpdate().Model((*Account)(nil)).Set("role = ?", role).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("set account role: %w", err)
	}
	return nil
}

// AddAccountOrg lets an account write as an organisation, as an author;
// adding it twice is not an error and keeps the role it had.
func (s *Store) AddAccountOrg(ctx context.Context, accountID, actorID int64) error {
	_, err := s.DB.NewInsert().Model(&accountOrg{AccountID: accountID, ActorID: actorID, Role: RoleAuthor}).
		On("CONFLICT (account_id, actor_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return fmt.Errorf("add account organisation: %w", err)
	}
	return nil
}

// AccountOrgs lists the organisations an account writes as, in the order
// they were created.
func (s *Store) AccountOrgs(ctx context.Context, accountID int64) ([]*model.Actor, error) {
	var as []*model.Actor
	err := s.DB.NewSelect().Model(&as).
		Where("id IN (SELECT actor_id FROM account_orgs WHERE account_id = ?)", accountID).
		Order("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("account organisations: %w", err)
	}
	return as, nil
}

// CreateSession records a login.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if _, err := s.DB.NewInsert().Model(sess).Exec(ctx); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// SessionAccount returns the account of an unexpired session. An expired
// session is deleted on sight and reported as ErrNotFound.
func (s *Store) SessionAccount(ctx context.Context, tokenHash string, now time.Time) (*Account, error) {
	sess := new(Session)
	if err := s.DB.NewSelect().Model(sess).Where("token_hash = ?", tokenHash).Scan(ctx); err != nil {
		return nil, fmt.Errorf("session: %w", notFound(err))
	}
	if !now.Before(sess.ExpiresAt) {
		if err := s.DeleteSession(ctx, tokenHash); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("session expired: %w", ErrNotFound)
	}
	a := new(Account)
	if err := s.DB.NewSelect().Model(a).Where("id = ?", sess.AccountID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("session account: %w", notFound(err))
	}
	return a, nil
}

// DeleteSession ends a login; deleting a missing session is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.DB.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", tokenHash).Exec(ctx); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry, so the table
// does not grow with logins nobody ended.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.DB.NewDelete().Model((*Session)(nil)).Where("expires_at <= ?", now.UTC()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
