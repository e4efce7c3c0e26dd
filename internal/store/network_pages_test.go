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

// A network's lists hold the timeline posts of its accepted members, local
// and remote, and nothing of organisations that only asked to join, of
// non-members, deleted posts or comments: the timeline newest first over
// its pages, each post once; the upcoming events soonest first; the
// guidance library by topic.
func TestNetworkLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		net := localOrg("leeds")
		net.Type = model.ActorGroup
		member, asking, outsider := localOrg("volition"), localOrg("asking"), localOrg("trust")
		for _, a := range []*model.Actor{net, member, asking, outsider} {
			if err := s.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		far := remote(1)
		if err := s.UpsertRemoteActor(ctx, far); err != nil {
			t.Fatal(err)
		}
		for id, state := range map[int64]string{member.ID: model.NetworkStateMember, far.ID: model.NetworkStateMember, asking.ID: model.NetworkStateRequested} {
			if _, err := s.AddNetworkMember(ctx, s.DB, net.ID, id, state); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now().UTC().Truncate(time.Second)
		var want []int64 // the network's timeline, oldest first
		add := func(author *model.Actor, i int, kind string, edit func(*model.Post)) *model.Post {
			p := &model.Post{AuthorID: author.ID, Local: author.Local, Kind: kind, APType: "Note", Title: fmt.Sprint("post ", i),
				ContentHTML: "<p>hi</p>", InTimeline: kind != model.KindComment, Published: now.Add(time.Duration(i/2-20) * time.Hour)}
			if author.Local {
				p.Token = fmt.Sprint("t", i)
			} else {
				p.IRI = fmt.Sprintf("%s/posts/%d", author.IRI, i)
			}
			if edit != nil {
				edit(p)
			}
			if err := s.InsertPosts(ctx, s.DB, []*model.Post{p}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		for i := range 24 {
			author := []*model.Actor{member, far, asking, outsider}[i%4]
			p := add(author, i, model.KindUpdate, nil)
			if author == member || author == far {
				want = append(want, p.ID)
			}
		}
		// A comment by a member and a deleted post are on no list.
		add(member, 100, model.KindComment, nil)
		gone := add(member, 101, model.KindUpdate, nil)
		if err := s.MarkPostDeleted(ctx, s.DB, gone); err != nil {
			t.Fatal(err)
		}
		var got []int64
		var after *store.Cursor
		for range 20 {
			page, err := s.NetworkTimeline(ctx, net.ID, "", after, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Posts {
				got = append(got, p.ID)
			}
			if after = page.Next; after == nil {
				break
			}
		}
		slices.Reverse(want)
		if !slices.Equal(got, want) {
			t.Errorf("network timeline = %v\nwant %v", got, want)
		}

		event := func(author *model.Actor, i int, start time.Time) *model.Post {
			return add(author, i, model.KindEvent, func(p *model.Post) {
				p.StartTime, p.EndTime, p.TimeZone = start, start.Add(time.Hour), "Europe/London"
			})
		}
		later := event(far, 200, now.Add(48*time.Hour))
		sooner := event(member, 201, now.Add(24*time.Hour))
		event(outsider, 202, now.Add(36*time.Hour))
		event(asking, 203, now.Add(30*time.Hour))
		event(member, 204, now.Add(-24*time.Hour)) // over
		page, err := s.NetworkUpcomingEvents(ctx, net.ID, now, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if ids := postIDs(page.Posts); !slices.Equal(ids, []int64{sooner.ID, later.ID}) {
			t.Errorf("network's upcoming events = %v, want %v", ids, []int64{sooner.ID, later.ID})
		}

		guide := func(author *model.Actor, i int, topic string) *model.Post {
			return add(author, i, model.KindGuidance, func(p *model.Post) { p.Topic = topic })
		}
		b := guide(member, 300, "Beta")
		a := guide(far, 301, "alpha")
		guide(outsider, 302, "Alpha")
		guide(asking, 303, "Beta")
		lib, err := s.NetworkGuidanceByTopic(ctx, net.ID, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		var shelves []string
		for _, topic := range lib.Topics {
			shelves = append(shelves, fmt.Sprint(topic.Topic, postIDs(topic.Posts)))
		}
		if want := []string{fmt.Sprint("alpha", []int64{a.ID}), fmt.Sprint("Beta", []int64{b.ID})}; !slices.Equal(shelves, want) {
			t.Errorf("network's library = %v, want %v", shelves, want)
		}
		// The whole instance's lists still hold everyone's.
		all, err := s.UpcomingEventsPage(ctx, now, nil, 10)
		if err != nil || len(all.Posts) != 4 {
			t.Errorf("instance's upcoming events: %d, %v", len(all.Posts), err)
		}
	})
}

func postIDs(ps []*model.Post) []int64 {
	ids := make([]int64, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}
