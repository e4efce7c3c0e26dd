package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestEventQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("network")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
		event := func(token string, start time.Time, inTimeline bool) *model.Post {
			p := &model.Post{AuthorID: org.ID, Local: true, Token: token, Kind: model.KindEvent, APType: "Event",
				Title: token, InTimeline: inTimeline, Published: now.Add(-48 * time.Hour),
				Event: model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London", Venue: "Tech North"}}
			if err := s.InsertPost(ctx, s.DB, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		later := event("later", now.Add(72*time.Hour), true)
		soon := event("soon", now.Add(24*time.Hour), true)
		running := event("running", now.Add(-time.Hour), true) // ends in an hour: still upcoming
		old := event("old", now.Add(-30*24*time.Hour), true)
		older := event("older", now.Add(-60*24*time.Hour), true)
		event("hidden", now.Add(24*time.Hour), false)
		gone := event("gone", now.Add(24*time.Hour), true)
		if err := s.MarkPostDeleted(ctx, s.DB, gone); err != nil {
			t.Fatal(err)
		}

		up, err := s.UpcomingEvents(ctx, now, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(up); got != fmt.Sprint([]string{running.Title, soon.Title, later.Title}) {
			t.Errorf("upcoming = %s", got)
		}
		p1, err := s.PastEvents(ctx, now, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		if titles(p1.Posts) != "[old]" || p1.Next == nil {
			t.Fatalf("past page 1 = %s next %v", titles(p1.Posts), p1.Next)
		}
		p2, err := s.PastEvents(ctx, now, p1.Next, 1)
		if err != nil {
			t.Fatal(err)
		}
		if titles(p2.Posts) != "[older]" || p2.Next != nil {
			t.Errorf("past page 2 = %s next %v", titles(p2.Posts), p2.Next)
		}
		if e, err := s.EventByID(ctx, old.ID); err != nil || e.Venue != "Tech North" || e.Author == nil {
			t.Errorf("event by id = %+v, %v", e, err)
		}
		if _, err := s.EventByID(ctx, gone.ID); err == nil {
			t.Error("a deleted event was found")
		}
		_ = older
	})
}

func TestGuidanceByTopic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("trust")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		base := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
		for i, g := range []struct{ title, topic string }{
			{"Toolkit v1", "social media toolkit"}, {"Loose note", ""}, {"Consent", "Confidentiality"}, {"Toolkit v2", "social media toolkit"},
		} {
			p := &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprint("g", i), Kind: model.KindGuidance, APType: "Article",
				Title: g.title, Topic: g.topic, InTimeline: true, Published: base.Add(time.Duration(i) * time.Hour)}
			if err := s.InsertPost(ctx, s.DB, p); err != nil {
				t.Fatal(err)
			}
		}
		page, err := s.GuidanceByTopic(ctx, nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		if page.Next != nil {
			t.Errorf("a page of 100 has a next page: %+v", page.Next)
		}
		var got []string
		for _, tp := range page.Topics {
			got = append(got, tp.Topic+":"+titles(tp.Posts))
		}
		want := []string{"Confidentiality:[Consent]", "social media toolkit:[Toolkit v2 Toolkit v1]", ":[Loose note]"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("topics = %q, want %q", got, want)
		}
	})
}

// Paging through the library a few at a time gives the same guidance in
// the same order as one page: across topics that differ only in case,
// revision ties broken by id, and into the untopicked guidance at the end.
func TestGuidancePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("trust")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		base := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
		topics := []string{"Photography", "photography", "", "Accessibility", "Zines", ""}
		for i := range 40 {
			p := &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprint("g", i), Kind: model.KindGuidance, APType: "Article",
				Title: fmt.Sprint("G", i), Topic: topics[i%len(topics)], InTimeline: true,
				Published: base.Add(time.Duration(i/3) * time.Hour)} // threes share a time
			if i%7 == 0 {
				p.Updated = base.Add(100 * time.Hour)
			}
			if err := s.InsertPost(ctx, s.DB, p); err != nil {
				t.Fatal(err)
			}
		}
		flatten := func(ts []store.GuidanceTopic) (out []string) {
			for _, tp := range ts {
				for _, p := range tp.Posts {
					out = append(out, tp.Topic+"/"+p.Title)
				}
			}
			return out
		}
		whole, err := s.GuidanceByTopic(ctx, nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := flatten(whole.Topics)
		if len(want) != 40 {
			t.Fatalf("one page holds %d of 40", len(want))
		}
		var got []string
		var after *store.GuidanceCursor
		for pages := 0; ; pages++ {
			if pages > 40 {
				t.Fatal("paging does not end")
			}
			page, err := s.GuidanceByTopic(ctx, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, flatten(page.Topics)...)
			if page.Next == nil {
				break
			}
			// The cursor goes through a URL, which keeps times to the second.
			after = &store.GuidanceCursor{Topic: page.Next.Topic, Revised: page.Next.Revised.Truncate(time.Second), ID: page.Next.ID}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("paged:\n%q\nwhole:\n%q", got, want)
		}
		var shelves []string // topics in order; the two spellings of photography in collation order
		for _, tp := range whole.Topics {
			shelves = append(shelves, tp.Topic)
		}
		if len(shelves) != 5 || shelves[0] != "Accessibility" || strings.ToLower(shelves[1]+shelves[2]) != "photographyphotography" ||
			shelves[1] == shelves[2] || shelves[3] != "Zines" || shelves[4] != "" {
			t.Errorf("shelves = %q", shelves)
		}
	})
}

func titles(ps []*model.Post) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Title)
	}
	return fmt.Sprint(s)
}
