package instance_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

func london(t *testing.T, s string) time.Time {
	t.Helper()
	return instancetest.London(t, s)
}

// demoDrafts are one post of each kind, with the seed's facts in our words.
func demoDrafts(t *testing.T) map[string]posts.Draft {
	return instancetest.DemoDrafts(t)
}

func timeline(t *testing.T, inst *instancetest.Running) []*model.Post {
	t.Helper()
	return instancetest.Timeline(t, inst)
}

func byKind(ps []*model.Post) map[string]*model.Post {
	return instancetest.ByKind(ps)
}

// Organisation A publishes one post of each kind; B, which follows A, holds
// each in its combined timeline with full content, kind and event fields;
// an edit and a delete on A show up on B; C, which follows A only
// afterwards, gets A's earlier posts by backfill.
func TestPublishedPostsReachFollowingInstances(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.Postgres)
	c := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	charity := c.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})

	target, err := b.Fetcher.Resolve(bg, "@hscleeds@"+a.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Follows.Follow(bg, hospice, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "B's follow of A", func() bool { return counts(t, b, hospice).Following == 1 })

	published := map[string]*model.Post{}
	for kind, d := range demoDrafts(t) {
		p, err := a.Posts.Publish(bg, network, d)
		if err != nil {
			t.Fatalf("publish %s: %v", kind, err)
		}
		published[kind] = p
	}
	instancetest.Eventually(t, wait, "all four posts in B's timeline", func() bool { return len(byKind(timeline(t, b))) == 4 })
	got := byKind(timeline(t, b))
	for kind, p := range published {
		copy := got[kind]
		// The Markdown travels and is rendered again on B, so hashtags link
		// to B's own tag pages; everything else is the same HTML.
		wantHTML := strings.ReplaceAll(p.ContentHTML, a.URL+"/tags/", b.URL+"/tags/")
		if copy.Title != p.Title || copy.ContentHTML != wantHTML || copy.Source != p.Source || copy.Summary != p.Summary {
			t.Errorf("%s arrived as title %q html %q summary %q; want %q, %q, %q", kind, copy.Title, copy.ContentHTML, copy.Summary, p.Title, wantHTML, p.Summary)
		}
		if copy.IRI != a.URL+"/users/hscleeds/posts/"+p.Token || copy.Author.IRI != a.URL+"/users/hscleeds" {
			t.Errorf("%s: iri %s by %s", kind, copy.IRI, copy.Author.IRI)
		}
	}
	ev := got[model.KindEvent]
	want := published[model.KindEvent]
	if !ev.StartTime.Equal(want.StartTime) || !ev.EndTime.Equal(want.EndTime) || ev.TimeZone != "Europe/London" ||
		ev.Venue != "Tech North" || ev.Address != "Chapel Allerton, Leeds" || ev.BookingURL != "https://tickets.example/tweetmeet" {
		t.Errorf("event fields did not survive: %+v", ev.Event)
	}
	if g := got[model.KindGuidance]; g.Topic != "Social media toolkit" {
		t.Errorf("guidance topic = %q", g.Topic)
	}
	if tags := tagNames(ev); !strings.Contains(tags, "trulysocial") || !strings.Contains(tags, "hscleeds") {
		t.Errorf("event tags = %s", tags)
	}

	// An edit on A reaches B.
	edited := demoDrafts(t)[model.KindGuidance]
	edited.Body += "\n\nUpdated: ask your communications team before you open an account."
	if _, err := a.Posts.Edit(bg, published[model.KindGuidance], edited); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the edit on B", func() bool {
		g := byKind(timeline(t, b))[model.KindGuidance]
		return g != nil && strings.Contains(g.ContentHTML, "communications team") && !g.Updated.IsZero()
	})
	// A delete on A reaches B.
	if err := a.Posts.Delete(bg, published[model.KindUpdate]); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the delete on B", func() bool { return byKind(timeline(t, b))[model.KindUpdate] == nil })

	// C follows A only now, and is filled in from A's outbox.
	target, err = c.Fetcher.Resolve(bg, a.URL+"/users/hscleeds")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Follows.Follow(bg, charity, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "C's backfill of A's three live posts", func() bool { return len(byKind(timeline(t, c))) == 3 })
	if cg := byKind(timeline(t, c))[model.KindGuidance]; !strings.Contains(cg.ContentHTML, "communications team") {
		t.Errorf("backfill brought an old version: %q", cg.ContentHTML)
	}
}

func tagNames(p *model.Post) string {
	var s []string
	for _, t := range p.Tags {
		s = append(s, t.Tag)
	}
	return strings.Join(s, ",")
}

// A Mastodon-shaped follower gets a Create for each kind whose name, summary
// and url read well on their own, with the event's date, time and venue in
// its summary, publicly addressed.
func TestMastodonFollowerGetsReadableCreates(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/hscleeds")); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })
	for _, d := range demoDrafts(t) {
		if _, err := a.Posts.Publish(bg, network, d); err != nil {
			t.Fatal(err)
		}
	}
	instancetest.Eventually(t, wait, "four Creates", func() bool { return len(alice.Received()) == 5 })
	types := map[string]map[string]any{}
	for _, d := range alice.Received()[1:] {
		if d.Activity["type"] != "Create" {
			t.Fatalf("got a %v", d.Activity["type"])
		}
		obj := d.Activity["object"].(map[string]any)
		types[obj["type"].(string)] = obj
		to, _ := d.Activity["to"].([]any)
		cc, _ := d.Activity["cc"].([]any)
		if len(to) == 0 || to[0] != "https://www.w3.org/ns/activitystreams#Public" || len(cc) == 0 || cc[0] != a.URL+"/users/hscleeds/followers" {
			t.Errorf("%v addressed to %v cc %v", obj["type"], to, cc)
		}
		if u, _ := obj["url"].(string); !strings.HasPrefix(u, a.URL+"/users/hscleeds/posts/") {
			t.Errorf("%v url = %v", obj["type"], obj["url"])
		}
		s, hasSummary := obj["summary"].(string)
		if obj["type"] == "Note" {
			// On a Note Mastodon would show a summary as a content warning.
			if hasSummary {
				t.Errorf("the Note carries a summary %q, which Mastodon shows as a content warning", s)
			}
			if c, _ := obj["content"].(string); !strings.Contains(c, "Social Care Curry") {
				t.Errorf("Note content = %q", c)
			}
		} else if s == "" || strings.Contains(s, "<") {
			t.Errorf("%v summary %q is not plain text that stands alone", obj["type"], s)
		}
	}
	for _, typ := range []string{"Article", "Page", "Event", "Note"} {
		if types[typ] == nil {
			t.Errorf("no %s among the Creates", typ)
		}
	}
	ev := types["Event"]
	if ev["name"] != "Next #HSCLeeds Tweet Meet" {
		t.Errorf("event name = %v", ev["name"])
	}
	summary, _ := ev["summary"].(string)
	for _, want := range []string{"Tuesday 10 September 2013", "6:30", "Tech North", "Chapel Allerton"} {
		if !strings.Contains(summary, want) {
			t.Errorf("event summary %q lacks %q", summary, want)
		}
	}
	if art := types["Article"]; art["name"] != "Notes from the third #HSCLeeds Tweet Meet" || !strings.Contains(art["summary"].(string), "cakes") {
		t.Errorf("article name/summary = %v / %v", art["name"], art["summary"])
	}
}

// A reply, a like and a boost from a Mastodon-shaped actor are stored and
// counted; a reply carrying script, javascript: links and event handlers is
// stored harmless; the post's replies collection lists the reply.
func TestRepliesLikesAndBoostsAreCounted(t *testing.T) {
	a := instancetest.Start(t, store.Postgres)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	p, err := a.Posts.Publish(bg, network, demoDrafts(t)[model.KindEvent])
	if err != nil {
		t.Fatal(err)
	}
	postIRI := a.URL + "/users/hscleeds/posts/" + p.Token
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	replyID := alice.ActorID + "/statuses/1"
	reply := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": replyID + "/activity", "type": "Create",
		"actor": alice.ActorID, "to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []any{a.URL + "/users/hscleeds"},
		"object": map[string]any{"id": replyID, "type": "Note", "attributedTo": alice.ActorID, "inReplyTo": postIRI,
			"published": time.Now().UTC().Format(time.RFC3339),
			"content":   `<p>See you there! <script>alert(1)</script><a href="javascript:alert(2)" onclick="alert(3)">cake</a><img src=x onerror=alert(4)></p>`,
			"tag":       map[string]any{"type": "Mention", "href": a.URL + "/users/hscleeds", "name": "@hscleeds@" + a.Domain}}}
	like := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "#likes/1", "type": "Like", "actor": alice.ActorID, "object": postIRI}
	boost := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "/statuses/2/activity", "type": "Announce",
		"actor": alice.ActorID, "object": postIRI, "to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
	for _, act := range []map[string]any{reply, like, boost} {
		if status, msg := alice.Send(t, a.URL+"/inbox", act); status != http.StatusAccepted {
			t.Fatalf("%v: %d %s", act["type"], status, msg)
		}
	}
	var got *model.Post
	instancetest.Eventually(t, wait, "the reply, like and boost to be counted", func() bool {
		got, err = a.Store.PostByID(bg, p.ID)
		return err == nil && got.ReplyCount == 1 && got.LikeCount == 1 && got.AnnounceCount == 1
	})
	thread, err := a.Store.Comments(bg, p.ID, nil, 10)
	comments := thread.Comments
	if err != nil || len(comments) != 1 {
		t.Fatalf("comments = %v, %v", comments, err)
	}
	stored := strings.ToLower(comments[0].ContentHTML)
	for _, bad := range []string{"<script", "javascript:", "onclick", "onerror", "<img"} {
		if strings.Contains(stored, bad) {
			t.Errorf("stored reply still contains %q: %s", bad, stored)
		}
	}
	if !strings.Contains(stored, "see you there!") {
		t.Errorf("the reply's text was lost: %s", stored)
	}
	// The post page shows the reply as inert text.
	page := fetch(t, postIRI, "text/html")
	if page.status != 200 || !strings.Contains(string(page.body), "See you there!") || strings.Contains(strings.ToLower(string(page.body)), "<script") {
		t.Errorf("post page: %d\n%s", page.status, page.body)
	}
	// The object lists the reply in its embedded first page of replies.
	doc := fetchAS(t, postIRI)
	first := doc["replies"].(map[string]any)["first"].(map[string]any)
	if items, _ := first["items"].([]any); len(items) != 1 || items[0] != replyID {
		t.Errorf("replies first page = %v", first)
	}
	undo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "#likes/1/undo", "type": "Undo", "actor": alice.ActorID, "object": like}
	if status, msg := alice.Send(t, a.URL+"/inbox", undo); status != http.StatusAccepted {
		t.Fatalf("undo: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the like to be withdrawn", func() bool {
		got, err = a.Store.PostByID(bg, p.ID)
		return err == nil && got.LikeCount == 0 && got.AnnounceCount == 1
	})
	// A post from someone nobody here follows, not a reply, not a mention, is not kept.
	stray := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "/statuses/3/activity", "type": "Create",
		"actor": alice.ActorID, "object": map[string]any{"id": alice.ActorID + "/statuses/3", "type": "Note", "attributedTo": alice.ActorID, "content": "<p>unrelated</p>"}}
	if status, _ := alice.Send(t, a.URL+"/inbox", stray); status != http.StatusAccepted {
		t.Fatal("stray post refused")
	}
	instancetest.Eventually(t, wait, "the stray post to be processed", func() bool {
		row, err := a.Store.InboxActivityByIRI(bg, alice.ActorID+"/statuses/3/activity")
		return err == nil && !row.ProcessedAt.IsZero()
	})
	if _, err := a.Store.PostByIRI(bg, alice.ActorID+"/statuses/3"); err == nil {
		t.Error("a post from an unfollowed account was stored")
	}
	// alice deletes her account: her comment and boost go, and the counts follow.
	gone := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "#delete", "type": "Delete",
		"actor": alice.ActorID, "object": alice.ActorID, "to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
	if status, msg := alice.Send(t, a.URL+"/inbox", gone); status != http.StatusAccepted {
		t.Fatalf("actor delete: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "alice's comment and boost to go", func() bool {
		got, err = a.Store.PostByID(bg, p.ID)
		return err == nil && got.ReplyCount == 0 && got.AnnounceCount == 0
	})
	if thread, _ := a.Store.Comments(bg, p.ID, nil, 10); len(thread.Comments) != 0 {
		t.Errorf("%d comments remain after their author was deleted", len(thread.Comments))
	}
}

// Every post answers at its id: ActivityStreams JSON to servers, HTML to
// browsers; a deleted post answers 410 with a Tombstone; the outbox lists
// the posts as Creates, newest first.
func TestPostsAnswerAtTheirIDs(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	drafts := demoDrafts(t)
	first, err := a.Posts.Publish(bg, network, drafts[model.KindMeetupNote])
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // published times have second precision
	second, err := a.Posts.Publish(bg, network, drafts[model.KindUpdate])
	if err != nil {
		t.Fatal(err)
	}
	id := a.URL + "/users/hscleeds/posts/" + first.Token
	doc := fetchAS(t, id)
	checkContext(t, doc)
	if doc["type"] != "Article" || doc["name"] != first.Title || doc["attributedTo"] != a.URL+"/users/hscleeds" {
		t.Errorf("object = %v", doc)
	}
	if page := fetch(t, id, "text/html"); page.status != 200 || !strings.Contains(string(page.body), "<h1 id=\"post-title\">Notes from the third #HSCLeeds Tweet Meet</h1>") {
		t.Errorf("HTML at the id: %d", page.status)
	}
	outbox := fetchAS(t, a.URL+"/users/hscleeds/outbox")
	if outbox["totalItems"] != float64(2) {
		t.Errorf("outbox totalItems = %v", outbox["totalItems"])
	}
	items := fetchAS(t, outbox["first"].(string))["orderedItems"].([]any)
	if len(items) != 2 {
		t.Fatalf("outbox items = %v", items)
	}
	newest := items[0].(map[string]any)
	if newest["type"] != "Create" || newest["object"].(map[string]any)["id"] != a.URL+"/users/hscleeds/posts/"+second.Token {
		t.Errorf("outbox newest = %v", newest)
	}
	if err := a.Posts.Delete(bg, first); err != nil {
		t.Fatal(err)
	}
	gone := fetch(t, id, asAccept)
	if gone.status != http.StatusGone || gone.doc["type"] != "Tombstone" || gone.doc["formerType"] != "Article" {
		t.Errorf("deleted post: %d %s", gone.status, gone.body)
	}
	if page := fetch(t, id, "text/html"); page.status != http.StatusGone {
		t.Errorf("deleted post page: %d", page.status)
	}
	if f := fetch(t, a.URL+"/users/hscleeds/posts/nosuchtoken", asAccept); f.status != 404 {
		t.Errorf("unknown post: %d", f.status)
	}
}
