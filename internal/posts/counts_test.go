package posts_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// remoteActors stores n distinct remote accounts.
func remoteActors(t *testing.T, st *store.Store, n int) []*model.Actor {
	t.Helper()
	actors := make([]*model.Actor, n)
	for i := range actors {
		iri := fmt.Sprintf("https://m%d.example/users/u%d", i, i)
		a := &model.Actor{Username: fmt.Sprintf("u%d", i), Host: fmt.Sprintf("m%d.example", i), IRI: iri,
			Type: model.ActorPerson, Inbox: iri + "/inbox", PublicKeyID: iri + "#main-key", PublicKeyPEM: "pub"}
		if err := st.UpsertRemoteActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		actors[i] = a
	}
	return actors
}

// parallel runs fn(i) for i in [0, n) on n goroutines released together by
// one barrier, so the calls really overlap, and fails on any error.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- fn(i)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func counts(t *testing.T, st *store.Store, id int64) (likes, boosts, replies int) {
	t.Helper()
	p, err := st.PostByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return p.LikeCount, p.AnnounceCount, p.ReplyCount
}

// Counters stay exact when many likes, boosts, undos, replies and deletes
// of one post are applied at the same moment: each change moves the counter
// by exactly its own row, whatever else commits meanwhile.
func TestCountsExactUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, _, org := setup(t, st)
		p, err := svc.Publish(ctx, org, posts.Draft{Kind: model.KindUpdate, Body: "Open day on Friday."})
		if err != nil {
			t.Fatal(err)
		}
		postIRI := svc.Layout.Post(org.Username, p.Token)
		actors := remoteActors(t, st, 50)
		activity := func(typ string, i int) string { return fmt.Sprintf("%s/%s/%d", actors[i].IRI, typ, p.ID) }

		for _, typ := range []string{model.InteractionLike, model.InteractionAnnounce} {
			parallel(t, len(actors), func(i int) error {
				_, err := svc.ReceiveInteraction(ctx, actors[i], typ, postIRI, activity(typ, i))
				return err
			})
			likes, boosts, _ := counts(t, st, p.ID)
			if got := map[string]int{model.InteractionLike: likes, model.InteractionAnnounce: boosts}[typ]; got != 50 {
				t.Errorf("after 50 parallel %ss the count is %d", typ, got)
			}
		}
		for _, typ := range []string{model.InteractionLike, model.InteractionAnnounce} {
			parallel(t, len(actors), func(i int) error {
				out, err := svc.UndoInteraction(ctx, actors[i], activity(typ, i))
				if err == nil && out != "applied: interaction withdrawn" {
					err = fmt.Errorf("undo %d: %s", i, out)
				}
				return err
			})
		}
		if likes, boosts, _ := counts(t, st, p.ID); likes != 0 || boosts != 0 {
			t.Errorf("after 50 parallel undos of each: %d likes, %d boosts", likes, boosts)
		}

		reply := func(i int) posts.Remote {
			return posts.Remote{Post: &model.Post{IRI: fmt.Sprintf("%s/statuses/%d", actors[i].IRI, p.ID), APType: "Note",
				ContentHTML: "<p>See you there</p>", InReplyTo: postIRI, Published: time.Now().UTC().Truncate(time.Second)}}
		}
		parallel(t, 20, func(i int) error {
			out, err := svc.ReceiveCreate(ctx, actors[i], reply(i))
			if err == nil && out != "applied: stored as a comment" {
				err = fmt.Errorf("reply %d: %s", i, out)
			}
			return err
		})
		if _, _, replies := counts(t, st, p.ID); replies != 20 {
			t.Errorf("after 20 parallel replies reply_count = %d", replies)
		}
		if n := len(listComments(t, st, p.ID)); n != 20 {
			t.Errorf("the comment listing has %d, want 20", n)
		}

		// Ten authors delete their replies while the other ten are forgotten
		// with their likes; each reply is also deleted twice at once, which
		// must count once.
		for _, typ := range []string{model.InteractionLike, model.InteractionAnnounce} {
			for i := 10; i < 20; i++ {
				if _, err := svc.ReceiveInteraction(ctx, actors[i], typ, postIRI, activity(typ, i)+"/again"); err != nil {
					t.Fatal(err)
				}
			}
		}
		parallel(t, 30, func(i int) error {
			switch {
			case i < 20:
				_, err := svc.ReceiveDelete(ctx, actors[i%10], reply(i%10).Post.IRI)
				return err
			default:
				_, err := svc.ForgetActor(ctx, actors[i-10].IRI)
				return err
			}
		})
		if likes, boosts, replies := counts(t, st, p.ID); likes != 0 || boosts != 0 || replies != 0 {
			t.Errorf("after every reply went: %d likes, %d boosts, %d replies", likes, boosts, replies)
		}
		if n := len(listComments(t, st, p.ID)); n != 0 {
			t.Errorf("the comment listing still has %d", n)
		}
	})
}

func listComments(t *testing.T, st *store.Store, rootID int64) []*model.Post {
	t.Helper()
	page, err := st.Comments(ctx, rootID, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return page.Comments
}
