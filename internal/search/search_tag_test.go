package search_test

import (
	"slices"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/search"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// tagged is a handful of posts around the #TweetMeet tag: events with and
// without the tag and the word, an update and a comment with both, and a
// deleted and a hidden event that must never be found.
type tagged struct {
	svc   *search.Service
	s     *store.Store
	posts map[string]*model.Post
}

func seedTagged(t *testing.T, s *store.Store) tagged {
	t.Helper()
	org := &model.Actor{Local: true, Username: "tweetmeet", Type: model.ActorOrganization, Name: "Tweet Meet",
		PublicKeyPEM: "pub", PrivateKeyPEM: "priv", Discoverable: true}
	if err := s.CreateActor(ctx, org); err != nil {
		t.Fatal(err)
	}
	g := tagged{svc: &search.Service{Store: s}, s: s, posts: map[string]*model.Post{}}
	at := time.Date(2014, 3, 1, 18, 0, 0, 0, time.UTC)
	add := func(name, kind, body string, tags ...string) *model.Post {
		at = at.AddDate(0, 0, 1)
		p := &model.Post{AuthorID: org.ID, Local: true, Token: name, Kind: kind, APType: "Article",
			ContentHTML: body, InTimeline: true, Published: at, CreatedAt: at}
		for _, tg := range tags {
			p.Tags = append(p.Tags, model.Tag{Tag: "tweetmeet", Name: tg})
		}
		var err error
		if kind == model.KindComment {
			p.InTimeline, p.ThreadRootID = false, g.posts["festival"].ID
			err = s.InsertComment(ctx, s.DB, p)
		} else {
			err = s.InsertPost(ctx, s.DB, p)
		}
		if err != nil {
			t.Fatal(err)
		}
		g.posts[name] = p
		return p
	}
	add("festival", model.KindEvent, "<p>A festival of social media, in Leeds.</p>", "TweetMeet")
	add("quiet", model.KindEvent, "<p>A quiet evening of social media.</p>", "TweetMeet")
	add("untagged", model.KindEvent, "<p>Another festival, not tagged.</p>")
	add("update", model.KindUpdate, "<p>Photos from the festival: media from the social side.</p>", "TweetMeet")
	add("comment", model.KindComment, "<p>Best festival yet.</p>", "TweetMeet")
	gone := add("gone", model.KindEvent, "<p>A cancelled festival.</p>", "TweetMeet")
	if err := s.MarkPostDeleted(ctx, s.DB, gone); err != nil {
		t.Fatal(err)
	}
	hidden := add("hidden", model.KindEvent, "<p>A private festival.</p>", "TweetMeet")
	hidden.InTimeline = false
	if err := s.UpdatePost(ctx, s.DB, hidden); err != nil {
		t.Fatal(err)
	}
	return g
}

// find names the posts a search finds, sorted.
func (g tagged) find(t *testing.T, r search.Request) []string {
	t.Helper()
	res, err := g.svc.Search(ctx, r)
	if err != nil {
		t.Fatalf("search %+v: %v", r, err)
	}
	var names []string
	for _, h := range res.Hits {
		names = append(names, h.Post.Token)
	}
	slices.Sort(names)
	return names
}

func (g tagged) expect(t *testing.T, r search.Request, want ...string) {
	t.Helper()
	if got := g.find(t, r); !slices.Equal(got, want) {
		t.Errorf("search %+v: found %v, want %v", r, got, want)
	}
}

// A tag, a kind and a word together find exactly the posts with all
// three, on both databases, whichever way the store reads them.
func TestSearchTagKindAndWord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		g := seedTagged(t, s)
		g.expect(t, search.Request{Text: "festival", Tag: "#TweetMeet", Kind: model.KindEvent}, "festival")
		g.expect(t, search.Request{Text: "festival", Tag: "tweetmeet"}, "comment", "festival", "update")
		g.expect(t, search.Request{Text: "festival", Tag: "tweetmeet", Kind: model.KindComment}, "comment")
		g.expect(t, search.Request{Text: "festival", Tag: "tweetmeet", Kind: model.KindUpdate}, "update")
		g.expect(t, search.Request{Text: "festival", Tag: "tweetmeet", Kind: model.KindGuidance})
		g.expect(t, search.Request{Text: "festival", Tag: "elsewhere"})
		g.expect(t, search.Request{Text: "social or best", Tag: "tweetmeet"}, "comment", "festival", "quiet", "update")
		g.expect(t, search.Request{Text: "festival -leeds", Tag: "tweetmeet", Kind: model.KindEvent})
		g.expect(t, search.Request{Text: `"social media"`, Tag: "tweetmeet"}, "festival", "quiet")
		g.expect(t, search.Request{Text: "festival", Tag: "tweetmeet", From: "2014-03-05", To: "2014-03-06"}, "comment", "update")
	})
}

// A phrase finds the words next to each other and in order, not merely
// both words: the update has both, the other way round.
func TestSearchPhraseNeedsTheWordsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		g := seedTagged(t, s)
		g.expect(t, search.Request{Text: `"social media"`}, "festival", "quiet")
		g.expect(t, search.Request{Text: `"media social"`})
		g.expect(t, search.Request{Text: `social media`}, "festival", "quiet", "update")
		g.expect(t, search.Request{Text: `"social media"`, Kind: model.KindEvent}, "festival", "quiet")
		g.expect(t, search.Request{Text: `"social media" -quiet`}, "festival")
	})
}

// What a tag filter reads is kept in step with the post: an edit that
// changes the kind or the tags, and a delete, show at once.
func TestSearchTagFollowsEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		g := seedTagged(t, s)
		events := search.Request{Text: "festival", Tag: "tweetmeet", Kind: model.KindEvent}
		updates := search.Request{Text: "festival", Tag: "tweetmeet", Kind: model.KindUpdate}

		p := g.posts["festival"]
		p.Kind = model.KindUpdate
		if err := s.UpdatePost(ctx, s.DB, p); err != nil {
			t.Fatal(err)
		}
		g.expect(t, events)
		g.expect(t, updates, "festival", "update")

		p.Kind, p.Tags = model.KindEvent, nil
		if err := s.UpdatePost(ctx, s.DB, p); err != nil {
			t.Fatal(err)
		}
		g.expect(t, events)
		g.expect(t, search.Request{Text: "festival", Kind: model.KindEvent}, "festival", "untagged")

		u := g.posts["untagged"]
		u.Tags = []model.Tag{{Tag: "tweetmeet", Name: "TweetMeet"}}
		if err := s.UpdatePost(ctx, s.DB, u); err != nil {
			t.Fatal(err)
		}
		g.expect(t, events, "untagged")

		if err := s.MarkPostDeleted(ctx, s.DB, u); err != nil {
			t.Fatal(err)
		}
		g.expect(t, events)
		g.expect(t, search.Request{Text: "festival", Tag: "tweetmeet"}, "comment", "update")
	})
}
