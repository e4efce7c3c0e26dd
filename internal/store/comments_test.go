package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Thread pages walk forwards and back over comments that share a published
// time, each comment once, and skip deleted ones; the counter follows the
// inserts and removals, a repeated removal counting once.
func TestThreadPagesAndReplyCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("network")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		r := remote(1)
		if err := s.UpsertRemoteActor(ctx, r); err != nil {
			t.Fatal(err)
		}
		root := &model.Post{AuthorID: org.ID, Local: true, Token: "root", Kind: model.KindUpdate, APType: "Note", Published: time.Now()}
		if err := s.InsertPost(ctx, s.DB, root); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		var all []*model.Post
		for i := range 8 {
			c := &model.Post{AuthorID: r.ID, IRI: fmt.Sprintf("https://m1.example/notes/%d", i), Kind: model.KindComment,
				APType: "Note", ThreadRootID: root.ID, Published: at.Add(time.Duration(i/3) * time.Second)}
			if err := s.InsertComment(ctx, s.DB, c); err != nil {
				t.Fatal(err)
			}
			all = append(all, c)
		}
		for range 2 {
			if _, err := s.RemoveComment(ctx, s.DB, all[7]); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.PostByID(ctx, root.ID); got.ReplyCount != 7 {
			t.Errorf("reply_count = %d, want 7", got.ReplyCount)
		}
		ids := func(cs []*model.Post) (out []int64) {
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		want := ids(all[:7])
		var pages []store.CommentPage
		page, err := s.Comments(ctx, root.ID, nil, 3)
		for err == nil {
			pages = append(pages, page)
			if page.Newer == nil {
				break
			}
			page, err = s.Comments(ctx, root.ID, page.Newer, 3)
		}
		if err != nil {
			t.Fatal(err)
		}
		var forward []int64
		for _, p := range pages {
			forward = append(forward, ids(p.Comments)...)
		}
		if !slices.Equal(forward, want) || len(pages) != 3 || pages[0].Older != nil {
			t.Fatalf("forward pages %v over %d pages, want %v", forward, len(pages), want)
		}
		var backward []int64
		for i := len(pages) - 1; i > 0; i-- {
			back, err := s.CommentsBefore(ctx, root.ID, *pages[i].Older, 3)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(back.Comments), ids(pages[i-1].Comments)) || (back.Older == nil) != (i == 1) {
				t.Errorf("back from page %d: %v, older %v", i+1, ids(back.Comments), back.Older)
			}
			backward = append(ids(back.Comments), backward...)
		}
		if !slices.Equal(backward, want[:6]) {
			t.Errorf("backward pages %v", backward)
		}
	})
}
