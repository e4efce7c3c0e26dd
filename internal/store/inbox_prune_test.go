package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Marking an activity processed drops its body in the same statement.
func TestFinishingInboxActivityClearsBody(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := &model.InboxActivity{ActivityIRI: "https://r.example/users/u/likes/1", Type: "Like",
			ActorIRI: "https://r.example/users/u", Raw: `{"type":"Like"}`}
		if _, err := s.RecordInboxActivity(ctx, s.DB, a); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishInboxActivities(ctx, "p1", store.InboxFinish{Done: []store.InboxOutcome{{ID: a.ID, Outcome: "applied: liked"}}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.InboxActivity(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Raw != "" || got.Outcome != "applied: liked" || got.ProcessedAt.IsZero() {
			t.Errorf("after marking: raw %q outcome %q processed %v", got.Raw, got.Outcome, got.ProcessedAt)
		}
	})
}

// Pruning removes processed rows older than the cutoff, a batch at a time,
// and keeps newer ones and every unprocessed one, however old.
func TestPruneInboxActivities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Now().UTC()
		old, recent := now.Add(-20*24*time.Hour), now.Add(-24*time.Hour)
		add := func(name string, received, processed time.Time) {
			a := &model.InboxActivity{ActivityIRI: "https://r.example/users/u/" + name, Type: "Like",
				ActorIRI: "https://r.example/users/u", ReceivedAt: received, ProcessedAt: processed}
			if _, err := s.RecordInboxActivity(ctx, s.DB, a); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 5 {
			add(fmt.Sprintf("old-%d", i), old, old)
		}
		add("recent", recent, recent)
		add("old-unprocessed", old, time.Time{})
		add("received-old-processed-recently", old, recent)

		cutoff := now.Add(-14 * 24 * time.Hour)
		var batches []int
		for {
			n, err := s.PruneInboxActivities(ctx, cutoff, 2)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			batches = append(batches, n)
			if len(batches) > 10 {
				t.Fatal("pruning does not end")
			}
		}
		if fmt.Sprint(batches) != "[2 2 1]" {
			t.Errorf("batches deleted %v, want [2 2 1]", batches)
		}
		for _, name := range []string{"recent", "old-unprocessed", "received-old-processed-recently"} {
			if _, err := s.InboxActivityByIRI(ctx, "https://r.example/users/u/"+name); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if n, err := s.CountInboxActivities(ctx); err != nil || n != 3 {
			t.Errorf("%d rows left (%v), want 3", n, err)
		}
	})
}
