// Package accounts holds the people who log in to write for our
// organisations: their passwords, memberships, roles and sessions.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// SessionLifetime is how long a login lasts without logging in again.
const SessionLifetime = 14 * 24 * time.Hour

// ErrWrongCredentials is the one answer to a failed login, whether the email
// or the password was wrong, so that logins do not reveal who has an account.
var ErrWrongCredentials = model.Errorf(model.EInvalid, "email or password is wrong")

// Account is a logged-in person with the organisations they write as.
type Account struct {
	*store.Account
	Orgs []*model.Actor
	// Memberships are Orgs with the account's role in each.
	Memberships []store.Membership
}

// IsSiteAdmin reports whether the account manages what is instance-wide:
// blocks and the site's settings.
func (a *Account) IsSiteAdmin() bool { return a.Role == store.RoleAdmin }

// IsAdmin reports whether the account may open the admin pages: it is a
// site admin or an admin of at least one organisation.
func (a *Account) IsAdmin() bool { return a.IsSiteAdmin() || len(a.AdminOrgs()) > 0 }

// AdminOrgs are the organisations the account is an admin of: it answers
// their follow requests, removes comments under their posts and manages
// their staff.
func (a *Account) AdminOrgs() []*model.Actor {
	var orgs []*model.Actor
	for _, m := range a.Memberships {
		if m.Role == store.RoleAdmin {
			orgs = append(orgs, m.Org)
		}
	}
	return orgs
}

// ManagedOrg returns the organisation with that username if the account is
// its admin, or nil.
func (a *Account) ManagedOrg(username string) *model.Actor {
	for _, o := range a.AdminOrgs() {
		if o.Username == username {
			return o
		}
	}
	return nil
}

// Manages reports whether the account is an admin of the actor.
func (a *Account) Manages(actorID int64) bool {
	for _, o := range a.AdminOrgs() {
		if o.ID == actorID {
			return true
		}
	}
	return false
}

// Org returns the account's organisation with that username, or nil.
func (a *Account) Org(username string) *model.Actor {
	for _, o := range a.Orgs {
		if o.Username == username {
			return o
		}
	}
	return nil
}

// Writes reports whether the account may write as the actor.
func (a *Account) Writes(actorID int64) bool {
	for _, o := range a.Orgs {
		if o.ID == actorID {
			return true
		}
	}
	return false
}

// Service is the accounts use case.
type Service struct {
	Store *store.Store
	Now   func() time.Time // for tests; time.Now when nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// NormaliseEmail lower-cases and checks an email address.
func NormaliseEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return "", model.Errorf(model.EInvalid, "%q is not an email address", email)
	}
	return email, nil
}

// Exists reports whether an account has that email, so the CLI can skip
// asking for a password when it only adds a membership.
func (s *Service) Exists(ctx context.Context, email string) (bool, error) {
	email, err := NormaliseEmail(email)
	if err != nil {
		return false, err
	}
	_, err = s.Store.AccountByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Add creates an account that writes as org with the role given, or, when
// the email already has one, adds org to it with that role; the password is
// then ignored. It reports whether a new account was created. This is the
// operator's command-line path, so the admin role also makes the account a
// site admin; admins added on the web (see Staff) manage only their
// organisation.
func (s *Service) Add(ctx context.Context, email, password, role string, org *model.Actor) (created bool, err error) {
	if email, err = NormaliseEmail(email); err != nil {
		return false, err
	}
	if role != store.RoleAdmin && role != store.RoleAuthor {
		return false, model.Errorf(model.EInvalid, "the role must be admin or author, not %q", role)
	}
	a, err := s.Store.AccountByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		hash, err := HashPassword(password)
		if err != nil {
			return false, err
		}
		a = &store.Account{Email: email, PasswordHash: hash, Role: role}
		if err := s.Store.CreateAccount(ctx, a); err != nil {
			if store.IsUniqueViolation(err) {
				return false, model.Errorf(model.EConflict, "an account for %s was added at the same time; run the command again", email)
			}
			return false, err
		}
		created = true
	case err != nil:
		return false, err
	case role == store.RoleAdmin && a.Role != role:
		if err := s.Store.SetAccountRole(ctx, a.ID, role); err != nil {
			return false, err
		}
	}
	return created, s.Store.PutMembership(ctx, s.Store.DB, a.ID, org.ID, role)
}

// dummyHash is verified against when no account has the email, so a login
// for a missing account takes as long as one with a wrong password. It is
// not a hash of anything: hashing at start-up cost every process 19 MiB of
// argon2 memory (and 50 ms) before anyone had logged in.
var dummyHash = unmatchableHash()

// Authenticate checks an email and password, answering ErrWrongCredentials
// for either being wrong, and ErrBusy when no argon2 slot came free before
// ctx ended.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*store.Account, error) {
	a, err := s.Store.AccountByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if errors.Is(err, store.ErrNotFound) {
		if _, err := verifyPassword(ctx, password, dummyHash); errors.Is(err, ErrBusy) {
			return nil, err
		}
		return nil, ErrWrongCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := verifyPassword(ctx, password, a.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("account %d: %w", a.ID, err)
	}
	if !ok {
		return nil, ErrWrongCredentials
	}
	return a, nil
}

// StartSession records a new login and returns the token for its cookie.
// Only the token's SHA-256 is stored.
func (s *Service) StartSession(ctx context.Context, a *store.Account) (token string, expires time.Time, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", time.Time{}, fmt.Errorf("session token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	expires = now.Add(SessionLifetime)
	err = s.Store.CreateSession(ctx, &store.Session{TokenHash: hashToken(token), AccountID: a.ID, CreatedAt: now, ExpiresAt: expires})
	return token, expires, err
}

// Session loads the account of a live session; store.ErrNotFound when the
// token is unknown, ended or expired.
func (s *Service) Session(ctx context.Context, token string) (*Account, error) {
	if token == "" {
		return nil, store.ErrNotFound
	}
	a, err := s.Store.SessionAccount(ctx, hashToken(token), s.now())
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.AccountMemberships(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	acc := &Account{Account: a, Memberships: ms}
	for _, m := range ms {
		acc.Orgs = append(acc.Orgs, m.Org)
	}
	return acc, nil
}

// EndSession logs out: the token stops working at once.
func (s *Service) EndSession(ctx context.Context, token string) error {
	return s.Store.DeleteSession(ctx, hashToken(token))
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
