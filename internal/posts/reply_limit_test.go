package posts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// One remote account may add only so many replies to one post in an hour;
// the rest are recorded as ignored and not stored, and other accounts and
// other posts are not held back by it.
func TestRepliesPerActorPerHourAreBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, _, org := setup(t, st)
		var iris []string
		for _, body := range []string{"First.", "Second."} {
			p, err := svc.Publish(ctx, org, posts.Draft{Kind: model.KindUpdate, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			iris = append(iris, svc.Layout.Post(org.Username, p.Token))
		}
		actors := remoteActors(t, st, 2)
		send := func(a *model.Actor, postIRI string, n int) (string, error) {
			return svc.ReceiveCreate(ctx, a, posts.Remote{Post: &model.Post{IRI: fmt.Sprintf("%s/statuses/%d", a.IRI, n),
				APType: "Note", ContentHTML: "<p>again</p>", InReplyTo: postIRI, Published: time.Now().UTC().Truncate(time.Second)}})
		}
		for n := range posts.MaxRepliesPerActorPerHour {
			if out, err := send(actors[0], iris[0], n); err != nil || out != "applied: stored as a comment" {
				t.Fatalf("reply %d: %q, %v", n, out, err)
			}
		}
		out, err := send(actors[0], iris[0], 1000)
		if err != nil || out != "ignored: reply limit" {
			t.Errorf("reply beyond the limit: %q, %v", out, err)
		}
		if _, err := st.PostByIRI(ctx, actors[0].IRI+"/statuses/1000"); err == nil {
			t.Error("the reply beyond the limit was stored")
		}
		root, _ := svc.Find(ctx, iris[0])
		if root.ReplyCount != posts.MaxRepliesPerActorPerHour {
			t.Errorf("reply_count = %d", root.ReplyCount)
		}
		if out, err := send(actors[1], iris[0], 1); err != nil || out != "applied: stored as a comment" {
			t.Errorf("another account's reply: %q, %v", out, err)
		}
		if out, err := send(actors[0], iris[1], 2000); err != nil || out != "applied: stored as a comment" {
			t.Errorf("the same account's reply to another post: %q, %v", out, err)
		}
	})
}
