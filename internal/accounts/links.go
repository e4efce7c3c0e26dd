package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Validity is how long an invitation or reset link works.
type Validity time.Duration

// Validities are the choices offered: long enough for an email to be read
// after a weekend, short enough that a forgotten link goes stale.
var Validities = []Validity{Validity(24 * time.Hour), Validity(3 * 24 * time.Hour), Validity(7 * 24 * time.Hour), Validity(14 * 24 * time.Hour)}

// DefaultValidity is the choice preselected.
const DefaultValidity = Validity(7 * 24 * time.Hour)

// ParseValidity reads a number of days, refusing anything outside 1 to 30.
func ParseValidity(days int) (Validity, error) {
	if days < 1 || days > 30 {
		return 0, model.Errorf(model.EInvalid, "a link can last from 1 to 30 days, not %d", days)
	}
	return Validity(time.Duration(days) * 24 * time.Hour), nil
}

// Days is the validity in whole days.
func (v Validity) Days() int { return int(time.Duration(v) / (24 * time.Hour)) }

// Link is a new one-time link's token, shown once: only its hash is kept.
type Link struct {
	Token   string
	Email   string
	Purpose string // store.LinkInvite or store.LinkReset
	Expires time.Time
}

// Path is where the link opens on this site.
func (l *Link) Path() string { return "/invite/" + l.Token }

func (s *Service) newLink(ctx context.Context, tx bun.Tx, a *store.Account, purpose string, ttl Validity) (*Link, error) {
	if ttl <= 0 {
		ttl = DefaultValidity
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("link token: %w", err)
	}
	now := s.now()
	l := &Link{Token: base64.RawURLEncoding.EncodeToString(b), Email: a.Email, Purpose: purpose, Expires: now.Add(time.Duration(ttl))}
	err := s.Store.ReplacePasswordLink(ctx, tx, &store.PasswordLink{TokenHash: hashToken(l.Token), AccountID: a.ID,
		Purpose: purpose, CreatedAt: now, ExpiresAt: l.Expires})
	return l, err
}

// The answers for a link that cannot be used, each saying what to do.
var (
	ErrLinkUnknown = model.Errorf(model.ENotFound, "this link is not valid: it may have been mistyped, or replaced by a newer link. Ask an admin of your organisation for a new one")
	ErrLinkUsed    = model.Errorf(model.EConflict, "this link has already been used. Log in with the password you set, or ask an admin of your organisation for a new link")
	ErrLinkExpired = model.Errorf(model.EInvalid, "this link has expired. Ask an admin of your organisation for a new one")
)

// OpenLink checks a link before its form is shown.
func (s *Service) OpenLink(ctx context.Context, token string) (*Link, error) {
	l, err := s.Store.PasswordLinkByHash(ctx, s.Store.DB, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrLinkUnknown
	}
	if err != nil {
		return nil, err
	}
	if err := s.linkUsable(l); err != nil {
		return nil, err
	}
	a, err := s.Store.AccountByID(ctx, l.AccountID)
	if err != nil {
		return nil, err
	}
	return &Link{Token: token, Email: a.Email, Purpose: l.Purpose, Expires: l.ExpiresAt}, nil
}

func (s *Service) linkUsable(l *store.PasswordLink) error {
	switch {
	case !l.UsedAt.IsZero():
		return ErrLinkUsed
	case !s.now().Before(l.ExpiresAt):
		return ErrLinkExpired
	}
	return nil
}

// UseLink sets the password of the link's account and uses the link up. Any
// logins the account still had end, so a reset shuts out whoever had them.
func (s *Service) UseLink(ctx context.Context, token, password string) (*store.Account, error) {
	if _, err := s.OpenLink(ctx, token); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	var a *store.Account
	err = s.Store.InTx(ctx, func(tx bun.Tx) error {
		l, err := s.Store.PasswordLinkByHash(ctx, tx, hashToken(token))
		if errors.Is(err, store.ErrNotFound) {
			return ErrLinkUnknown // replaced while the password was hashed
		}
		if err != nil {
			return err
		}
		if ok, err := s.Store.UsePasswordLink(ctx, tx, l.TokenHash, s.now()); err != nil || !ok {
			if err == nil {
				err = s.linkUsable(l)
			}
			if err == nil {
				err = ErrLinkUsed
			}
			return err
		}
		if err := s.Store.SetPasswordHash(ctx, tx, l.AccountID, hash); err != nil {
			return err
		}
		if err := s.Store.DeleteAccountSessions(ctx, tx, l.AccountID); err != nil {
			return err
		}
		a = new(store.Account)
		return tx.NewSelect().Model(a).Where("id = ?", l.AccountID).Scan(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("use password link: %w", err)
	}
	return a, nil
}
