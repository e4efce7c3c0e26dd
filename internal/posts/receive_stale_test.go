package posts_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A copy of a post read before its author's edit (a backfill of the outbox
// racing the edit's Update) must not undo the edit when it arrives after
// it; a newer version still replaces ours.
func TestOlderCopyDoesNotUndoAnEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, _, _ := setup(t, st)
		author := remoteActors(t, st, 1)[0]
		const postIRI = "https://m0.example/users/u0/statuses/edited"
		published := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
		version := func(text string, updated time.Time) posts.Remote {
			return posts.Remote{SharedByFollowed: true, Post: &model.Post{IRI: postIRI, APType: "Note", Kind: model.KindUpdate,
				ContentHTML: "<p>" + text + "</p>", Published: published, Updated: updated}}
		}
		text := func() string {
			t.Helper()
			p, err := st.PostByIRI(ctx, postIRI)
			if err != nil {
				t.Fatal(err)
			}
			return p.ContentHTML
		}
		if out, err := svc.ReceiveCreate(ctx, author, version("first", time.Time{})); err != nil || out != posts.ReceivedToTimeline {
			t.Fatalf("create: %q, %v", out, err)
		}
		edited := published.Add(10 * time.Minute)
		if out, err := svc.ReceiveUpdate(ctx, author, version("edited", edited)); err != nil || out != "applied: post updated" {
			t.Fatalf("edit: %q, %v", out, err)
		}
		if out, err := svc.ReceiveCreate(ctx, author, version("first", time.Time{})); err != nil || !strings.HasPrefix(out, "ignored") {
			t.Fatalf("the older copy: %q, %v; want it ignored", out, err)
		}
		if got := text(); !strings.Contains(got, "edited") {
			t.Errorf("after the older copy the post reads %q, want the edit kept", got)
		}
		if out, err := svc.ReceiveUpdate(ctx, author, version("edited again", edited.Add(time.Minute))); err != nil || out != "applied: post updated" {
			t.Fatalf("a newer edit: %q, %v", out, err)
		}
		if got := text(); !strings.Contains(got, "edited again") {
			t.Errorf("after a newer edit the post reads %q", got)
		}
	})
}
