package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// applyWorld is an instance's receiving side without HTTP: servers that
// record activities as the inbox does, on one store, with followed remote
// actors already known.
type applyWorld struct {
	st     *store.Store
	layout iri.Layout
	org    *model.Actor
	actors []string
}

func newApplyWorld(t *testing.T, st *store.Store, remotes int) *applyWorld {
	t.Helper()
	ctx := context.Background()
	w := &applyWorld{st: st, layout: iri.New("https://ours.example")}
	org, err := (&orgs.Service{Store: st}).Create(ctx, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	if err != nil {
		t.Fatal(err)
	}
	w.org = org
	for i := range remotes {
		id := fmt.Sprintf("https://r%d.example/users/u%d", i, i)
		a := &model.Actor{Username: fmt.Sprintf("u%d", i), Host: fmt.Sprintf("r%d.example", i), IRI: id,
			Type: model.ActorPerson, Inbox: id + "/inbox", FetchedAt: time.Now().UTC()}
		if err := st.UpsertRemoteActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		f := &model.Follow{FollowerID: org.ID, FolloweeID: a.ID, State: model.FollowAccepted, ActivityIRI: id + "#followed"}
		if err := st.InsertFollow(ctx, st.DB, f); err != nil {
			t.Fatal(err)
		}
		w.actors = append(w.actors, id)
	}
	return w
}

// server is one process's receiving side on the world's store.
func (w *applyWorld) server() *Server {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	o := &orgs.Service{Store: w.st}
	s := &Server{Layout: w.layout, Store: w.st, Orgs: o, Log: log,
		Fetcher: &Fetcher{Store: w.st, Layout: w.layout, Orgs: o, StaleAfter: time.Hour}}
	send := &Outbox{Layout: w.layout, Deliver: &queued{}}
	s.Follows = &follows.Service{Store: w.st, Layout: w.layout, Send: send}
	s.Posts = &posts.Service{Store: w.st, Layout: w.layout, Send: send}
	return s
}

// receive records an activity through the inbox's group commit.
func receive(t *testing.T, s *Server, doc map[string]any) {
	t.Helper()
	body, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	act, err := vocab.ParseActivity(body)
	if err != nil {
		t.Fatal(err)
	}
	var dup bool
	if err := s.record(context.Background(), act, body, &dup); err != nil || dup {
		t.Fatalf("record %s: %v (duplicate %v)", act.ID, err, dup)
	}
}

func noteActivity(actor, typ string, note, version int) map[string]any {
	id := fmt.Sprintf("%s/statuses/%d", actor, note)
	public := []any{vocab.PublicIRI}
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": fmt.Sprintf("%s/activity/%s/%d", id, strings.ToLower(typ), version), "type": typ, "actor": actor, "to": public,
		"object": map[string]any{"id": id, "type": "Note", "attributedTo": actor, "to": public,
			"content": fmt.Sprintf("<p>note %d version %d</p>", note, version), "published": "2026-11-30T10:00:00Z"}}
}

// applyAll runs a, calls send, waits until every recorded activity is
// applied, stops a and returns the records in id order.
func applyAll(t *testing.T, a *Applier, send func()) []model.InboxActivity {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stop := a.Start(ctx)
	send()
	st := a.Server.Store
	waitApplied(t, st, 30*time.Second)
	cancel()
	stop(context.Background())
	var rows []model.InboxActivity
	if err := st.DB.NewSelect().Model(&rows).OrderExpr("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rows
}

func waitApplied(t *testing.T, st *store.Store, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		n, err := st.CountPendingInboxActivities(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d activities still unapplied after %s", n, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Two appliers on one database (two serve processes) share the work, and
// still apply each actor's activities once each, in the order they were
// recorded: every note ends at its last version, and no Create was
// applied twice (a second application would have recorded "post updated").
func TestTwoAppliersApplyEachActorInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		const actors, notes, versions = 6, 3, 5
		w := newApplyWorld(t, st, actors)
		servers := []*Server{w.server(), w.server()}
		ctx, cancel := context.WithCancel(context.Background())
		var stops []func(context.Context)
		for _, s := range servers {
			a := &Applier{Server: s, Parallel: 2, PollEvery: 10 * time.Millisecond}
			stops = append(stops, a.Start(ctx))
		}
		// Each actor's activities go in order, each to either server, while
		// the actors send at the same time.
		var wg sync.WaitGroup
		for i, actor := range w.actors {
			wg.Go(func() {
				n := 0
				for note := range notes {
					for v := range versions {
						typ := "Update"
						if v == 0 {
							typ = "Create"
						}
						receive(t, servers[(i+n)%2], noteActivity(actor, typ, note, v))
						n++
					}
				}
			})
		}
		wg.Wait()
		waitApplied(t, st, 30*time.Second)
		cancel()
		for _, stop := range stops {
			stop(context.Background())
		}

		for _, actor := range w.actors {
			for note := range notes {
				p, err := st.PostByIRI(context.Background(), fmt.Sprintf("%s/statuses/%d", actor, note))
				if err != nil {
					t.Fatalf("%s note %d: %v", actor, note, err)
				}
				if want := fmt.Sprintf("version %d", versions-1); !strings.Contains(p.ContentHTML, want) {
					t.Errorf("%s note %d ends as %q, want %s", actor, note, p.ContentHTML, want)
				}
			}
		}
		var rows []model.InboxActivity
		if err := st.DB.NewSelect().Model(&rows).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(rows) != actors*notes*versions {
			t.Fatalf("%d records, want %d", len(rows), actors*notes*versions)
		}
		for _, r := range rows {
			want := "applied: post updated"
			if r.Type == "Create" {
				want = "applied: added to the timeline"
			}
			if r.Outcome != want || r.Raw != "" {
				t.Errorf("%s: outcome %q (body %d bytes), want %q", r.ActivityIRI, r.Outcome, len(r.Raw), want)
			}
		}
		var leases int
		if err := st.DB.NewSelect().Table("inbox_leases").ColumnExpr("count(*)").Scan(context.Background(), &leases); err != nil {
			t.Fatal(err)
		}
		if leases != 0 {
			t.Errorf("%d leases left after both appliers stopped", leases)
		}
	})
}

// An activity that fails for a reason a retry could fix (its actor's
// server answers 503) is tried again on the backoff, and the actor's later
// activities wait for it: a Follow and its Undo still apply in that order.
func TestApplierRetriesAndKeepsOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		pair, err := keys.Generate()
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		failures := 2
		var doc map[string]any
		peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if failures > 0 {
				failures--
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/activity+json")
			_ = json.NewEncoder(w).Encode(doc)
		}))
		defer peer.Close()
		actor := peer.URL + "/users/x"
		doc = actorDoc(actor, pair.PublicPEM)

		w := newApplyWorld(t, st, 0)
		s := w.server()
		s.Fetcher = redirectFetcher(t, st)
		s.Layout = s.Fetcher.Layout
		s.Follows.Layout, s.Posts.Layout = s.Layout, s.Layout
		applier := &Applier{Server: s, PollEvery: 10 * time.Millisecond,
			Retry: jobs.RetryPolicy{Base: 50 * time.Millisecond, Cap: 200 * time.Millisecond, MaxAttempts: 10}}
		follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/follows/1",
			"type": "Follow", "actor": actor, "object": s.Layout.Actor(w.org.Username)}
		rows := applyAll(t, applier, func() {
			receive(t, s, follow)
			receive(t, s, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/undos/1",
				"type": "Undo", "actor": actor, "object": follow})
		})
		if len(rows) != 2 || rows[0].Outcome != "applied: follow accepted" || rows[1].Outcome != "applied: unfollowed" {
			t.Fatalf("outcomes %+v", rows)
		}
		var attempts int
		if err := st.DB.NewSelect().Table("inbox_activities").Column("attempts").Where("id = ?", rows[0].ID).Scan(ctx, &attempts); err != nil {
			t.Fatal(err)
		}
		if attempts != 2 {
			t.Errorf("the Follow took %d failed attempts, want 2", attempts)
		}
		if c, err := st.CountFollows(ctx, w.org.ID); err != nil || c.Followers != 0 {
			t.Errorf("followers %+v (%v), want none after the Undo", c, err)
		}
	})
}
