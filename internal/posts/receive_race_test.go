package posts_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// lookupHook runs meanwhile once, right after the first query that looks
// the post up by its IRI: another path storing the same post between this
// path's look-up and its insert.
type lookupHook struct {
	iri       string
	armed     atomic.Bool
	meanwhile func()
}

func (h *lookupHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *lookupHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if strings.HasPrefix(e.Query, "SELECT") && strings.Contains(e.Query, h.iri) && h.armed.CompareAndSwap(true, false) {
		h.meanwhile()
	}
}

// The inbox applier and a backfill or fetch can both receive one remote
// post: each looks it up, finds nothing and inserts. The second insert
// must find the post stored (no UNIQUE error, one row) and go on as for a
// post it holds, on both databases.
func TestPostStoredByAnotherPathMeanwhile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, _, _ := setup(t, st)
		author := remoteActors(t, st, 1)[0]
		const postIRI = "https://m0.example/users/u0/statuses/race"
		remote := func(text string) posts.Remote {
			return posts.Remote{SharedByFollowed: true, Post: &model.Post{IRI: postIRI, APType: "Note", Kind: model.KindUpdate,
				ContentHTML: "<p>" + text + " #race</p>", Published: time.Now().UTC().Truncate(time.Second),
				Tags: []model.Tag{{Tag: "race", Name: "#race"}}}}
		}
		var otherOut string
		var otherErr error
		hook := &lookupHook{iri: postIRI, meanwhile: func() {
			otherOut, otherErr = svc.ReceiveCreate(ctx, author, remote("first"))
		}}
		hook.armed.Store(true)
		st.DB.AddQueryHook(hook)

		out, err := svc.ReceiveCreate(ctx, author, remote("second"))
		if hook.armed.Load() {
			t.Fatal("the other path never ran: the look-up query was not seen")
		}
		if otherErr != nil || otherOut != posts.ReceivedToTimeline {
			t.Fatalf("the path that stored first: %q, %v", otherOut, otherErr)
		}
		if err != nil || out != "applied: post updated" {
			t.Fatalf("the path that found it stored: %q, %v; want the post updated and no error", out, err)
		}
		n, err := st.DB.NewSelect().Model((*model.Post)(nil)).Where("iri = ?", postIRI).Count(ctx)
		if err != nil || n != 1 {
			t.Fatalf("%d posts with the IRI (%v), want 1", n, err)
		}
		p, err := st.PostByIRI(ctx, postIRI)
		if err != nil || !p.InTimeline || !strings.Contains(p.ContentHTML, "second") {
			t.Errorf("stored post: %+v, %v; want it on the timeline with the later path's text", p, err)
		}
	})
}
