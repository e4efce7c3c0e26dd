package instance_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// /search over HTTP on both databases: the guidance page found by a word
// of it, with the word marked and the post's own markup escaped; odd input
// answered, not failed; a filter narrowing; pages linked both ways; and
// the search box in every page's header.
func TestSearchPageOverHTTP(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
			hospice := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			publish := func(org *model.Actor, d posts.Draft) *model.Post {
				p, err := a.Posts.Publish(bg, org, d)
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			guide := publish(network, posts.Draft{Kind: model.KindGuidance, Title: "Social media toolkit for staff",
				Body: "A toolkit of good social media sense; beware of `<script>` tricks. #HSCLeeds"})
			publish(hospice, posts.Draft{Kind: model.KindUpdate, Body: "Thank you for a good meeting over cake."})
			publish(network, posts.Draft{Kind: model.KindMeetupNote, Title: "Third Tweet Meet", Body: "At this meeting we ate three cakes."})

			_, page := get(t, a.URL+"/search?q=toolkit")
			link := fmt.Sprintf(`/users/hscleeds/posts/%s"`, guide.Token)
			for _, want := range []string{link, "<mark>toolkit</mark>", "&lt;script&gt;", `role="status"`, "1 result for “toolkit”", "Guidance", "HSC Leeds"} {
				if !strings.Contains(page, want) {
					t.Errorf("the results for toolkit lack %s:\n%s", want, page)
				}
			}
			if strings.Contains(page, "<script>") {
				t.Error("a post's <script> reached the page unescaped")
			}
			_, page = get(t, a.URL+"/search?q=meetings")
			if !strings.Contains(page, "2 results for “meetings”") {
				t.Errorf("meetings does not find both posts about a meeting:\n%s", page)
			}
			_, page = get(t, a.URL+fmt.Sprintf("/search?q=meetings&org=%d", hospice.ID))
			if !strings.Contains(page, "1 result for “meetings”") || !strings.Contains(page, "St Gemma") {
				t.Errorf("the hospice filter does not narrow to its post:\n%s", page)
			}
			for _, q := range []string{`"`, `*`, `NEAR(`, `-`, `OR`, `toolkit -`} {
				if status, body := get(t, a.URL+"/search?q="+url.QueryEscape(q)); status != http.StatusOK {
					t.Errorf("search %q: %d\n%s", q, status, body)
				}
			}
			if status, _ := get(t, a.URL+"/search?q=cake&kind=recipe"); status != http.StatusBadRequest {
				t.Errorf("an unknown kind answered %d, want 400", status)
			}

			var many []*model.Post
			for i := range 25 {
				many = append(many, &model.Post{AuthorID: hospice.ID, Local: true, Token: fmt.Sprint("curry", i), Kind: model.KindUpdate,
					APType: "Note", ContentHTML: fmt.Sprintf("<p>Social care curry at the Mumtaz, table %d</p>", i), InTimeline: true,
					Published: time.Date(2013, 9, 5, 19, i, 0, 0, time.UTC)})
			}
			if err := a.Store.InsertPosts(bg, a.Store.DB, many); err != nil {
				t.Fatal(err)
			}
			_, first := get(t, a.URL+"/search?q=curry")
			if !strings.Contains(first, "20 results for “curry”, 1 to 20; more on the next page.") || !strings.Contains(first, `rel="next"`) {
				t.Fatalf("the first page of curry:\n%s", first)
			}
			_, second := get(t, a.URL+"/search?page=2&q=curry")
			if !strings.Contains(second, "5 results for “curry”, 21 to 25.") || !strings.Contains(second, `rel="prev"`) || strings.Contains(second, `rel="next"`) {
				t.Errorf("the second page of curry:\n%s", second)
			}
			for _, path := range []string{"/", "/events", "/guidance", "/@hscleeds", "/users/hscleeds/posts/" + guide.Token, "/login"} {
				if _, body := get(t, a.URL+path); !strings.Contains(body, `<form class="site-search" method="get" action="/search" role="search"`) {
					t.Errorf("%s has no search box in its header", path)
				}
			}
		})
	}
}

// An admin's search for a handle on a second instance offers the account
// with a Follow button that works; a search for one of its posts by URL
// brings the post here once the account is followed. A reader's search
// for the same handle fetches nothing.
func TestAdminSearchLooksUpAnotherInstance(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	addAccount(t, a, "admin@hscleeds.example", "admin", network)
	b := instancetest.Start(t, store.SQLite)
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	start := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Hour)
	post, err := b.Posts.Publish(bg, hospice, posts.Draft{Kind: model.KindEvent, Title: "Leeds Digital Festival stall",
		Body:  "Find our hospice's stall at the digital festival in October.",
		Event: model.Event{StartTime: start, EndTime: start.Add(3 * time.Hour), TimeZone: "Europe/London", Venue: "Leeds"}})
	if err != nil {
		t.Fatal(err)
	}
	handle := "@stgemmas@" + b.Domain
	actorIRI := b.URL + "/users/stgemmas"
	postURL := b.URL + "/users/stgemmas/posts/" + post.Token

	_, page := get(t, a.URL+"/search?q="+url.QueryEscape(handle))
	if strings.Contains(page, "Follow as") {
		t.Errorf("a reader was offered a follow:\n%s", page)
	}
	if _, err := a.Store.RemoteActorByIRI(bg, actorIRI); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a reader's search fetched the account (err %v)", err)
	}

	admin := newBrowser(t, a.URL)
	if resp, body := admin.login("admin@hscleeds.example", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	_, page = admin.get("/search?q=" + url.QueryEscape(postURL))
	if !strings.Contains(page, "Leeds Digital Festival stall") || !strings.Contains(page, "This post is not kept here") {
		t.Errorf("the post's URL, its author not followed, does not show the post as not kept:\n%s", page)
	}
	_, page = admin.get("/search?q=" + url.QueryEscape(handle))
	remote, err := a.Store.RemoteActorByIRI(bg, actorIRI)
	if err != nil {
		t.Fatalf("the admin's search did not fetch the account: %v", err)
	}
	if !strings.Contains(page, handle) || !strings.Contains(page, "Follow as HSC Leeds") ||
		!strings.Contains(page, fmt.Sprintf(`name="target" value="%d"`, remote.ID)) {
		t.Fatalf("the admin's search does not offer to follow %s:\n%s", handle, page)
	}
	m := csrfToken.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF field in the follow form")
	}
	resp, body := admin.post("/admin/following", url.Values{"csrf_token": {m[1]}, "org": {"hscleeds"},
		"target": {fmt.Sprint(remote.ID)}, "action": {"follow"}, "back": {"/admin/follows?org=hscleeds&list=sent"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow from the search page: %d %s", resp.StatusCode, body)
	}
	instancetest.Eventually(t, wait, "the follow to be accepted", func() bool { return counts(t, a, network).Following == 1 })

	_, page = admin.get("/search?q=" + url.QueryEscape(postURL))
	if !strings.Contains(page, "This post is now kept here") {
		t.Errorf("the post's URL, its author followed, does not bring the post here:\n%s", page)
	}
	if _, err := a.Store.PostByIRI(bg, postURL); err != nil {
		t.Fatalf("the post is not stored: %v", err)
	}
	_, page = get(t, a.URL+"/search?q=festival")
	if !strings.Contains(page, "1 result for “festival”") || !strings.Contains(page, `href="`+postURL+`"`) {
		t.Errorf("the looked-up post is not found by its words:\n%s", page)
	}
}
