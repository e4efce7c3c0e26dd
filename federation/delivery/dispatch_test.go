package delivery

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// With room for one host at a time, a host that sits on its POST gives up
// its slot once the POST counts as slow, and another host is sent to
// while the first still waits.
func TestSlowHostGivesUpItsSlot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{dispatch: DispatchOptions{MaxHosts: 1, SlowAnswer: 200 * time.Millisecond}})
		slow, fast := newReceiver(t, s), newReceiver(t, s)
		var answered atomic.Bool
		slow.delay = 3 * time.Second
		slow.respond = func(string, int) (int, http.Header) {
			answered.Store(true)
			return http.StatusAccepted, nil
		}
		in.enqueue(t, s, testActivity(1), false, slow.inbox("/inbox"))
		eventually(t, 30*time.Second, func() bool { return len(slow.got("/inbox")) == 1 }, func() string { return "the slow host got nothing" })
		in.enqueue(t, s, testActivity(2), false, fast.inbox("/inbox"))
		eventually(t, 30*time.Second, func() bool { return len(fast.got("/inbox")) == 1 }, func() string { return "the fast host got nothing" })
		if answered.Load() {
			t.Error("the fast host was sent to only after the slow one answered")
		}
		in.waitDrained(t, 30*time.Second)
	})
}

// More hosts than slots: the dispatcher leases more as slots come free,
// and every host gets its delivery once.
func TestMoreHostsThanSlots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{dispatch: DispatchOptions{MaxHosts: 3}})
		var rs []*receiver
		var inboxes []string
		for range 20 {
			r := newReceiver(t, s)
			r.delay = 20 * time.Millisecond
			rs = append(rs, r)
			inboxes = append(inboxes, r.inbox("/inbox"))
		}
		in.enqueue(t, s, testActivity(1), false, inboxes...)
		in.waitDrained(t, 60*time.Second)
		for i, r := range rs {
			counts, bad := r.snapshot()
			if len(bad) > 0 || counts["/inbox"] != 1 {
				t.Errorf("host %d: %v posts, rejected %v", i, counts, bad)
			}
		}
	})
}

func TestPaceSlowsConsistentlySlowHosts(t *testing.T) {
	p := newPace(time.Second)
	const host = "slow.example"
	for i := range slowAfter - 1 {
		if pause := p.observe(host, 2*time.Second); pause != 0 || p.concurrency(host) != perHostConcurrency {
			t.Fatalf("after %d slow batches: pause %s, concurrency %d", i+1, pause, p.concurrency(host))
		}
	}
	if pause := p.observe(host, 2*time.Second); pause != slowPause || p.concurrency(host) != 1 {
		t.Fatalf("consistently slow: pause %s, concurrency %d; want %s and 1", pause, p.concurrency(host), slowPause)
	}
	if pause := p.observe(host, 2*time.Second); pause != 2*slowPause {
		t.Errorf("still slow: pause %s, want %s", pause, 2*slowPause)
	}
	for range 100 {
		p.observe(host, time.Hour)
	}
	if pause := p.observe(host, time.Hour); pause != maxSlowPause {
		t.Errorf("pause %s, want the cap %s", pause, maxSlowPause)
	}
	if pause := p.observe(host, 10*time.Millisecond); pause != 0 || p.concurrency(host) != perHostConcurrency {
		t.Errorf("after a quick batch: pause %s, concurrency %d", pause, p.concurrency(host))
	}
	if pause := p.observe("other.example", 2*time.Second); pause != 0 {
		t.Errorf("one slow batch of another host paused it %s", pause)
	}
}

// Queued activities are stored once, and deleted once all their
// deliveries are done.
func TestActivityStoredOnceAndSwept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		r := newReceiver(t, s)
		var inboxes []string
		for i := range 10 {
			inboxes = append(inboxes, r.inbox(fmt.Sprintf("/users/u%d/inbox", i)))
		}
		r.delay = 300 * time.Millisecond
		in.enqueue(t, s, testActivity(1), false, inboxes...)
		n, err := st.DB.NewSelect().Model((*outboxActivity)(nil)).Count(t.Context())
		if err != nil || n != 1 {
			t.Fatalf("%d activities stored for 10 deliveries (%v), want 1", n, err)
		}
		in.waitDrained(t, 60*time.Second)
		if err := in.d.disp.sweep(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n, err := st.DB.NewSelect().Model((*outboxActivity)(nil)).Count(t.Context()); err != nil || n != 0 {
			t.Errorf("%d activities left after every delivery was done (%v)", n, err)
		}
	})
}
