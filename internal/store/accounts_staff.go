package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Membership is an account's role in one organisation.
type Membership struct {
	Org  *model.Actor
	Role string
}

// StaffMember is one account in an organisation's staff list, with the
// invitation still waiting for it, if any.
type StaffMember struct {
	AccountID int64     `bun:"account_id"`
	Email     string    `bun:"email"`
	Role      string    `bun:"role"`
	CreatedAt time.Time `bun:"created_at"`
	// Invited is true while the account has never set a password: its
	// invitation link (which expires at InviteExpires) is still unused.
	Invited       bool      `bun:"invited"`
	InviteExpires time.Time `bun:"invite_expires"`
}

// PutMembership lets an account write as an organisation with the role
// given, or changes its role there.
func (s *Store) PutMembership(ctx context.Context, db bun.IDB, accountID, actorID int64, role string) error {
	_, err := db.NewInsert().Model(&accountOrg{AccountID: accountID, ActorID: actorID, Role: role}).
		On("CONFLICT (account_id, actor_id) DO UPDATE").Set("role = EXCLUDED.role").Exec(ctx)
	if err != nil {
		return fmt.Errorf("set membership of account %d in %d: %w", accountID, actorID, err)
	}
	return nil
}

// AccountMemberships lists the organisations an account writes as, with its
// role in each, in the order the organisations were created.
func (s *Store) AccountMemberships(ctx context.Context, accountID int64) ([]Membership, error) {
	var rows []accountOrg
	if err := s.DB.NewSelect().Model(&rows).Where("account_id = ?", accountID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("account memberships: %w", err)
	}
	orgs, err := s.AccountOrgs(ctx, accountID)
	if err != nil {
		return nil, err
	}
	roles := make(map[int64]string, len(rows))
	for _, r := range rows {
		roles[r.ActorID] = r.Role
	}
	ms := make([]Membership, 0, len(orgs))
	for _, o := range orgs {
		ms = append(ms, Membership{Org: o, Role: roles[o.ID]})
	}
	return ms, nil
}

// Staff lists the accounts that write for an organisation, admins first,
// then by email.
func (s *Store) Staff(ctx context.Context, actorID int64) ([]StaffMember, error) {
	var staff []StaffMember
	err := s.DB.NewSelect().TableExpr("account_orgs AS m").
		Join("JOIN accounts AS a ON a.id = m.account_id").
		ColumnExpr("a.id AS account_id, a.email, m.role, a.created_at").
		ColumnExpr("EXISTS (SELECT 1 FROM password_links l WHERE l.account_id = a.id AND l.purpose = 'invite' AND l.used_at IS NULL) AS invited").
		ColumnExpr("(SELECT MAX(l.expires_at) FROM password_links l WHERE l.account_id = a.id AND l.purpose = 'invite' AND l.used_at IS NULL) AS invite_expires").
		Where("m.actor_id = ?", actorID).
		OrderExpr("m.role = 'admin' DESC, a.email").Scan(ctx, &staff)
	if err != nil {
		return nil, fmt.Errorf("staff of %d: %w", actorID, err)
	}
	return staff, nil
}

// AccountByID finds an account.
func (s *Store) AccountByID(ctx context.Context, id int64) (*Account, error) {
	a := new(Account)
	if err := s.DB.NewSelect().Model(a).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("account %d: %w", id, notFound(err))
	}
	return a, nil
}

// MembershipRole is an account's role in an organisation; ErrNotFound when
// it does not write for it.
func (s *Store) MembershipRole(ctx context.Context, db bun.IDB, accountID, actorID int64) (string, error) {
	var role string
	err := db.NewSelect().Model((*accountOrg)(nil)).Column("role").
		Where("account_id = ?", accountID).Where("actor_id = ?", actorID).Scan(ctx, &role)
	if err != nil {
		return "", fmt.Errorf("membership of account %d in %d: %w", accountID, actorID, notFound(err))
	}
	return role, nil
}

// CountAdmins counts an organisation's admins. Callers that are about to
// remove or demote one lock the rows first (see LockMemberships).
func (s *Store) CountAdmins(ctx context.Context, db bun.IDB, actorID int64) (int, error) {
	n, err := db.NewSelect().Model((*accountOrg)(nil)).
		Where("actor_id = ?", actorID).Where("role = ?", RoleAdmin).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count admins of %d: %w", actorID, err)
	}
	return int(n), nil
}

// LockMemberships serialises changes to one organisation's staff within a
// transaction, so two admins removing each other at once cannot leave it
// with none. SQLite's transactions already serialise writers.
func (s *Store) LockMemberships(ctx context.Context, tx bun.Tx, actorID int64) error {
	if s.Dialect != Postgres {
		return nil
	}
	if _, err := tx.NewSelect().Model((*accountOrg)(nil)).Column("account_id").
		Where("actor_id = ?", actorID).For("UPDATE").Exec(ctx); err != nil {
		return fmt.Errorf("lock staff of %d: %w", actorID, err)
	}
	return nil
}

// DeleteMembership stops an account writing for an organisation. An account
// left with no organisation is deleted, with its sessions and links;
// deleted reports whether that happened.
func (s *Store) DeleteMembership(ctx context.Context, tx bun.Tx, accountID, actorID int64) (deleted bool, err error) {
	if _, err := tx.NewDelete().Model((*accountOrg)(nil)).
		Where("account_id = ?", accountID).Where("actor_id = ?", actorID).Exec(ctx); err != nil {
		return false, fmt.Errorf("delete membership of account %d in %d: %w", accountID, actorID, err)
	}
	left, err := tx.NewSelect().Model((*accountOrg)(nil)).Where("account_id = ?", accountID).Count(ctx)
	if err != nil || left > 0 {
		return false, err
	}
	if _, err := tx.NewDelete().Model((*Account)(nil)).Where("id = ?", accountID).Exec(ctx); err != nil {
		return false, fmt.Errorf("delete account %d: %w", accountID, err)
	}
	return true, nil
}

// SetPasswordHash replaces an account's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, db bun.IDB, accountID int64, hash string) error {
	if _, err := db.NewUpdate().Model((*Account)(nil)).Set("password_hash = ?", hash).Where("id = ?", accountID).Exec(ctx); err != nil {
		return fmt.Errorf("set password of account %d: %w", accountID, err)
	}
	return nil
}

// DeleteAccountSessions ends every login of an account.
func (s *Store) DeleteAccountSessions(ctx context.Context, db bun.IDB, accountID int64) error {
	if _, err := db.NewDelete().Model((*Session)(nil)).Where("account_id = ?", accountID).Exec(ctx); err != nil {
		return fmt.Errorf("end sessions of account %d: %w", accountID, err)
	}
	return nil
}
