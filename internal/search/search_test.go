package search_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/search"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var ctx = context.Background()

// network is a small #HSCLeeds network after the seed's write-up of the
// August 2013 Tweet Meet, told in our own words: two organisations here,
// posts of every kind, a comment, a deleted post and a hidden one.
type network struct {
	trust, hospice *model.Actor
	posts          map[string]*model.Post
}

func seedNetwork(t *testing.T, s *store.Store) network {
	t.Helper()
	n := network{posts: map[string]*model.Post{}}
	org := func(username, name string) *model.Actor {
		a := &model.Actor{Local: true, Username: username, Type: model.ActorOrganization, Name: name,
			PublicKeyPEM: "pub", PrivateKeyPEM: "priv", Discoverable: true}
		if err := s.CreateActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	n.trust = org("leedstrust", "Leeds Teaching Hospitals")
	n.hospice = org("stgemmas", "St Gemma's Hospice")
	day := time.Date(2013, 8, 2, 12, 0, 0, 0, time.UTC)
	add := func(name string, author *model.Actor, kind, title, summary, body string, published time.Time, tags ...string) *model.Post {
		p := &model.Post{AuthorID: author.ID, Local: true, Token: name, Kind: kind, APType: "Article", Title: title,
			Summary: summary, ContentHTML: body, InTimeline: true, Published: published, CreatedAt: published}
		for _, tg := range tags {
			p.Tags = append(p.Tags, model.Tag{Tag: strings.ToLower(tg), Name: tg})
		}
		if kind == model.KindComment {
			p.InTimeline, p.ThreadRootID = false, n.posts["notes"].ID
			if err := s.InsertComment(ctx, s.DB, p); err != nil {
				t.Fatal(err)
			}
		} else if err := s.InsertPost(ctx, s.DB, p); err != nil {
			t.Fatal(err)
		}
		n.posts[name] = p
		return p
	}
	add("notes", n.trust, model.KindMeetupNote, "Third tweet meet, with cake",
		"Notes from the August meeting of the network.",
		"<p>We met over three kinds of cake and talked about how groups across the city could support each other.</p>",
		day, "HSCLeeds")
	add("toolkit", n.trust, model.KindGuidance, "Social media toolkit for staff",
		"Advice for staff using social media at work.",
		"<p>A <strong>toolkit</strong> that explains good social media sense: what to share, and what not to.</p>",
		day.Add(24*time.Hour), "HSCLeeds", "guidance")
	add("meetup", n.hospice, model.KindEvent, "Next tweet meet at Tech North",
		"Our next meetup is in Chapel Allerton.",
		"<p>Join us on a Tuesday evening in September; bring questions about social media.</p>",
		day.AddDate(0, 1, 0), "HSCLeeds")
	add("followers", n.hospice, model.KindUpdate, "",
		"", "<p>Our page has passed six thousand followers. Thank you, and see you at the next meeting!</p>",
		day.AddDate(0, 2, 0))
	add("reply", n.hospice, model.KindComment, "",
		"", "<p>Lovely cake, and a useful conversation about a shared website &amp; guidance.</p>",
		day.Add(2*time.Hour))
	add("script", n.hospice, model.KindUpdate, "",
		"", "<p>Beware of &lt;script&gt;alert(1)&lt;/script&gt; in a festival post.</p>",
		day.AddDate(0, 2, 1))
	gone := add("gone", n.trust, model.KindUpdate, "", "", "<p>A deleted note about the festival and the toolkit.</p>", day.AddDate(0, 3, 0))
	if err := s.MarkPostDeleted(ctx, s.DB, gone); err != nil {
		t.Fatal(err)
	}
	hidden := add("hidden", n.trust, model.KindUpdate, "", "", "<p>A followers-only toolkit.</p>", day.AddDate(0, 3, 1))
	hidden.InTimeline = false
	if _, err := s.DB.NewUpdate().Model(hidden).Column("in_timeline").WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return n
}

// found runs a search and names the posts found, best first.
func found(t *testing.T, svc *search.Service, n network, r search.Request) []string {
	t.Helper()
	res, err := svc.Search(ctx, r)
	if err != nil {
		t.Fatalf("search %+v: %v", r, err)
	}
	var names []string
	for _, h := range res.Hits {
		for name, p := range n.posts {
			if p.ID == h.Post.ID {
				names = append(names, name)
			}
		}
	}
	return names
}

func TestSearchRelevanceAndFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		n := seedNetwork(t, s)
		svc := &search.Service{Store: s}
		cases := []struct {
			name    string
			req     search.Request
			want    []string // in this order when ordered, else as a set
			ordered bool
		}{
			{"the toolkit finds the guidance page first", search.Request{Text: "toolkit"}, []string{"toolkit"}, true},
			// "meet" is the stem of both.
			{"meetings finds meeting, stemmed", search.Request{Text: "meetings"}, []string{"notes", "followers", "meetup"}, false},
			{"an organisation narrows", search.Request{Text: "meetings", OrgID: n.hospice.ID}, []string{"followers", "meetup"}, false},
			{"a comment belongs to the organisation it answers", search.Request{Text: "cake", OrgID: n.trust.ID}, []string{"notes", "reply"}, false},
			{"kind: comments", search.Request{Text: "cake", Kind: model.KindComment}, []string{"reply"}, true},
			{"kind: events", search.Request{Text: "social media", Kind: model.KindEvent}, []string{"meetup"}, true},
			{"tag", search.Request{Text: "social media", Tag: "#Guidance"}, []string{"toolkit"}, true},
			{"dates", search.Request{Text: "social", From: "2013-09-01", To: "2013-09-30"}, []string{"meetup"}, true},
			{"a phrase", search.Request{Text: `"tech north"`}, []string{"meetup"}, true},
			{"or", search.Request{Text: "toolkit or followers"}, []string{"toolkit", "followers"}, false},
			{"minus", search.Request{Text: "cake -website"}, []string{"notes"}, true},
			{"deleted and hidden posts are never found", search.Request{Text: "festival"}, []string{"script"}, true},
		}
		for _, c := range cases {
			got := found(t, svc, n, c.req)
			if !c.ordered {
				slices.Sort(got)
				slices.Sort(c.want)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: found %v, want %v", c.name, got, c.want)
			}
		}
	})
}

// Whatever is typed, a search answers without an error: nothing the
// reader types reaches either database's query syntax.
func TestSearchHostileInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seedNetwork(t, s)
		svc := &search.Service{Store: s}
		for _, in := range []string{`"`, `*`, `NEAR(`, `-`, `--`, `-"`, `""`, `OR`, `or or`, `toolkit OR`, `AND NOT`,
			`NEAR(toolkit staff, 2)`, `title:toolkit`, `^toolkit`, `toolkit*`, `(toolkit`, `)`, `'`, `\`, `!toolkit`,
			`toolkit & | !`, "\x00toolkit", "tool\u0301kit", `"unterminated toolkit`, `-toolkit`, `{title}: x`,
			strings.Repeat("toolkit ", 500), `; DROP TABLE posts; --`, "\uE000toolkit\uE001"} {
			if _, err := svc.Search(ctx, search.Request{Text: in}); err != nil {
				t.Errorf("search %q: %v", in, err)
			}
		}
		for _, in := range []string{`toolkit*`, `(toolkit`, `toolkit OR`, `toolkit -`, "\uE000toolkit\uE001"} {
			if got := found(t, svc, seedNetworkNames(t, s), search.Request{Text: in}); len(got) == 0 {
				t.Errorf("search %q found nothing; the word toolkit is in it", in)
			}
		}
	})
}

// seedNetworkNames reads back the seeded posts by token, for searches run
// on a store seeded earlier in the test.
func seedNetworkNames(t *testing.T, s *store.Store) network {
	t.Helper()
	var ps []*model.Post
	if err := s.DB.NewSelect().Model(&ps).Where("token IS NOT NULL").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	n := network{posts: map[string]*model.Post{}}
	for _, p := range ps {
		n.posts[p.Token] = p
	}
	return n
}

// Snippets mark the matched words and escape everything else, including a
// post's own markup.
func TestSearchSnippetsAreEscaped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seedNetwork(t, s)
		svc := &search.Service{Store: s}
		res, err := svc.Search(ctx, search.Request{Text: "festival"})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("festival: %v, %d hits", err, len(res.Hits))
		}
		got := res.Hits[0].SnippetHTML
		if !strings.Contains(got, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(got, "<script") {
			t.Errorf("snippet %q does not show the script escaped", got)
		}
		if !strings.Contains(got, "<mark>festival</mark>") {
			t.Errorf("snippet %q does not mark the word", got)
		}
		res, err = svc.Search(ctx, search.Request{Text: "website"})
		if err != nil || len(res.Hits) != 1 || !strings.Contains(res.Hits[0].SnippetHTML, "<mark>website</mark> &amp; guidance") {
			t.Errorf("website: %v, %+v", err, res.Hits)
		}
	})
}

// Pages of 20 follow one another without repeats, and stop.
func TestSearchPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := &model.Actor{Local: true, Username: "volition", Type: model.ActorOrganization, Name: "Volition", PublicKeyPEM: "p", PrivateKeyPEM: "k"}
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		base := time.Date(2013, 9, 5, 19, 0, 0, 0, time.UTC)
		var ps []*model.Post
		for i := range 45 {
			ps = append(ps, &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprint("c", i), Kind: model.KindUpdate, APType: "Note",
				ContentHTML: fmt.Sprintf("<p>Social care curry, note %d</p>", i), InTimeline: true, Published: base.Add(time.Duration(i) * time.Minute)})
		}
		if err := s.InsertPosts(ctx, s.DB, ps); err != nil {
			t.Fatal(err)
		}
		svc := &search.Service{Store: s}
		seen := map[int64]bool{}
		for page, want := range []int{20, 20, 5} {
			res, err := svc.Search(ctx, search.Request{Text: "curry", Page: page + 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != want || res.More != (page < 2) {
				t.Fatalf("page %d: %d hits, more %v", page+1, len(res.Hits), res.More)
			}
			for _, h := range res.Hits {
				if seen[h.Post.ID] {
					t.Fatalf("post %d on two pages", h.Post.ID)
				}
				seen[h.Post.ID] = true
			}
		}
		if _, err := svc.Search(ctx, search.Request{Text: "curry", Page: search.MaxPage + 1}); err == nil {
			t.Error("a page past the last one answered")
		}
	})
}
