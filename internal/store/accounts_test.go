package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestAccountsAndMemberships(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		trust, hospice := localOrg("trust"), localOrg("hospice")
		if err := s.CreateActor(ctx, trust); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateActor(ctx, hospice); err != nil {
			t.Fatal(err)
		}
		a := &store.Account{Email: "risk@trust.example", PasswordHash: "$argon2id$x", Role: store.RoleAuthor}
		if err := s.CreateAccount(ctx, a); err != nil || a.ID == 0 {
			t.Fatalf("create: %v %d", err, a.ID)
		}
		if err := s.CreateAccount(ctx, &store.Account{Email: "risk@trust.example", PasswordHash: "x", Role: store.RoleAdmin}); !store.IsUniqueViolation(err) {
			t.Errorf("duplicate email: %v", err)
		}
		if err := s.CreateAccount(ctx, &store.Account{Email: "x@y.example", PasswordHash: "x", Role: "owner"}); err == nil {
			t.Error("a role outside admin|author was stored")
		}
		for _, id := range []int64{trust.ID, hospice.ID, trust.ID} {
			if err := s.AddAccountOrg(ctx, a.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		orgs, err := s.AccountOrgs(ctx, a.ID)
		if err != nil || len(orgs) != 2 || orgs[0].Username != "trust" || orgs[1].Username != "hospice" {
			t.Fatalf("orgs = %v, %v", orgs, err)
		}
		if err := s.SetAccountRole(ctx, a.ID, store.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		got, err := s.AccountByEmail(ctx, "risk@trust.example")
		if err != nil || got.ID != a.ID || got.Role != store.RoleAdmin || got.PasswordHash != a.PasswordHash {
			t.Fatalf("by email: %+v, %v", got, err)
		}
		if _, err := s.AccountByEmail(ctx, "nobody@trust.example"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing account: %v", err)
		}
	})
}

func TestSessionsExpireAndEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := &store.Account{Email: "a@b.example", PasswordHash: "h", Role: store.RoleAuthor}
		if err := s.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		live := &store.Session{TokenHash: "live", AccountID: a.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		old := &store.Session{TokenHash: "old", AccountID: a.ID, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
		stale := &store.Session{TokenHash: "stale", AccountID: a.ID, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Minute)}
		for _, sess := range []*store.Session{live, old, stale} {
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.SessionAccount(ctx, "live", now); err != nil || got.ID != a.ID {
			t.Fatalf("live session: %v, %v", got, err)
		}
		if _, err := s.SessionAccount(ctx, "old", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session: %v", err)
		}
		if _, err := s.SessionAccount(ctx, "live", now.Add(time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session at its expiry: %v", err)
		}
		if err := s.CreateSession(ctx, &store.Session{TokenHash: "live", AccountID: a.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DeleteExpiredSessions(ctx, now); err != nil || n != 1 {
			t.Errorf("delete expired: %d, %v (the stale one only)", n, err)
		}
		if err := s.DeleteSession(ctx, "live"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionAccount(ctx, "live", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ended session: %v", err)
		}
		if err := s.DeleteSession(ctx, "live"); err != nil {
			t.Errorf("ending twice: %v", err)
		}
	})
}
