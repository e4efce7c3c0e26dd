package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A draft is its account's alone: another account cannot read or overwrite
// it, a saved draft keeps no expiry, and a kept one disappears when due.
func TestDraftsBelongToTheirAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		risk := &store.Account{Email: "risk@trust.example", PasswordHash: "x", Role: store.RoleAuthor}
		other := &store.Account{Email: "other@trust.example", PasswordHash: "x", Role: store.RoleAuthor}
		for _, a := range []*store.Account{risk, other} {
			if err := s.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now()
		kept := &store.Draft{Token: "kept", AccountID: risk.ID, Fields: `{"Body":"first"}`, ExpiresAt: now.Add(time.Hour)}
		if err := s.PutDraft(ctx, kept); err != nil {
			t.Fatal(err)
		}
		if err := s.PutDraft(ctx, &store.Draft{Token: "kept", AccountID: other.ID, Fields: `{"Body":"hijack"}`}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another account overwrote a draft: %v", err)
		}
		if _, err := s.DraftOf(ctx, other.ID, "kept", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another account read a draft: %v", err)
		}
		// Saving it (no expiry) takes it off the clock; a later rescue of
		// the same form does not put it back on.
		if err := s.PutDraft(ctx, &store.Draft{Token: "kept", AccountID: risk.ID, Fields: `{"Body":"second"}`}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutDraft(ctx, &store.Draft{Token: "kept", AccountID: risk.ID, Fields: `{"Body":"third"}`, ExpiresAt: now.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		d, err := s.DraftOf(ctx, risk.ID, "kept", now.Add(2*time.Hour))
		if err != nil || d.Fields != `{"Body":"third"}` || !d.ExpiresAt.IsZero() {
			t.Fatalf("draft = %+v, %v", d, err)
		}

		if err := s.PutDraft(ctx, &store.Draft{Token: "brief", AccountID: risk.ID, Fields: `{}`, ExpiresAt: now.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if ds, err := s.DraftsOf(ctx, risk.ID, now, 10); err != nil || len(ds) != 2 {
			t.Fatalf("drafts = %v, %v", ds, err)
		}
		if ds, _ := s.DraftsOf(ctx, risk.ID, now.Add(2*time.Minute), 10); len(ds) != 1 {
			t.Errorf("an expired draft is listed: %d drafts", len(ds))
		}
		if n, err := s.DeleteExpiredDrafts(ctx, now.Add(2*time.Minute)); err != nil || n != 1 {
			t.Errorf("deleted %d expired drafts: %v", n, err)
		}
		if err := s.DeleteDraft(ctx, risk.ID, "kept"); err != nil {
			t.Fatal(err)
		}
		if ds, _ := s.DraftsOf(ctx, risk.ID, now, 10); len(ds) != 0 {
			t.Errorf("%d drafts left", len(ds))
		}
	})
}

// A scheduled post is taken once, and only when due.
func TestScheduledPostIsTakenOnceWhenDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("trust")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
		sp := &store.ScheduledPost{Token: "sched", OrgID: org.ID, PublishAt: at, Draft: `{}`}
		if err := s.InsertScheduledPost(ctx, s.DB, sp); err != nil {
			t.Fatal(err)
		}
		take := func(now time.Time) error {
			return s.InTx(ctx, func(tx bun.Tx) error {
				got, err := s.TakeDueScheduledPost(ctx, tx, sp.ID, now)
				if err == nil && (got.Org == nil || got.Org.Username != "trust") {
					t.Errorf("taken without its organisation: %+v", got)
				}
				return err
			})
		}
		if err := take(at.Add(-time.Second)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("taken early: %v", err)
		}
		if list, err := s.ScheduledPostsOf(ctx, []int64{org.ID}, 10); err != nil || len(list) != 1 || !list[0].PublishAt.Equal(at) {
			t.Fatalf("scheduled = %v, %v", list, err)
		}
		if err := take(at); err != nil {
			t.Fatalf("take when due: %v", err)
		}
		if err := take(at.Add(time.Minute)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("taken twice: %v", err)
		}
		if ok, err := s.DeleteScheduledPost(ctx, "sched"); ok || err != nil {
			t.Errorf("cancelled after publishing: %v %v", ok, err)
		}
	})
}
