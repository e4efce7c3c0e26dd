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
// the lease, so only StillPendingInboxActivities tells it that what it
// read was applied meanwhile.
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
		pending, err := s.StillPendingInboxActivities(ctx, []int64{read[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		if pending[read[0].ID] {
			t.Errorf("activity %d reported pending after p1 applied it", read[0].ID)
		}
		// One recorded later, still unapplied, is reported pending.
		later := inboxRow(a, "2")
		recordBatch(t, s, later)
		if pending, err = s.StillPendingInboxActivities(ctx, []int64{read[0].ID, later.ID}); err != nil || len(pending) != 1 || !pending[later.ID] {
			t.Errorf("pending %v (%v), want only %d", pending, err, later.ID)
		}
	})
}
