package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func openStore(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestCrashMidDeliveryLosesNothing kills a sending process in the middle
// of a fan-out and starts another on the same database: every inbox must
// still get the activity. The crash is as abrupt as one process allows:
// its database handle is closed, so nothing it does afterwards is recorded
// (jobs it was working stay "running"), and its queue is hard-stopped
// without waiting. The new process takes those jobs over once they have
// been running for RescueStuckAfter, and the hosts the dead process was
// sending to once its leases on them run out (LeaseTTL).
func TestCrashMidDeliveryLosesNothing(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			url := storetest.URL(t, dialect)
			before := openStore(t, url)
			s := newSender(t, before)

			const servers, perServer = 4, 50
			var receivers []*receiver
			total := func() (posts, inboxes int) {
				for _, r := range receivers {
					counts, bad := r.snapshot()
					if len(bad) > 0 {
						t.Fatalf("rejected deliveries: %v", bad)
					}
					for _, n := range counts {
						posts += n
						inboxes++
					}
				}
				return posts, inboxes
			}
			for i := range servers {
				r := newReceiver(t, s)
				r.delay = 200 * time.Millisecond // slow enough to crash mid-way
				receivers = append(receivers, r)
				for j := range perServer {
					addFollower(t, before, s, fmt.Sprintf("s%du%d", i, j), r.inbox(fmt.Sprintf("/users/u%d/inbox", j)), "", model.FollowAccepted)
				}
			}

			startCtx, crash := context.WithCancel(context.Background())
			quiet := slog.New(slog.DiscardHandler) // the dead process's complaints
			lease := DispatchOptions{LeaseTTL: 3 * time.Second}
			first := startInstance(t, before, instanceOpts{log: quiet, startCtx: startCtx, noCleanup: true, dispatch: lease})
			first.enqueue(t, s, testActivity(1), true)
			eventually(t, 60*time.Second, func() bool { _, n := total(); return n >= servers*perServer/5 },
				func() string { return "fan-out did not get under way" })

			before.DB.Close()
			gone, cut := context.WithCancel(context.Background())
			cut()
			go first.d.Stop(gone) // POSTs in flight are cut short, as by a kill
			crash()
			postsAtCrash, inboxesAtCrash := total()

			after := openStore(t, url)
			t.Cleanup(func() { after.Close() })
			second := startInstance(t, after, instanceOpts{jobTimeout: 2 * time.Second, rescueStuckAfter: 3 * time.Second, dispatch: lease})
			eventually(t, 120*time.Second, func() bool { _, n := total(); return n == servers*perServer },
				func() string {
					_, n := total()
					return fmt.Sprintf("%d of %d inboxes reached, %d deliveries queued", n, servers*perServer, len(second.queued(t)))
				})
			second.waitDrained(t, 60*time.Second)
			posts, inboxes := total()
			t.Logf("%s: crash after %d posts to %d inboxes; all %d inboxes reached with %d posts: %d duplicates",
				dialect, postsAtCrash, inboxesAtCrash, inboxes, posts, posts-inboxes)
		})
	}
}
