package delivery

import (
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// testLayout is the sending instance's URL layout; receivers check
// signatures against its key id.
var testLayout = iri.New("http://sender.test")

// testRetry retries within a second, so tests see several attempts.
var testRetry = jobs.RetryPolicy{Base: 200 * time.Millisecond, Cap: time.Second, MaxAttempts: 25}

// sender is a local actor with a key pair, stored in a database.
type sender struct {
	actor *model.Actor
	pub   *rsa.PublicKey
	keyID string
}

func newSender(t testing.TB, st *store.Store) *sender {
	t.Helper()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	a := &model.Actor{Local: true, Username: "hospice", Type: model.ActorOrganization,
		PublicKeyPEM: pair.PublicPEM, PrivateKeyPEM: pair.PrivatePEM, Discoverable: true}
	if err := st.CreateActor(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	pub, err := keys.ParsePublic(pair.PublicPEM)
	if err != nil {
		t.Fatal(err)
	}
	return &sender{actor: a, pub: pub, keyID: keyIDOf(a)}
}

func keyIDOf(a *model.Actor) string { return testLayout.Key(a.Username) }

// instance is one sending process: a queue with the delivery workers.
type instance struct {
	st *store.Store
	q  *jobs.Queue
	d  *Deliverer
}

type instanceOpts struct {
	log              *slog.Logger
	jobTimeout       time.Duration
	rescueStuckAfter time.Duration
	startCtx         context.Context
	noCleanup        bool
	dispatch         DispatchOptions
}

// startInstance migrates River's tables and starts a queue working
// deliveries on st; it is stopped gracefully when the test ends.
func startInstance(t testing.TB, st *store.Store, o instanceOpts) *instance {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	if o.log == nil {
		o.log = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if o.startCtx == nil {
		o.startCtx = ctx
	}
	workers := river.NewWorkers()
	q, err := jobs.New(st, jobs.Options{
		Workers: workers, PollInterval: 50 * time.Millisecond, RetryPolicy: testRetry,
		JobTimeout: o.jobTimeout, RescueStuckAfter: o.rescueStuckAfter, Logger: o.log,
	})
	if err != nil {
		t.Fatal(err)
	}
	d := New(Config{
		Store:     st,
		Transport: transport.New(transport.Options{AllowPrivate: true, RequestTimeout: 10 * time.Second}),
		KeyID:     keyIDOf,
		Queue:     q,
		Log:       o.log,
		Dispatch:  o.dispatch,
	})
	d.Register(workers)
	if err := q.Start(o.startCtx); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(o.startCtx); err != nil {
		t.Fatal(err)
	}
	if !o.noCleanup {
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := d.Stop(ctx); err != nil {
				t.Errorf("stop dispatcher: %v", err)
			}
			if err := q.Stop(ctx); err != nil {
				t.Errorf("stop queue: %v", err)
			}
		})
	}
	return &instance{st: st, q: q, d: d}
}

// enqueue queues a delivery in a committed transaction, as a use case would.
func (in *instance) enqueue(t testing.TB, s *sender, activity []byte, toFollowers bool, inboxes ...string) {
	t.Helper()
	err := in.st.RunInTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
		return in.d.EnqueueTx(ctx, tx, s.actor, activity, toFollowers, inboxes)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// queued lists the deliveries not yet done with, oldest first.
func (in *instance) queued(t testing.TB) []outboxRow {
	t.Helper()
	var rows []outboxRow
	if err := in.st.DB.NewSelect().Model(&rows).OrderExpr("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rows
}

// waitDrained waits until every queued delivery is done with (sent or
// given up) and no drain job is left to run.
func (in *instance) waitDrained(t testing.TB, within time.Duration) {
	t.Helper()
	var rows []outboxRow
	var drains []*rivertype.JobRow
	eventually(t, within, func() bool {
		if rows = in.queued(t); len(rows) > 0 {
			return false
		}
		res, err := in.q.Client().JobList(context.Background(), river.NewJobListParams().Kinds(KindDrain).First(10_000))
		if err != nil {
			t.Fatal(err)
		}
		drains = res.Jobs
		for _, j := range drains {
			if j.FinalizedAt == nil {
				return false
			}
		}
		return true
	}, func() string {
		return fmt.Sprintf("%d deliveries still queued; drain jobs: %s", len(rows), describeJobs(drains))
	})
}

// deliverJobs lists the delivery jobs (as queued before deliveries were
// ordered) in the queue, in any state.
func (in *instance) deliverJobs(t testing.TB) []*rivertype.JobRow {
	t.Helper()
	res, err := in.q.Client().JobList(context.Background(), river.NewJobListParams().Kinds(KindDeliver).First(10_000))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

// waitSettled waits until there are n delivery jobs and all are finished
// (completed, cancelled or discarded), and returns them.
func (in *instance) waitSettled(t testing.TB, n int) []*rivertype.JobRow {
	t.Helper()
	var rows []*rivertype.JobRow
	eventually(t, 60*time.Second, func() bool {
		rows = in.deliverJobs(t)
		if len(rows) != n {
			return false
		}
		for _, r := range rows {
			if r.FinalizedAt == nil {
				return false
			}
		}
		return true
	}, func() string {
		return fmt.Sprintf("%d delivery jobs settled, want %d: %s", len(rows), n, describeJobs(rows))
	})
	return rows
}

// newest is the most recently queued of rows.
func newest(rows []*rivertype.JobRow) *rivertype.JobRow {
	var n *rivertype.JobRow
	for _, r := range rows {
		if n == nil || r.ID > n.ID {
			n = r
		}
	}
	return n
}

func describeJobs(rows []*rivertype.JobRow) string {
	s := ""
	for _, r := range rows {
		s += fmt.Sprintf("[%d %s attempt %d errors %d] ", r.ID, r.State, r.Attempt, len(r.Errors))
	}
	return s
}

// eventually polls cond until it holds or the (generous) deadline passes.
func eventually(t testing.TB, within time.Duration, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// post is one delivery as a receiver saw it.
type post struct {
	body []byte
	at   time.Time
}

// receiver is a remote server's inboxes: it verifies every signature with
// the sender's real key and records what arrived, per path.
type receiver struct {
	srv   *httptest.Server
	pub   *rsa.PublicKey
	keyID string
	// respond picks the answer to the n-th valid POST to a path (1-based);
	// nil answers 202.
	respond func(path string, n int) (int, http.Header)
	delay   time.Duration // after recording, before answering

	mu    sync.Mutex
	posts map[string][]post
	bad   []string
}

func newReceiver(t testing.TB, s *sender) *receiver {
	r := newUnstartedReceiver(s)
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	return r
}

func newUnstartedReceiver(s *sender) *receiver {
	r := &receiver{pub: s.pub, keyID: s.keyID, posts: make(map[string][]post)}
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	return r
}

func (r *receiver) inbox(path string) string { return r.srv.URL + path }

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err == nil {
		err = r.verify(req, body)
	}
	if err != nil {
		r.mu.Lock()
		r.bad = append(r.bad, fmt.Sprintf("%s: %v", req.URL.Path, err))
		r.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	r.mu.Lock()
	r.posts[req.URL.Path] = append(r.posts[req.URL.Path], post{body: body, at: time.Now()})
	n := len(r.posts[req.URL.Path])
	r.mu.Unlock()
	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-req.Context().Done():
			return
		}
	}
	status, header := http.StatusAccepted, http.Header(nil)
	if r.respond != nil {
		status, header = r.respond(req.URL.Path, n)
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
}

func (r *receiver) verify(req *http.Request, body []byte) error {
	if ct := req.Header.Get("Content-Type"); ct != transport.ActivityContentType {
		return fmt.Errorf("content type %q", ct)
	}
	parsed, err := httpsign.ParseRequest(req, body, time.Now())
	if err != nil {
		return err
	}
	if parsed.KeyID() != r.keyID {
		return fmt.Errorf("signed by %s, want %s", parsed.KeyID(), r.keyID)
	}
	return parsed.Verify(r.pub)
}

// got returns the posts to path so far.
func (r *receiver) got(path string) []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]post(nil), r.posts[path]...)
}

// snapshot returns the number of posts per path and the rejected requests.
func (r *receiver) snapshot() (map[string]int, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	counts := make(map[string]int, len(r.posts))
	for p, ps := range r.posts {
		counts[p] = len(ps)
	}
	return counts, append([]string(nil), r.bad...)
}

// addFollower stores a remote actor with the given inboxes and its follow
// of the sender.
func addFollower(t testing.TB, st *store.Store, s *sender, id, inbox, sharedInbox, state string) {
	t.Helper()
	ctx := context.Background()
	a := &model.Actor{Local: false, Username: id, Host: "remote.test", IRI: "http://remote.test/users/" + id,
		Type: model.ActorPerson, Inbox: inbox, SharedInbox: sharedInbox}
	if err := st.CreateActor(ctx, a); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	f := &model.Follow{FollowerID: a.ID, FolloweeID: s.actor.ID, ActivityIRI: a.IRI + "#follow",
		State: state, CreatedAt: now, UpdatedAt: now}
	if _, err := st.DB.NewInsert().Model(f).Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

// queueBehindDispatcher stores a due delivery the way an upgraded database
// holds one, without waking anyone.
func queueBehindDispatcher(t testing.TB, st *store.Store, s *sender, inbox string, activity []byte) {
	t.Helper()
	ctx := context.Background()
	host, err := inboxHost(inbox)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	act := &outboxActivity{SenderID: s.actor.ID, Activity: string(activity), CreatedAt: now}
	if _, err := st.DB.NewInsert().Model(act).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	row := &outboxRow{Host: host, Inbox: inbox, ActivityID: act.ID, CreatedAt: now}
	if _, err := st.DB.NewInsert().Model(row).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	due := int64(0)
	if _, err := st.DB.NewInsert().Model(&outboxHost{Host: host, NextAt: &due}).
		On("CONFLICT (host) DO UPDATE").Set("next_at = 0").Exec(ctx); err != nil {
		t.Fatal(err)
	}
}
