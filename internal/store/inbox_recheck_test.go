package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// p2 reads an actor's activities while nobody holds the actor; p1 then
// leases, applies and lets go of it before p2 asks for the lease. p2 gets
// the lease, so only PendingInboxActivitiesOf tells it that what it read
// was applied meanwhile; and that read may have begun past activities of
// the actor still pending, which come first.
func TestInboxLeaseAfterAnotherHolderFinished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const a = "https://r.example/users/a"
		recordBatch(t, s, inboxRow(a, "1"))
		read, err := s.ScanInboxActivities(ctx, "p2", 0, 10)
		if err != nil || len(read) != 1 {
			t.Fatalf("p2 read %+v (%v)", read, err)
		}
		rows := scanAndLease(t, s, "p1", 0, time.Minute)
		if len(rows) != 1 {
			t.Fatalf("p1 leased %+v", rows)
		}
		if err := s.FinishInboxActivities(ctx, "p1", store.InboxFinish{Release: []string{a},
			Done: []store.InboxOutcome{{ID: rows[0].ID, Outcome: "applied: follow accepted"}}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.LeaseInboxActors(ctx, "p2", []string{a}, time.Minute)
		if err != nil || fmt.Sprint(got) != "["+a+"]" {
			t.Fatalf("p2 leased %v (%v), want the free actor", got, err)
		}
		pending, err := s.PendingInboxActivitiesOf(ctx, []string{a}, read[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 0 {
			t.Errorf("activities %+v reported pending after p1 applied them", pending)
		}
		// Ones recorded later, still unapplied, are reported pending, in id
		// order, up to the id asked for.
		later, last := inboxRow(a, "2"), inboxRow(a, "3")
		recordBatch(t, s, later)
		recordBatch(t, s, last)
		if pending, err = s.PendingInboxActivitiesOf(ctx, []string{a, "https://r.example/users/other"}, last.ID); err != nil ||
			len(pending) != 2 || pending[0].ID != later.ID || pending[1].ID != last.ID {
			t.Errorf("pending %+v (%v), want %d then %d", pending, err, later.ID, last.ID)
		}
		if pending, err = s.PendingInboxActivitiesOf(ctx, []string{a}, later.ID); err != nil || len(pending) != 1 {
			t.Errorf("pending through %d: %+v (%v), want only %d", later.ID, pending, err, later.ID)
		}
	})
}
