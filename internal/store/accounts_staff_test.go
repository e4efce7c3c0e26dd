package store_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
	"github.com/commonplace-social/commonplace/migrations"
)

// The migration to per-organisation roles gives each membership the
// account's old global role: admins stay admins of their organisations (and
// only those), authors stay authors.
func TestStaffRolesMigrationKeepsEachAccountsRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		files := migrations.SQLite()
		if s.Dialect == store.Postgres {
			files = migrations.Postgres()
		}
		up, err := fs.ReadFile(files, "20261220000300_staff_roles.tx.up.sql")
		if err != nil {
			t.Fatal(err)
		}
		update := strings.Split(string(up), "--bun:split")[1]
		trust, hospice := localOrg("trust"), localOrg("hospice")
		for _, o := range []any{trust, hospice} {
			if _, err := s.DB.NewInsert().Model(o).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		admin := &store.Account{Email: "admin@trust.example", PasswordHash: "h", Role: store.RoleAdmin}
		author := &store.Account{Email: "author@trust.example", PasswordHash: "h", Role: store.RoleAuthor}
		for _, a := range []*store.Account{admin, author} {
			if err := s.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
			// As memberships were before the migration: no role of their own.
			if err := s.AddAccountOrg(ctx, a.ID, trust.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddAccountOrg(ctx, admin.ID, hospice.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ExecContext(ctx, update); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			account *store.Account
			org     int64
			want    string
		}{{admin, trust.ID, store.RoleAdmin}, {admin, hospice.ID, store.RoleAdmin}, {author, trust.ID, store.RoleAuthor}} {
			if got, err := s.MembershipRole(ctx, s.DB, c.account.ID, c.org); err != nil || got != c.want {
				t.Errorf("%s in %d: %q %v, want %q", c.account.Email, c.org, got, err, c.want)
			}
		}
		if _, err := s.MembershipRole(ctx, s.DB, author.ID, hospice.ID); err == nil {
			t.Error("the migration made the author a member of an organisation it did not write for")
		}
		// It rolls back and applies again on the same data.
		down, err := fs.ReadFile(files, "20261220000300_staff_roles.tx.down.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range append(strings.Split(string(down), "--bun:split"), strings.Split(string(up), "--bun:split")...) {
			if _, err := s.DB.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if got, err := s.MembershipRole(ctx, s.DB, admin.ID, hospice.ID); err != nil || got != store.RoleAdmin {
			t.Errorf("after down and up again: %q %v", got, err)
		}
	})
}

// Staff lists an organisation's people, admins first, with their pending
// invitations; a link is used once and not after it expires.
func TestStaffAndPasswordLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("trust")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		var ids []int64
		for _, email := range []string{"b@trust.example", "a@trust.example", "z@trust.example"} {
			a := &store.Account{Email: email, PasswordHash: "h", Role: store.RoleAuthor}
			if err := s.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		for i, role := range []string{store.RoleAuthor, store.RoleAuthor, store.RoleAdmin} {
			if err := s.PutMembership(ctx, s.DB, ids[i], org.ID, role); err != nil {
				t.Fatal(err)
			}
		}
		err := s.InTx(ctx, func(tx bun.Tx) error {
			return s.ReplacePasswordLink(ctx, tx, &store.PasswordLink{TokenHash: "old", AccountID: ids[0], Purpose: store.LinkInvite, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = s.InTx(ctx, func(tx bun.Tx) error {
			return s.ReplacePasswordLink(ctx, tx, &store.PasswordLink{TokenHash: "new", AccountID: ids[0], Purpose: store.LinkInvite, CreatedAt: now, ExpiresAt: now.Add(2 * time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}
		staff, err := s.Staff(ctx, org.ID)
		if err != nil || len(staff) != 3 {
			t.Fatalf("staff: %+v %v", staff, err)
		}
		if staff[0].Email != "z@trust.example" || staff[1].Email != "a@trust.example" || staff[2].Email != "b@trust.example" {
			t.Errorf("order: %s, %s, %s", staff[0].Email, staff[1].Email, staff[2].Email)
		}
		if !staff[2].Invited || staff[2].InviteExpires.Sub(now.Add(2*time.Hour)).Abs() > time.Second || staff[1].Invited {
			t.Errorf("invitations: %+v", staff)
		}
		if _, err := s.PasswordLinkByHash(ctx, s.DB, "old"); err == nil {
			t.Error("the replaced link still exists")
		}
		if ok, err := s.UsePasswordLink(ctx, s.DB, "new", now.Add(3*time.Hour)); ok || err != nil {
			t.Errorf("an expired link was used: %v %v", ok, err)
		}
		if ok, err := s.UsePasswordLink(ctx, s.DB, "new", now); !ok || err != nil {
			t.Errorf("using the link: %v %v", ok, err)
		}
		if ok, _ := s.UsePasswordLink(ctx, s.DB, "new", now); ok {
			t.Error("the link was used twice")
		}
		if staff, _ = s.Staff(ctx, org.ID); staff[2].Invited {
			t.Error("an accepted invitation is still pending")
		}
	})
}
