package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Deliveries recorded at the same moment share commits, and each still
// learns its own outcome: every activity is recorded once however many
// copies arrive together, exactly one copy of each is told it was new, an
// ignored type is recorded processed without its body, and each new one
// applied here is handed to the applier already parsed.
func TestGroupCommitRecordsEachActivityOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newApplyWorld(t, st, 4)
		s := w.server()
		const activities, copies = 60, 3
		var fresh [activities]atomic.Int32
		var wg sync.WaitGroup
		for c := range copies {
			for i := range activities {
				wg.Go(func() {
					doc := noteActivity(w.actors[i%len(w.actors)], "Create", i, 0)
					if i%10 == 0 {
						doc["type"] = "Add" // not applied: recorded without its body
					}
					body, err := json.Marshal(doc)
					if err != nil {
						t.Error(err)
						return
					}
					act, err := vocab.ParseActivity(body)
					if err != nil {
						t.Error(err)
						return
					}
					var dup bool
					if err := s.record(context.Background(), act, body, &dup); err != nil {
						t.Errorf("copy %d of %d: %v", c, i, err)
					}
					if !dup {
						fresh[i].Add(1)
					}
				})
			}
		}
		wg.Wait()
		for i := range fresh {
			if n := fresh[i].Load(); n != 1 {
				t.Errorf("activity %d: %d copies were told they were new, want 1", i, n)
			}
		}
		if n, err := st.CountInboxActivities(context.Background()); err != nil || n != activities {
			t.Fatalf("%d records (%v), want %d", n, err, activities)
		}
		pending, err := st.ScanInboxActivities(context.Background(), "test", 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != activities-activities/10 {
			t.Errorf("%d pending, want %d (the Adds are recorded processed)", len(pending), activities-activities/10)
		}
		for _, p := range pending {
			if _, ok := s.parsed().take(p.ID); !ok {
				t.Errorf("record %d (%s) was not handed over parsed", p.ID, p.Type)
			}
		}
		add, err := st.InboxActivityByIRI(context.Background(), fmt.Sprintf("%s/statuses/0/activity/create/0", w.actors[0]))
		if err != nil {
			t.Fatal(err)
		}
		if add.Type != "Add" || add.Raw != "" || add.ProcessedAt.IsZero() {
			t.Errorf("ignored Add recorded as %+v", add)
		}
	})
}
