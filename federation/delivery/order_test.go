package delivery

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// verbActivity is a small activity naming its verb and post.
func verbActivity(verb string, post int) []byte {
	return fmt.Appendf(nil, `{"type":%q,"id":"http://sender.test/activities/%s-%d","actor":"http://sender.test/users/hospice","object":"http://sender.test/posts/%d"}`,
		verb, verb, post, post)
}

// arrivals lists the ids of the activities r received at paths, in the
// order they arrived (across paths), failed POSTs included.
func (r *receiver) arrivals(t *testing.T, paths ...string) []string {
	t.Helper()
	var all []post
	for _, p := range paths {
		all = append(all, r.got(p)...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	ids := make([]string, len(all))
	for i, p := range all {
		var a struct{ ID string }
		if err := json.Unmarshal(p.body, &a); err != nil {
			t.Fatal(err)
		}
		ids[i] = a.ID
	}
	return ids
}

// Everything queued for one server arrives in the order it was queued,
// even across its inboxes: a Create, then its Update, then its Delete,
// for many posts, some sent to a personal inbox and some to the shared one,
// and one activity to both at once.
func TestOrderPerHost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		r := newReceiver(t, s)
		r.delay = time.Millisecond
		var want []string
		for n := range 20 {
			for _, verb := range []string{"Create", "Update", "Delete"} {
				inbox := r.inbox("/inbox")
				if n%2 == 1 {
					inbox = r.inbox("/users/x/inbox")
				}
				in.enqueue(t, s, verbActivity(verb, n), false, inbox)
				want = append(want, fmt.Sprintf("http://sender.test/activities/%s-%d", verb, n))
			}
		}
		in.enqueue(t, s, verbActivity("Announce", 99), false, r.inbox("/inbox"), r.inbox("/users/x/inbox"))
		in.enqueue(t, s, verbActivity("Undo", 99), false, r.inbox("/inbox"))
		want = append(want, "http://sender.test/activities/Announce-99", "http://sender.test/activities/Announce-99",
			"http://sender.test/activities/Undo-99")
		in.waitDrained(t, 60*time.Second)
		if got := r.arrivals(t, "/inbox", "/users/x/inbox"); !slices.Equal(got, want) {
			t.Errorf("arrived in another order than queued:\n got %v\nwant %v", got, want)
		}
	})
}

// A server that answers 500 holds up only what is queued for it: another
// server gets all its deliveries meanwhile, and the failing one gets its
// own, in order, once it recovers.
func TestOrderFailingHostHoldsUpOnlyItself(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		failing, healthy := newReceiver(t, s), newReceiver(t, s)
		var down atomic.Bool
		down.Store(true)
		failing.respond = func(string, int) (int, http.Header) {
			if down.Load() {
				return http.StatusInternalServerError, nil
			}
			return http.StatusAccepted, nil
		}
		var want []string
		for n := range 10 {
			in.enqueue(t, s, verbActivity("Create", n), false, failing.inbox("/inbox"), healthy.inbox("/inbox"))
			want = append(want, fmt.Sprintf("http://sender.test/activities/Create-%d", n))
		}
		eventually(t, 30*time.Second, func() bool { return len(healthy.got("/inbox")) == len(want) },
			func() string {
				return fmt.Sprintf("healthy server got %d of %d", len(healthy.got("/inbox")), len(want))
			})
		if got := healthy.arrivals(t, "/inbox"); !slices.Equal(got, want) {
			t.Errorf("healthy server: arrived as %v, want %v", got, want)
		}
		// Meanwhile the failing server is offered only the first, again.
		eventually(t, 30*time.Second, func() bool { return len(failing.got("/inbox")) >= 2 },
			func() string { return "the failing server was not retried" })
		for _, id := range failing.arrivals(t, "/inbox") {
			if id != want[0] {
				t.Fatalf("the failing server was offered %s before the first delivery succeeded", id)
			}
		}

		down.Store(false)
		in.waitDrained(t, 60*time.Second)
		got := failing.arrivals(t, "/inbox")
		tries := 0
		for tries < len(got) && got[tries] == want[0] {
			tries++
		}
		if tries < 2 || !slices.Equal(got[tries-1:], want) {
			t.Errorf("after recovery: arrived as %v, want retries of the first then %v", got, want)
		}
		t.Logf("%d failed tries of the first delivery while the healthy server got all %d", tries-1, len(want))
	})
}

// Two servers are sent to at the same time: the second does not wait for
// the first's deliveries to finish.
func TestOrderHostsProceedInParallel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		a, b := newReceiver(t, s), newReceiver(t, s)
		a.delay, b.delay = 300*time.Millisecond, 300*time.Millisecond
		for n := range 4 {
			in.enqueue(t, s, verbActivity("Create", n), false, a.inbox("/inbox"), b.inbox("/inbox"))
		}
		in.waitDrained(t, 60*time.Second)
		pa, pb := a.got("/inbox"), b.got("/inbox")
		if len(pa) != 4 || len(pb) != 4 {
			t.Fatalf("%d and %d posts, want 4 each", len(pa), len(pb))
		}
		// Each server's four posts take at least 0.9 s one after another;
		// in parallel, each server's first arrives before the other's last.
		if !pa[0].at.Before(pb[3].at) || !pb[0].at.Before(pa[3].at) {
			t.Errorf("one server waited for the other: A %s–%s, B %s–%s",
				pa[0].at.Format(time.StampMilli), pa[3].at.Format(time.StampMilli), pb[0].at.Format(time.StampMilli), pb[3].at.Format(time.StampMilli))
		}
	})
}
