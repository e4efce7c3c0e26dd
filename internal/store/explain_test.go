package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// recorder keeps every statement the store sends while it is on.
type recorder struct {
	mu  sync.Mutex
	on  bool
	sql []string
}

func (r *recorder) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (r *recorder) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on && planned.MatchString(e.Query) {
		r.sql = append(r.sql, e.Query)
	}
}

// record runs fn and returns the statements it sent.
func (r *recorder) record(t *testing.T, fn func() error) []string {
	t.Helper()
	r.mu.Lock()
	r.on, r.sql = true, nil
	r.mu.Unlock()
	err := fn()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	if err != nil {
		t.Fatalf("running the path: %v", err)
	}
	return r.sql
}

var planned = regexp.MustCompile(`(?is)^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b`)

type nothingSent struct{}

func (nothingSent) SendTx(context.Context, bun.Tx, model.Outgoing) error { return nil }

// watched are the tables that grow with the fediverse: a sequential scan of
// any of them on a receive path is a full-table read per activity.
var watched = map[string]bool{"follows": true, "interactions": true, "posts": true, "inbox_activities": true, "actors": true}

// Every statement of the Undo, Accept, Reject and Delete paths (and of the
// inbox bookkeeping around them) is planned with an index on a realistically
// sized database; none reads a whole table. The planner is left free: only
// the data and ANALYZE steer it.
func TestReceivePathsUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 50,000 rows")
	}
	s, org, rec := realisticStore(t)
	layout := iri.New("https://hsc.example")
	ps := &posts.Service{Store: s, Layout: layout, Send: nothingSent{}}
	fs := &follows.Service{Store: s, Layout: layout, Send: nothingSent{}}
	remote := func(i int) *model.Actor {
		a, err := s.RemoteActorByIRI(ctx, fmt.Sprintf("https://r%d.example/users/u", i))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	paths := []planPath{
		{"Undo Like", func() error {
			_, err := ps.UndoInteraction(ctx, remote(101), "https://r101.example/users/u/like/1")
			return err
		}},
		{"Undo of an IRI alone: interaction, then follow", func() error {
			a := remote(102)
			if _, err := ps.UndoInteraction(ctx, a, a.IRI+"/follows/1"); err != nil {
				return err
			}
			_, err := s.FollowByActivity(ctx, s.DB, a.IRI+"/follows/1")
			return err
		}},
		{"Undo Follow", func() error {
			a := remote(103)
			_, err := fs.ReceiveUndoFollow(ctx, a, org, a.IRI+"/follows/1")
			return err
		}},
		{"Undo Follow re-serialised (unknown id)", func() error {
			_, err := fs.ReceiveUndoFollow(ctx, remote(104), org, "https://r104.example/other")
			return err
		}},
		{"Accept by Follow id", func() error {
			a := remote(105)
			_, err := fs.ReceiveAccept(ctx, a, model.FollowRef{ID: fmt.Sprintf("https://hsc.example/activities/f%d", a.ID)})
			return err
		}},
		{"Accept by actor pair", func() error {
			a := remote(106)
			_, err := fs.ReceiveAccept(ctx, a, model.FollowRef{ID: "https://r106.example/unknown", Actor: layout.IDOf(org), Object: a.IRI})
			return err
		}},
		{"Reject", func() error {
			a := remote(107)
			_, err := fs.ReceiveReject(ctx, a, model.FollowRef{ID: fmt.Sprintf("https://hsc.example/activities/f%d", a.ID)})
			return err
		}},
		{"Delete of a reply", func() error {
			a := remote(108)
			_, err := ps.ReceiveDelete(ctx, a, a.IRI+"/statuses/1")
			return err
		}},
		{"Delete of an actor", func() error {
			_, err := ps.ForgetActor(ctx, "https://r109.example/users/u")
			return err
		}},
		{"Create of a reply", func() error {
			a := remote(112)
			root, err := s.PostByToken(ctx, "t1")
			if err != nil {
				return err
			}
			_, err = ps.ReceiveCreate(ctx, a, posts.Remote{Post: &model.Post{IRI: a.IRI + "/statuses/2", APType: "Note",
				ContentHTML: "<p>again</p>", InReplyTo: layout.Post(org.Username, root.Token), Published: time.Now().UTC()}})
			return err
		}},
		{"Reading a thread", func() error {
			root, err := s.PostByToken(ctx, "t2")
			if err != nil {
				return err
			}
			page, err := s.Comments(ctx, root.ID, nil, 20)
			if err != nil {
				return err
			}
			if _, err = s.Comments(ctx, root.ID, page.Newer, 20); err != nil {
				return err
			}
			_, err = s.CommentsBefore(ctx, root.ID, *page.Newer, 20)
			return err
		}},
		{"Inbox bookkeeping", func() error {
			a := &model.InboxActivity{ActivityIRI: "https://r110.example/users/u/undo/1", Type: "Undo", ActorIRI: "https://r110.example/users/u", Raw: "{}"}
			if _, err := s.RecordInboxActivity(ctx, s.DB, a); err != nil {
				return err
			}
			if _, err := s.InboxActivity(ctx, a.ID); err != nil {
				return err
			}
			if _, err := s.InboxActivityByIRI(ctx, a.ActivityIRI); err != nil {
				return err
			}
			if err := s.FinishInboxActivities(ctx, "p1", store.InboxFinish{Done: []store.InboxOutcome{{ID: a.ID, Outcome: "applied"}}}); err != nil {
				return err
			}
			_, err := s.PruneInboxActivities(ctx, time.Now().Add(-14*24*time.Hour), 1000)
			return err
		}},
	}
	checkPaths(t, s, rec, paths)
	// What deleting an actor cascades to is done by foreign keys inside the
	// server, where EXPLAIN cannot see it; these are the same lookups.
	t.Run("cascades of an actor delete", func(t *testing.T) {
		a := remote(120)
		for _, q := range []string{
			"DELETE FROM follows WHERE follower_id = %d", "DELETE FROM follows WHERE followee_id = %d",
			"DELETE FROM interactions WHERE actor_id = %d", "DELETE FROM posts WHERE author_id = %d",
			"DELETE FROM posts WHERE thread_root_id = (SELECT min(id) FROM posts WHERE author_id = %d)",
			"DELETE FROM interactions WHERE post_id = (SELECT min(id) FROM posts WHERE author_id = %d)",
		} {
			checkPlan(t, s, fmt.Sprintf(q, a.ID))
		}
	})
}

// checkPlan explains q and fails on a sequential scan of a watched table.
func checkPlan(t *testing.T, s *store.Store, q string) {
	t.Helper()
	var raw string
	if err := s.DB.DB.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+q).Scan(&raw); err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(raw), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("explain %s: %v", q, err)
	}
	var shape []string
	var scans []string
	plans[0].Plan.walk(func(n planNode) {
		step := n.NodeType
		if n.Relation != "" {
			step += " on " + n.Relation
		}
		if n.Index != "" {
			step += " using " + n.Index
		}
		shape = append(shape, step)
		if n.NodeType == "Seq Scan" && watched[n.Relation] {
			scans = append(scans, n.Relation)
		}
	})
	t.Logf("%s\n    plan: %s", oneLine(q), strings.Join(shape, " > "))
	if len(scans) > 0 {
		t.Errorf("sequential scan of %v for: %s", scans, oneLine(q))
	}
}

type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Index    string     `json:"Index Name"`
	Plans    []planNode `json:"Plans"`
	// With EXPLAIN ANALYZE: rows per loop, and the loops.
	ActualRows      float64 `json:"Actual Rows"`
	ActualLoops     float64 `json:"Actual Loops"`
	RemovedByFilter float64 `json:"Rows Removed by Filter"`
}

func (n planNode) walk(fn func(planNode)) {
	fn(n)
	for _, c := range n.Plans {
		c.walk(fn)
	}
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }
