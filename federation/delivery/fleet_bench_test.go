package delivery

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// BenchmarkFanoutHosts is one activity to K followers, each on a host of
// its own (a listener on its own loopback address, 127.1.x.y), through
// the real engine: commit, wake-up, K RSA-2048 signatures and K POSTs.
// ms-commit is the use case's transaction (queueing K rows), ms-first the
// time from its commit to the first receipt (negative if a delivery
// arrived before the committing call returned).
// The receivers only count (signature checks are the other tests' job),
// so what grows with K is the sender's cost. One op is one fan-out, from
// before the commit to the last receipt. It reports deliveries/s, the time
// to the first receipt, allocations and bun queries per delivery (both
// include the receivers' side, which shares the process; River's own
// queries are not counted), and the ratio to the signing floor: K
// signatures on every core, measured just before each fan-out.
//
//	go test -run '^$' -bench BenchmarkFanoutHosts -benchtime 3x ./federation/delivery/
func BenchmarkFanoutHosts(b *testing.B) { perDialectAndSize(b, "hosts", benchFanoutHosts) }

// perDialectAndSize runs bench on each dialect with 1,000 and 10,000 of
// what it counts.
func perDialectAndSize(b *testing.B, what string, bench func(*testing.B, store.Dialect, int)) {
	for _, d := range storetest.Dialects {
		for _, k := range []int{1_000, 10_000} {
			b.Run(fmt.Sprintf("%s/%s=%d", d, what, k), func(b *testing.B) { bench(b, d, k) })
		}
	}
}

// BenchmarkFanoutFollowers100k is BenchmarkFanoutHosts with 100,000
// followers, ten on each of 10,000 hosts (as many listeners as one process
// may open here), each with an inbox of its own.
//
//	go test -run '^$' -bench BenchmarkFanoutFollowers100k -benchtime 1x -timeout 60m ./federation/delivery/
func BenchmarkFanoutFollowers100k(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) { benchFanout(b, d, 10_000, 10) })
	}
}

func benchFanoutHosts(b *testing.B, d store.Dialect, k int) { benchFanout(b, d, k, 1) }

func benchFanout(b *testing.B, d store.Dialect, hosts, perHost int) {
	k := hosts * perHost
	st := storetest.Open(b, d)
	s := newSender(b, st)
	fleet := newCountingFleet(b, hosts, perHost)
	addFollowersBulk(b, st, s, fleet.inboxes)
	queries := &queryCounter{}
	st.DB.AddQueryHook(queries)
	in := startInstance(b, st, instanceOpts{})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	q0 := queries.n.Load()
	var firstTotal, commitTotal, floor time.Duration
	b.ResetTimer()
	for i := range b.N {
		// The machine is shared: the floor is taken next to each fan-out.
		b.StopTimer()
		floor += signingFloor(b, st, s, k)
		b.StartTimer()
		want := int64(i+1) * int64(k)
		start := time.Now()
		in.enqueue(b, s, testActivity(i), true)
		committed := time.Now()
		select {
		case <-fleet.reached(want):
		case <-time.After(10 * time.Minute):
			b.Fatalf("%d of %d deliveries after 10 minutes", fleet.count.Load(), want)
		}
		commitTotal += committed.Sub(start)
		firstTotal += fleet.firstAfter(committed)
		b.StopTimer()
		settle(b, st) // the next fan-out starts from idle, as one usually does
		b.StartTimer()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	deliveries := float64(b.N * k)
	b.ReportMetric(deliveries/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(float64(commitTotal.Milliseconds())/float64(b.N), "ms-commit")
	b.ReportMetric(float64(firstTotal.Microseconds())/1000/float64(b.N), "ms-first")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/deliveries, "allocs/delivery")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/deliveries, "B/delivery")
	b.ReportMetric(float64(queries.n.Load()-q0)/deliveries, "queries/delivery")
	b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "ms-floor")
	b.ReportMetric(b.Elapsed().Seconds()/floor.Seconds(), "x-floor")
}

// countingFleet is servers each listening on a loopback address of its
// own, sharing one handler that counts valid-looking POSTs to their inboxes.
type countingFleet struct {
	inboxes []string
	count   atomic.Int64

	mu      sync.Mutex
	waiters map[int64]chan struct{}
	first   []time.Time // receipt times of each op's first POST
}

func newCountingFleet(b testing.TB, k, perHost int) *countingFleet {
	b.Helper()
	f := &countingFleet{waiters: make(map[int64]chan struct{})}
	srv := &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 10 * time.Second}
	var lns []net.Listener
	for i := range k {
		n := i + 1
		ln, err := net.Listen("tcp", fmt.Sprintf("127.1.%d.%d:0", n/256, n%256))
		if err != nil {
			b.Fatalf("listener %d of %d: %v", i, k, err)
		}
		lns = append(lns, ln)
		for j := range perHost {
			f.inboxes = append(f.inboxes, fmt.Sprintf("http://%s/users/u%d/inbox", ln.Addr(), j))
		}
		go func() { _ = srv.Serve(ln) }()
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		for _, ln := range lns {
			ln.Close()
		}
	})
	return f
}

func (f *countingFleet) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	if r.Method != http.MethodPost || r.Header.Get("Signature") == "" {
		http.Error(w, "unsigned", http.StatusUnauthorized)
		return
	}
	n := f.count.Add(1)
	f.mu.Lock()
	if len(f.first) == 0 || n > int64(len(f.first))*int64(len(f.inboxes)) {
		f.first = append(f.first, time.Now())
	}
	for want, c := range f.waiters {
		if n >= want {
			close(c)
			delete(f.waiters, want)
		}
	}
	f.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// reached is closed once the fleet has counted want POSTs.
func (f *countingFleet) reached(want int64) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := make(chan struct{})
	if f.count.Load() >= want {
		close(c)
		return c
	}
	f.waiters[want] = c
	return c
}

// firstAfter is how long after start the latest op's first POST arrived.
func (f *countingFleet) firstAfter(start time.Time) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.first[len(f.first)-1].Sub(start)
}

// addFollowersBulk stores one remote follower of s per inbox, in batches.
func addFollowersBulk(b testing.TB, st *store.Store, s *sender, inboxes []string) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	for start := 0; start < len(inboxes); start += 500 {
		end := min(start+500, len(inboxes))
		actors := make([]model.Actor, 0, end-start)
		for i := start; i < end; i++ {
			actors = append(actors, model.Actor{Username: fmt.Sprintf("f%d", i), Host: "remote.test",
				IRI: fmt.Sprintf("http://remote.test/users/f%d", i), Type: model.ActorPerson, Inbox: inboxes[i],
				CreatedAt: now, UpdatedAt: now})
		}
		if _, err := st.DB.NewInsert().Model(&actors).Returning("id").Exec(ctx); err != nil {
			b.Fatal(err)
		}
		follows := make([]model.Follow, len(actors))
		for i, a := range actors {
			follows[i] = model.Follow{FollowerID: a.ID, FolloweeID: s.actor.ID, ActivityIRI: a.IRI + "#follow",
				State: model.FollowAccepted, CreatedAt: now, UpdatedAt: now}
		}
		if _, err := st.DB.NewInsert().Model(&follows).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// signingFloor is how long k signatures of a delivery take on every core:
// the least a fan-out to k inboxes can cost.
func signingFloor(b *testing.B, st *store.Store, s *sender, k int) time.Duration {
	b.Helper()
	a, err := st.ActorByID(context.Background(), s.actor.ID)
	if err != nil {
		b.Fatal(err)
	}
	signer, err := httpsign.NewSigner(s.keyID, a.PrivateKeyPEM)
	if err != nil {
		b.Fatal(err)
	}
	body := testActivity(0)
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for next.Add(1) <= int64(k) {
				req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/inbox", nil)
				if err := signer.Sign(req, body); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// queryCounter counts the queries bun runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) { q.n.Add(1) }

// settle waits until every host has been handed back.
func settle(b *testing.B, st *store.Store) {
	b.Helper()
	eventually(b, time.Minute, func() bool {
		n, err := st.DB.NewSelect().Model((*outboxHost)(nil)).Where("owner IS NOT NULL").Count(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		return n == 0
	}, func() string { return "hosts still leased" })
}
