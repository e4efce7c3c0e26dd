package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func inboxRow(actor, name string) *model.InboxActivity {
	return &model.InboxActivity{ActivityIRI: actor + "/activities/" + name, Type: "Create", ActorIRI: actor,
		Raw: `{"name":"` + name + `"}`}
}

func recordBatch(t *testing.T, s *store.Store, rows ...*model.InboxActivity) []bool {
	t.Helper()
	var got []bool
	err := s.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		got, err = s.RecordInboxActivities(ctx, tx, rows)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A batch inserts each new id once, in the order given, and reports the
// ids already recorded, or repeated within the batch, as not inserted:
// inside the caller's transaction, or as the group commit records it
// (RecordInboxBatch, one statement on PostgreSQL).
func TestRecordInboxActivitiesBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ways := []struct {
			actor  string
			record func(rows ...*model.InboxActivity) []bool
		}{
			{"https://r.example/users/a", func(rows ...*model.InboxActivity) []bool { return recordBatch(t, s, rows...) }},
			{"https://r.example/users/b", func(rows ...*model.InboxActivity) []bool {
				got, err := s.RecordInboxBatch(ctx, rows)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}},
		}
		for n, way := range ways {
			a := way.actor
			if got := way.record(inboxRow(a, "1")); !got[0] {
				t.Fatal("the first record was not inserted")
			}
			rows := []*model.InboxActivity{inboxRow(a, "2"), inboxRow(a, "1"), inboxRow(a, "3"), inboxRow(a, "2")}
			got := way.record(rows...)
			if fmt.Sprint(got) != "[true false true false]" {
				t.Errorf("%s: inserted = %v, want [true false true false]", a, got)
			}
			if rows[0].ID == 0 || rows[2].ID <= rows[0].ID {
				t.Errorf("%s: ids %d and %d: want both set, in batch order", a, rows[0].ID, rows[2].ID)
			}
			stored, err := s.InboxActivity(ctx, rows[2].ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.ActivityIRI != rows[2].ActivityIRI || stored.Raw != rows[2].Raw || stored.ReceivedAt.IsZero() {
				t.Errorf("stored %+v", stored)
			}
			if c, err := s.CountInboxActivities(ctx); err != nil || c != 3*(n+1) {
				t.Errorf("%d rows (%v), want %d", c, err, 3*(n+1))
			}
		}
	})
}

// scanAndLease is one step of an applier: read what is pending after a
// point, and lease the actors found; it returns the leased actors' rows.
func scanAndLease(t *testing.T, s *store.Store, holder string, after int64, ttl time.Duration) []store.PendingActivity {
	t.Helper()
	rows, err := s.ScanInboxActivities(ctx, holder, after, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for _, r := range rows {
		actors = append(actors, r.ActorIRI)
	}
	leased, err := s.LeaseInboxActors(ctx, holder, actors, ttl)
	if err != nil {
		t.Fatal(err)
	}
	var mine []store.PendingActivity
	for _, r := range rows {
		if slices.Contains(leased, r.ActorIRI) {
			mine = append(mine, r)
		}
	}
	return mine
}

// One holder's lease keeps an actor's activities from every other holder
// until it lets go; outcomes are recorded in one write, bodies dropped.
func TestInboxLeasesKeepActorsToOneHolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const a, b = "https://r.example/users/a", "https://s.example/users/b"
		recordBatch(t, s, inboxRow(a, "1"), inboxRow(b, "1"), inboxRow(a, "2"))
		if got, err := s.LeaseInboxActors(ctx, "p1", []string{a}, time.Minute); err != nil || fmt.Sprint(got) != "["+a+"]" {
			t.Fatalf("p1 leased %v (%v)", got, err)
		}
		rows := scanAndLease(t, s, "p1", 0, time.Minute)
		if len(rows) != 3 {
			t.Fatalf("p1 holds %d activities, want all 3: %+v", len(rows), rows)
		}
		// p2 does not see a's activities, and takes b's.
		rows2 := scanAndLease(t, s, "p2", 0, time.Minute)
		if len(rows2) != 0 {
			t.Fatalf("p2 leased %+v while p1 holds both actors", rows2)
		}
		if got, err := s.LeaseInboxActors(ctx, "p2", []string{b, a}, time.Minute); err != nil || len(got) != 0 {
			t.Fatalf("p2 leased %v (%v) while p1 holds them", got, err)
		}
		// p2 may not let go of p1's lease.
		if err := s.FinishInboxActivities(ctx, "p2", store.InboxFinish{Release: []string{a}}); err != nil {
			t.Fatal(err)
		}
		if got := scanAndLease(t, s, "p3", 0, time.Minute); len(got) != 0 {
			t.Fatalf("p3 leased %+v after p2 released p1's lease", got)
		}
		third := inboxRow(a, "3")
		recordBatch(t, s, third)
		err := s.FinishInboxActivities(ctx, "p1", store.InboxFinish{Release: []string{a},
			Done: []store.InboxOutcome{{ID: rows[0].ID, Outcome: "applied: one"}, {ID: rows[2].ID, Outcome: "ignored: two"}}})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range map[int]string{0: "applied: one", 2: "ignored: two"} {
			got, err := s.InboxActivity(ctx, rows[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != want || got.Raw != "" || got.ProcessedAt.IsZero() {
				t.Errorf("row %d: outcome %q raw %q processed %v", i, got.Outcome, got.Raw, got.ProcessedAt)
			}
		}
		// p1 still holds b; a is free, with only its third activity left.
		got := scanAndLease(t, s, "p3", 0, time.Minute)
		if len(got) != 1 || got[0].ID != third.ID {
			t.Fatalf("after p1 let go of a, p3 leased %+v, want only a's third", got)
		}
		if n, err := s.CountPendingInboxActivities(ctx); err != nil || n != 2 {
			t.Errorf("%d pending (%v), want 2", n, err)
		}
	})
}

// A postponed activity holds its actor, with nobody holding the lease,
// until it is due; a lease left by a holder that stopped renewing it is
// taken over once it expires.
func TestInboxLeaseHoldsAndExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const a = "https://r.example/users/a"
		recordBatch(t, s, inboxRow(a, "1"), inboxRow(a, "2"))
		rows := scanAndLease(t, s, "p1", 0, time.Minute)
		if len(rows) != 2 {
			t.Fatalf("leased %d, want 2", len(rows))
		}
		due := time.Now().Add(300 * time.Millisecond)
		err := s.FinishInboxActivities(ctx, "p1", store.InboxFinish{
			Postponed: []store.InboxPostponement{{ID: rows[0].ID, ActorIRI: a, Attempts: 1, Next: due}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"p1", "p2"} {
			if got := scanAndLease(t, s, h, 0, time.Minute); len(got) != 0 {
				t.Fatalf("%s leased %d activities of an actor held for a retry", h, len(got))
			}
		}
		time.Sleep(time.Until(due) + 50*time.Millisecond)
		got := scanAndLease(t, s, "p2", 0, 200*time.Millisecond)
		if len(got) != 2 || got[0].ID != rows[0].ID || got[0].Attempts != 1 || got[0].NextAttemptAt.IsZero() {
			t.Fatalf("after the retry came due, leased %+v", got)
		}
		if again := scanAndLease(t, s, "p3", 0, time.Minute); len(again) != 0 {
			t.Fatalf("p3 leased %d while p2's lease is live", len(again))
		}
		// p2 renews nothing, as a crashed process would; its lease expires.
		time.Sleep(300 * time.Millisecond)
		if again := scanAndLease(t, s, "p3", 0, time.Minute); len(again) != 2 {
			t.Fatalf("p3 leased %d after p2's lease expired, want 2", len(again))
		}
		if err := s.RenewInboxLeases(ctx, "p3", []string{a}, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.ReleaseInboxLeases(ctx, "p3"); err != nil {
			t.Fatal(err)
		}
		if again := scanAndLease(t, s, "p4", rows[0].ID, time.Minute); len(again) != 1 || again[0].ID != rows[1].ID {
			t.Fatalf("p4 scanning after the first activity, once p3 let go, leased %+v", again)
		}
	})
}
