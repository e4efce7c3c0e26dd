package accounts

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Added says what adding someone to an organisation's staff did.
type Added struct {
	Email string
	// Existing is true when the email already had an account: it now also
	// writes for the organisation and keeps its own password.
	Existing bool
	// Link is the invitation for a new account, when one was asked for.
	Link *Link
}

func checkRole(role string) error {
	if role != store.RoleAdmin && role != store.RoleAuthor {
		return model.Errorf(model.EInvalid, "the role must be admin or author, not %q", role)
	}
	return nil
}

// Invite adds email to org's staff with role. A new account gets no usable
// password, only an invitation link valid for ttl; an existing account is
// simply added, since a link would let whoever holds it take over the
// account's other organisations too.
func (s *Service) Invite(ctx context.Context, org *model.Actor, email, role string, ttl Validity) (Added, error) {
	return s.addStaff(ctx, org, email, role, func(ctx context.Context, tx bun.Tx, a *store.Account, added *Added) error {
		l, err := s.newLink(ctx, tx, a, store.LinkInvite, ttl)
		added.Link = l
		return err
	}, unmatchableHash)
}

// AddWithPassword adds email to org's staff with role and, for a new
// account, the password an admin chose for it. For an existing account the
// password is ignored.
func (s *Service) AddWithPassword(ctx context.Context, org *model.Actor, email, password, role string) (Added, error) {
	var hash string
	if exists, err := s.Exists(ctx, email); err != nil {
		return Added{}, err
	} else if !exists {
		if hash, err = HashPassword(password); err != nil {
			return Added{}, err
		}
	}
	return s.addStaff(ctx, org, email, role, nil, func() string { return hash })
}

func (s *Service) addStaff(ctx context.Context, org *model.Actor, email, role string,
	onNew func(context.Context, bun.Tx, *store.Account, *Added) error, hash func() string) (Added, error) {
	email, err := NormaliseEmail(email)
	if err != nil {
		return Added{}, err
	}
	if err := checkRole(role); err != nil {
		return Added{}, err
	}
	added := Added{Email: email}
	err = s.Store.InTx(ctx, func(tx bun.Tx) error {
		a, err := s.Store.AccountByEmail(ctx, email)
		switch {
		case err == nil:
			if _, err := s.Store.MembershipRole(ctx, tx, a.ID, org.ID); err == nil {
				return model.Errorf(model.EConflict, "%s already writes for %s; change their role in the list instead", email, org.Name)
			}
			added.Existing = true
			return s.Store.PutMembership(ctx, tx, a.ID, org.ID, role)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		a = &store.Account{Email: email, PasswordHash: hash(), Role: store.RoleAuthor, CreatedAt: s.now()}
		if _, err := tx.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
			if store.IsUniqueViolation(err) {
				return model.Errorf(model.EConflict, "an account for %s was added at the same time; try again", email)
			}
			return err
		}
		if err := s.Store.PutMembership(ctx, tx, a.ID, org.ID, role); err != nil {
			return err
		}
		if onNew != nil {
			return onNew(ctx, tx, a, &added)
		}
		return nil
	})
	return added, err
}

// SetRole changes a staff member's role in org. The last admin of an
// organisation cannot be made an author: nobody could then manage it.
func (s *Service) SetRole(ctx context.Context, org *model.Actor, accountID int64, role string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.LockMemberships(ctx, tx, org.ID); err != nil {
			return err
		}
		if err := s.refuseLastAdmin(ctx, tx, org, accountID, role == store.RoleAuthor, "made an author"); err != nil {
			return err
		}
		return s.Store.PutMembership(ctx, tx, accountID, org.ID, role)
	})
}

// Remove takes a staff member off org; an account left with no
// organisation is deleted. Nobody removes themselves here, and the last
// admin stays.
func (s *Service) Remove(ctx context.Context, by *Account, org *model.Actor, accountID int64) (deleted bool, err error) {
	if accountID == by.ID {
		return false, model.Errorf(model.EInvalid, "you cannot remove yourself; ask another admin of %s", org.Name)
	}
	err = s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.LockMemberships(ctx, tx, org.ID); err != nil {
			return err
		}
		if err := s.refuseLastAdmin(ctx, tx, org, accountID, true, "removed"); err != nil {
			return err
		}
		deleted, err = s.Store.DeleteMembership(ctx, tx, accountID, org.ID)
		return err
	})
	return deleted, err
}

// refuseLastAdmin checks that accountID writes for org and, when the change
// takes away its admin role, that another admin remains.
func (s *Service) refuseLastAdmin(ctx context.Context, tx bun.Tx, org *model.Actor, accountID int64, losesAdmin bool, what string) error {
	role, err := s.Store.MembershipRole(ctx, tx, accountID, org.ID)
	if errors.Is(err, store.ErrNotFound) {
		return model.Errorf(model.ENotFound, "that person does not write for %s (any more)", org.Name)
	}
	if err != nil || !losesAdmin || role != store.RoleAdmin {
		return err
	}
	n, err := s.Store.CountAdmins(ctx, tx, org.ID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return model.Errorf(model.EConflict, "the last admin of %s cannot be %s; make someone else an admin first", org.Name, what)
	}
	return nil
}

// Reset stops an account's password and logins working and returns a link
// for setting a new password. by may reset only accounts that write for no
// organisation it does not manage (and no site admin unless it is one), so
// that the link cannot hand it someone else's access.
func (s *Service) Reset(ctx context.Context, by *Account, org *model.Actor, accountID int64, ttl Validity) (*Link, error) {
	if accountID == by.ID {
		return nil, model.Errorf(model.EInvalid, "you cannot reset your own account here; ask another admin of %s", org.Name)
	}
	target, err := s.Store.AccountByID(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, model.Errorf(model.ENotFound, "that account no longer exists")
	}
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.AccountMemberships(ctx, accountID)
	if err != nil {
		return nil, err
	}
	inOrg := false
	for _, m := range ms {
		inOrg = inOrg || m.Org.ID == org.ID
		if !by.IsSiteAdmin() && !by.Manages(m.Org.ID) {
			return nil, model.Errorf(model.EInvalid, "%s also writes for %s, which you do not manage; ask its admin or a site admin to reset the account", target.Email, m.Org.Name)
		}
	}
	if !inOrg {
		return nil, model.Errorf(model.ENotFound, "%s does not write for %s", target.Email, org.Name)
	}
	if target.Role == store.RoleAdmin && !by.IsSiteAdmin() {
		return nil, model.Errorf(model.EInvalid, "%s is a site admin; only another site admin can reset the account", target.Email)
	}
	var link *Link
	err = s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.SetPasswordHash(ctx, tx, accountID, unmatchableHash()); err != nil {
			return err
		}
		if err := s.Store.DeleteAccountSessions(ctx, tx, accountID); err != nil {
			return err
		}
		link, err = s.newLink(ctx, tx, target, store.LinkReset, ttl)
		return err
	})
	return link, err
}
