package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Readers of a post: one inbox per server, the latest, no more servers
// than the cap, listed for the post only, forgotten on demand and with the
// post itself.
func TestPostReaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("stgemmas")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		var posts []*model.Post
		for _, token := range []string{"one", "two"} {
			p := &model.Post{AuthorID: org.ID, Local: true, Token: token, Kind: model.KindUpdate, APType: "Note", Published: time.Now()}
			if err := s.InsertPost(ctx, s.DB, p); err != nil {
				t.Fatal(err)
			}
			posts = append(posts, p)
		}
		one, two := posts[0].ID, posts[1].ID

		record := func(post int64, inbox string, max int, want bool) {
			t.Helper()
			host := strings.Split(inbox, "/")[2]
			if rec, err := s.RecordPostReader(ctx, post, host, inbox, max); err != nil || rec != want {
				t.Fatalf("record %s on %d (cap %d) = %v, %v; want %v", inbox, post, max, rec, err, want)
			}
		}
		record(one, "https://m1.example/users/u1/inbox", 2, true)
		record(one, "https://m1.example/users/u1/inbox", 2, false) // known
		record(one, "https://m1.example/users/u9/inbox", 2, true)  // the same server's latest signer
		record(one, "https://m2.example/inbox", 2, true)
		record(one, "https://m3.example/inbox", 2, false) // the cap
		record(two, "https://m3.example/inbox", 2, true)  // another post's own cap

		if got, err := s.PostReaderInboxes(ctx, s.DB, one); err != nil ||
			!slices.Equal(got, []string{"https://m1.example/users/u9/inbox", "https://m2.example/inbox"}) {
			t.Errorf("readers of one = %v, %v", got, err)
		}
		if err := s.DeletePostReaders(ctx, s.DB, one); err != nil {
			t.Fatal(err)
		}
		if got, err := s.PostReaderInboxes(ctx, s.DB, one); err != nil || len(got) != 0 {
			t.Errorf("readers of one after forgetting = %v, %v", got, err)
		}
		if got, err := s.PostReaderInboxes(ctx, s.DB, two); err != nil || !slices.Equal(got, []string{"https://m3.example/inbox"}) {
			t.Errorf("readers of two = %v, %v", got, err)
		}

		// The rows go with the post.
		if _, err := s.DB.NewDelete().Model((*model.Post)(nil)).Where("id = ?", two).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DB.NewSelect().Table("post_readers").Count(ctx); err != nil || n != 0 {
			t.Errorf("%d reader rows left after the post went, %v", n, err)
		}
	})
}
