package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestPostsRoundTripAndTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("network")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		london, _ := time.LoadLocation("Europe/London")
		start := time.Date(2013, 9, 10, 18, 30, 0, 0, london)
		base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		var ids []int64
		for i := range 5 {
			p := &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprintf("t%d", i), Kind: model.KindUpdate, APType: "Note",
				ContentHTML: "<p>hi</p>", InTimeline: true, Published: base.Add(time.Duration(i/2) * time.Hour),
				Tags: []model.Tag{{Tag: "hscleeds", Name: "HSCLeeds"}}}
			if i == 4 {
				p.Kind, p.APType, p.Title = model.KindEvent, "Event", "Tweet Meet"
				p.Event = model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London", Venue: "Tech North", Address: "Chapel Allerton, Leeds"}
				p.Tags = append(p.Tags, model.Tag{Tag: "trulysocial", Name: "TrulySocial"}, model.Tag{Tag: "hscleeds", Name: "HSCLEEDS"})
			}
			if err := s.InsertPost(ctx, s.DB, p); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		ev, err := s.PostByToken(ctx, "t4")
		if err != nil {
			t.Fatal(err)
		}
		if !ev.StartTime.Equal(start) || ev.TimeZone != "Europe/London" || ev.Venue != "Tech North" || len(ev.Tags) != 2 || ev.Author.ID != org.ID {
			t.Errorf("event read back as %+v", ev)
		}

		// Keyset pages over equal published times stay complete and ordered.
		var seen []int64
		var after *store.Cursor
		for {
			page, err := s.Timeline(ctx, store.TimelineFilter{}, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Posts {
				seen = append(seen, p.ID)
			}
			if page.Next == nil {
				break
			}
			after = page.Next
		}
		want := []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}
		if fmt.Sprint(seen) != fmt.Sprint(want) {
			t.Errorf("timeline order %v, want %v", seen, want)
		}
		if page, _ := s.Timeline(ctx, store.TimelineFilter{Tag: "trulysocial"}, nil, 10); len(page.Posts) != 1 || page.Posts[0].ID != ids[4] {
			t.Errorf("tag filter gave %d posts", len(page.Posts))
		}
		if page, _ := s.Timeline(ctx, store.TimelineFilter{Kind: model.KindEvent}, nil, 10); len(page.Posts) != 1 {
			t.Errorf("kind filter gave %d posts", len(page.Posts))
		}

		if err := s.MarkPostDeleted(ctx, s.DB, ev); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountOutboxPosts(ctx, org.ID); n != 4 {
			t.Errorf("outbox count after delete = %d", n)
		}
		gone, _ := s.PostByToken(ctx, "t4")
		if !gone.Deleted() || gone.Title != "" || len(gone.Tags) != 0 {
			t.Errorf("deleted post still has content: %+v", gone)
		}
	})
}

func TestInteractionsCountOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("network")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		r := remote(1)
		if err := s.UpsertRemoteActor(ctx, r); err != nil {
			t.Fatal(err)
		}
		p := &model.Post{AuthorID: org.ID, Local: true, Token: "x", Kind: model.KindUpdate, APType: "Note", Published: time.Now()}
		if err := s.InsertPost(ctx, s.DB, p); err != nil {
			t.Fatal(err)
		}
		like := func(id string) bool {
			added, err := s.AddInteraction(ctx, &model.Interaction{PostID: p.ID, ActorID: r.ID, Type: model.InteractionLike, ActivityIRI: id})
			if err != nil {
				t.Fatal(err)
			}
			return added
		}
		if !like("https://m1.example/likes/1") || like("https://m1.example/likes/1") || like("https://m1.example/likes/2") {
			t.Error("a repeated like was counted")
		}
		got, _ := s.PostByID(ctx, p.ID)
		if got.LikeCount != 1 {
			t.Errorf("like_count = %d", got.LikeCount)
		}
		if removed, _ := s.RemoveInteraction(ctx, r.ID+99, "https://m1.example/likes/1"); removed {
			t.Error("someone else undid the like")
		}
		if removed, _ := s.RemoveInteraction(ctx, r.ID, "https://m1.example/likes/1"); !removed {
			t.Error("undo failed")
		}
		if got, _ = s.PostByID(ctx, p.ID); got.LikeCount != 0 {
			t.Errorf("like_count after undo = %d", got.LikeCount)
		}
	})
}
