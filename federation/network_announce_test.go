package federation

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// groupOrigin serves a FEP-1b12 group, its member and the member's posts
// from the fep1b12 fixtures, as Lemmy would; a test swaps or removes a post
// to play an edit or a delete.
type groupOrigin struct {
	*httptest.Server
	mu   sync.Mutex
	docs map[string]string // path -> document
	pem  string
	t    *testing.T
	gets map[string]int
}

func newGroupOrigin(t *testing.T) *groupOrigin {
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	g := &groupOrigin{docs: map[string]string{}, gets: map[string]int{}, pem: pair.PublicPEM, t: t}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		doc, ok := g.docs[r.URL.Path]
		g.gets[r.URL.Path]++
		g.mu.Unlock()
		if !ok {
			http.Error(w, "gone", http.StatusGone)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		_, _ = io.WriteString(w, doc)
	}))
	t.Cleanup(g.Close)
	g.serve("/c/hscnet", "group.json")
	g.serve("/u/volition", "member.json")
	g.serve("/post/1", "note1.json")
	g.serve("/post/2", "note2.json")
	g.serve("/comment/3", "reply.json")
	return g
}

// fill puts the origin and key into a fixture.
func (g *groupOrigin) fill(name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "fep1b12", name))
	if err != nil {
		g.t.Fatal(err)
	}
	s := string(b)
	s = strings.ReplaceAll(s, "ORIGIN", g.URL)
	return []byte(strings.ReplaceAll(s, "PEM", strings.ReplaceAll(g.pem, "\n", `\n`)))
}

func (g *groupOrigin) serve(path, fixture string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if fixture == "" {
		delete(g.docs, path)
		return
	}
	g.docs[path] = string(g.fill(fixture))
}

// A followed FEP-1b12 group's Announces bring its members' public posts
// onto our timeline, fetched from their origin, each stored once however
// often and however it is announced; Announce{Update} refreshes the post,
// Announce{Delete} removes it once the origin confirms, and a reply the
// group announces stays off the timeline.
func TestGroupAnnouncesApplyOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		g := newGroupOrigin(t)
		layout := iri.New("http://reader.example") // http: a local-testing instance, which may fetch from loopback
		o := &orgs.Service{Store: st}
		reader, err := o.Create(ctx, orgs.NewOrg{Username: "reader", Name: "Reader"})
		if err != nil {
			t.Fatal(err)
		}
		s := &Server{Layout: layout, Store: st, Orgs: o, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Fetcher: &Fetcher{Store: st, Layout: layout, Orgs: o, StaleAfter: time.Hour,
				Transport: transport.New(transport.Options{AllowPrivate: true})}}
		s.Posts = &posts.Service{Store: st, Layout: layout, Send: &Outbox{Layout: layout, Deliver: &queued{}}}
		group, err := s.Fetcher.Actor(ctx, g.URL+"/c/hscnet")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.InsertFollow(ctx, st.DB, &model.Follow{FollowerID: reader.ID, FolloweeID: group.ID,
			ActivityIRI: layout.NewActivityID(reader), State: model.FollowAccepted}); err != nil {
			t.Fatal(err)
		}
		apply := func(name string) string {
			t.Helper()
			act, err := vocab.ParseActivity(g.fill(name))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out, err := s.apply(ctx, act)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return out
		}
		rows := func(iri string) []*model.Post {
			t.Helper()
			var ps []*model.Post
			if err := st.DB.NewSelect().Model(&ps).Where("iri = ?", iri).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			return ps
		}
		timeline := func() string {
			t.Helper()
			page, err := st.Timeline(ctx, store.TimelineFilter{}, nil, 50)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, p := range page.Posts {
				b.WriteString(p.ContentHTML + "\n")
			}
			return b.String()
		}

		// Announce{Create{Note}}, twice: one row, with the origin's content
		// rather than the group's embedded copy.
		for i := 0; i < 2; i++ {
			if out := apply("announce_create.json"); !strings.HasPrefix(out, "applied") {
				t.Fatalf("announce of a create (%d): %s", i, out)
			}
		}
		p1 := g.URL + "/post/1"
		if ps := rows(p1); len(ps) != 1 || !ps[0].InTimeline || !strings.Contains(ps[0].ContentHTML, "Saturday") {
			t.Fatalf("post 1 rows = %+v", ps)
		}
		// The bare id, as Mastodon-style boosts send it.
		if out := apply("announce_id.json"); out != "applied: added to the timeline" {
			t.Fatalf("announce of an id: %s", out)
		}
		if ps := rows(g.URL + "/post/2"); len(ps) != 1 || !ps[0].InTimeline {
			t.Fatalf("post 2 rows = %+v", ps)
		}
		if out := apply("announce_reply.json"); !strings.HasPrefix(out, "ignored") {
			t.Errorf("announce of a reply: %s", out)
		}
		if ps := rows(g.URL + "/comment/3"); len(ps) != 0 {
			t.Errorf("the reply was stored: %+v", ps)
		}
		if tl := timeline(); strings.Count(tl, "fep1b12first") != 1 || strings.Count(tl, "fep1b12second") != 1 || strings.Contains(tl, "fep1b12reply") {
			t.Errorf("timeline:\n%s", tl)
		}

		// Announce{Update}: the post is fetched again and replaced in place.
		g.serve("/post/1", "note1_edited.json")
		if out := apply("announce_update.json"); out != "applied: post updated" {
			t.Fatalf("announce of an update: %s", out)
		}
		if ps := rows(p1); len(ps) != 1 || !strings.Contains(ps[0].ContentHTML, "Sunday") || strings.Contains(ps[0].ContentHTML, "as the group tells it") {
			t.Fatalf("after the update: %+v", ps)
		}

		// Announce{Delete} while the post still exists changes nothing;
		// once the origin answers 410 the post goes.
		if out := apply("announce_delete.json"); out != "ignored: the announced post still exists" {
			t.Errorf("delete of a live post: %s", out)
		}
		g.serve("/post/1", "")
		if out := apply("announce_delete.json"); out != "applied: post deleted" {
			t.Fatalf("announce of a delete: %s", out)
		}
		if ps := rows(p1); len(ps) != 1 || !ps[0].Deleted() {
			t.Fatalf("after the delete: %+v", ps)
		}
		// A late Announce of the deleted post does not bring it back.
		if out := apply("announce_create.json"); strings.HasPrefix(out, "applied") {
			t.Errorf("late announce: %s", out)
		}
		if tl := timeline(); strings.Contains(tl, "fep1b12first") || strings.Count(tl, "fep1b12second") != 1 {
			t.Errorf("timeline at the end:\n%s", tl)
		}
	})
}
