package delivery

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// testActivity is laid out the way no JSON encoder would (spacing, key
// order, escapes), so any re-encoding on the way shows.
func testActivity(n int) []byte {
	return fmt.Appendf(nil, `{"type": "Create","@context":"https://www.w3.org/ns/activitystreams",
  "id":"http://sender.test/activities/%d", "actor":"http://sender.test/users/hospice",
  "object":{"type":"Note","content":"<p>Caf\u00e9 &amp; crèche</p>","to":["https://www.w3.org/ns/activitystreams#Public"]}}`, n)
}

func TestFanoutSendsOneSignedPostPerDistinctInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		a, b, c, d := newReceiver(t, s), newReceiver(t, s), newReceiver(t, s), newReceiver(t, s)

		// Five followers on A share its inbox; three on B have only their own.
		for i := range 5 {
			addFollower(t, st, s, fmt.Sprintf("a%d", i), a.inbox(fmt.Sprintf("/users/a%d/inbox", i)), a.inbox("/inbox"), model.FollowAccepted)
		}
		for i := range 3 {
			addFollower(t, st, s, fmt.Sprintf("b%d", i), b.inbox(fmt.Sprintf("/users/b%d/inbox", i)), "", model.FollowAccepted)
		}
		addFollower(t, st, s, "c0", c.inbox("/users/c0/inbox"), c.inbox("/inbox"), model.FollowAccepted)
		addFollower(t, st, s, "c1", c.inbox("/users/c1/inbox"), c.inbox("/inbox"), model.FollowAccepted)
		addFollower(t, st, s, "pending", d.inbox("/users/pending/inbox"), "", model.FollowPending)
		addFollower(t, st, s, "noinbox", "", "", model.FollowAccepted)

		activity := testActivity(1)
		// Explicit inboxes: one new, one already a follower's shared inbox, one empty.
		in.enqueue(t, s, activity, true, c.inbox("/users/x/inbox"), a.inbox("/inbox"), "")

		want := map[*receiver][]string{
			a: {"/inbox"},
			b: {"/users/b0/inbox", "/users/b1/inbox", "/users/b2/inbox"},
			c: {"/inbox", "/users/x/inbox"},
			d: nil,
		}
		in.waitDrained(t, 60*time.Second)
		for r, paths := range want {
			counts, bad := r.snapshot()
			if len(bad) > 0 {
				t.Errorf("%s rejected deliveries: %v", r.srv.URL, bad)
			}
			var gotPaths []string
			for p := range counts {
				gotPaths = append(gotPaths, p)
			}
			slices.Sort(gotPaths)
			if !slices.Equal(gotPaths, paths) {
				t.Errorf("%s got posts at %v, want %v", r.srv.URL, gotPaths, paths)
			}
			for _, p := range paths {
				posts := r.got(p)
				if len(posts) != 1 {
					t.Errorf("%s%s got %d posts, want 1", r.srv.URL, p, len(posts))
					continue
				}
				if !bytes.Equal(posts[0].body, activity) {
					t.Errorf("%s%s body changed in transit:\n got %s\nwant %s", r.srv.URL, p, posts[0].body, activity)
				}
			}
		}
	})
}

func TestFailedDeliveriesRetryOrStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		ctx := context.Background()

		t.Run("down then up", func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close() // nothing listens: connections are refused
			in.enqueue(t, s, testActivity(2), false, "http://"+addr+"/inbox")

			eventually(t, 30*time.Second, func() bool {
				rows := in.queued(t)
				return len(rows) == 1 && rows[0].Attempts >= 2
			}, func() string { return fmt.Sprintf("no two failed attempts: %+v", in.queued(t)) })

			r := newUnstartedReceiver(s)
			r.srv.Listener.Close()
			if r.srv.Listener, err = net.Listen("tcp", addr); err != nil {
				t.Skipf("port %s taken meanwhile: %v", addr, err)
			}
			r.srv.Start()
			defer r.srv.Close()

			in.waitDrained(t, 60*time.Second)
			if n := len(r.got("/inbox")); n != 1 {
				t.Fatalf("%d posts after recovery, want 1", n)
			}
			row := &hostRow{Host: addr}
			if err := st.DB.NewSelect().Model(row).WherePK().Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if row.ConsecutiveFailures != 0 || row.LastSuccessAt.IsZero() || row.LastFailureAt.IsZero() {
				t.Errorf("host health after recovery: %+v", row)
			}
		})

		t.Run("503 then accepted", func(t *testing.T) {
			r := newReceiver(t, s)
			r.respond = func(_ string, n int) (int, http.Header) {
				if n <= 2 {
					return http.StatusServiceUnavailable, nil
				}
				return http.StatusAccepted, nil
			}
			in.enqueue(t, s, testActivity(3), false, r.inbox("/inbox"))
			in.waitDrained(t, 60*time.Second)
			if n := len(r.got("/inbox")); n != 3 {
				t.Fatalf("%d posts, want 2 failures and 1 success", n)
			}
		})

		for _, status := range []int{http.StatusNotFound, http.StatusBadRequest, http.StatusGone} {
			t.Run(fmt.Sprintf("%d is not retried", status), func(t *testing.T) {
				r := newReceiver(t, s)
				r.respond = func(string, int) (int, http.Header) { return status, nil }
				in.enqueue(t, s, testActivity(status), false, r.inbox("/inbox"))
				in.waitDrained(t, 60*time.Second)
				time.Sleep(testRetry.Cap) // room for a wrong retry
				if n := len(r.got("/inbox")); n != 1 {
					t.Fatalf("%d posts, want exactly 1", n)
				}
			})
		}

		t.Run("429 waits for Retry-After", func(t *testing.T) {
			r := newReceiver(t, s)
			r.respond = func(_ string, n int) (int, http.Header) {
				if n == 1 {
					return http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}}
				}
				return http.StatusAccepted, nil
			}
			in.enqueue(t, s, testActivity(4), false, r.inbox("/inbox"))
			// While it waits, the delivery has not used up an attempt.
			eventually(t, 30*time.Second, func() bool {
				rows := in.queued(t)
				return len(rows) == 1 && !rows[0].NextAttemptAt.IsZero()
			}, func() string { return "the 429 was not recorded" })
			if rows := in.queued(t); len(rows) == 1 && rows[0].Attempts != 0 {
				t.Errorf("a Retry-After counted as a failed attempt: %+v", rows[0])
			}
			in.waitDrained(t, 60*time.Second)
			posts := r.got("/inbox")
			if len(posts) != 2 {
				t.Fatalf("%d posts, want 2", len(posts))
			}
			// The wait starts after the 429 was read, so this lower bound holds.
			if gap := posts[1].at.Sub(posts[0].at); gap < time.Second {
				t.Errorf("retried %s after the 429, want at least the 1s Retry-After", gap)
			}
		})
	})
}

func TestDeadHostIsSkippedAndItsDeliveriesCancelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		live, dead := newReceiver(t, s), newReceiver(t, s)
		deadHost := dead.srv.Listener.Addr().String()
		row := &hostRow{Host: deadHost, ConsecutiveFailures: 40, DeadUntil: time.Now().Add(time.Hour)}
		if _, err := st.DB.NewInsert().Model(row).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		// The fan-out leaves the dead host out altogether.
		in.enqueue(t, s, testActivity(5), false, live.inbox("/inbox"), dead.inbox("/inbox"))
		in.waitDrained(t, 60*time.Second)
		if n := len(live.got("/inbox")); n != 1 {
			t.Fatalf("live host: %d posts", n)
		}

		// A delivery queued before the host died is dropped unsent. (A
		// drain job, as queued before the dispatcher, wakes it.)
		queueBehindDispatcher(t, st, s, dead.inbox("/users/x/inbox"), testActivity(5))
		if _, err := in.q.Client().Insert(ctx, DrainArgs{Host: deadHost}, nil); err != nil {
			t.Fatal(err)
		}
		in.waitDrained(t, 60*time.Second)

		// So is a delivery job queued before deliveries were ordered.
		args := DeliverArgs{SenderID: s.actor.ID, Inbox: dead.inbox("/users/y/inbox"), Activity: testActivity(5)}
		if _, err := in.q.Client().Insert(ctx, args, nil); err != nil {
			t.Fatal(err)
		}
		if job := newest(in.waitSettled(t, 1)); job.State != rivertype.JobStateCancelled {
			t.Errorf("delivery job to a dead host ended %s, want cancelled", job.State)
		}
		if counts, _ := dead.snapshot(); len(counts) != 0 {
			t.Errorf("dead host received %v", counts)
		}
	})
}

func TestEnqueueRejectsBadInput(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s := newSender(t, st)
	in := startInstance(t, st, instanceOpts{})
	remote := &model.Actor{ID: 99, Username: "remote"}
	cases := map[string]struct {
		sender   *model.Actor
		activity []byte
	}{
		"remote sender": {remote, testActivity(1)},
		"invalid JSON":  {s.actor, []byte(`{"id":`)},
		"invalid UTF-8": {s.actor, []byte("{\"id\":\"\xff\"}")},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tx, err := st.DB.BeginTx(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if err := in.d.EnqueueTx(context.Background(), tx, c.sender, c.activity, true, nil); err == nil {
				t.Error("accepted")
			}
		})
	}
}
