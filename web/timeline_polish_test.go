package web_test

import (
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// A filtered page says what it shows, and an event card says when and
// where once, however its summary was made.
func TestTimelineHeadingsAndOneWhenLine(t *testing.T) {
	n := startNetwork(t)
	u, site := n.inst.URL, " — "+n.org.Name
	for path, h1 := range map[string]string{
		"/":                             "Latest from the network",
		"/?kind=event":                  "Events",
		"/?kind=guidance":               "Guidance",
		"/tags/trulysocial":             "Posts tagged #TrulySocial",
		"/tags/trulysocial?kind=update": "Updates tagged #TrulySocial",
	} {
		if body := get(t, u+path).body; !strings.Contains(body, "<h1>"+h1+"</h1>") {
			t.Errorf("%s: no <h1>%s</h1>", path, h1)
		}
	}
	page(t, u+"/tags/trulysocial?kind=update", 200, "Updates tagged #TrulySocial"+site, "Social Care Curry")

	body := page(t, u+"/?kind=event", 200, "Events"+site, "Bring questions.")
	start := strings.Index(body, "Next Tweet Meet</a>")
	end := strings.Index(body[start:], "</article>")
	card := body[start : start+end]
	if c := strings.Count(card, "6:30pm"); c != 1 {
		t.Errorf("the event card says the time %d times, want once:\n%s", c, card)
	}
	if !strings.Contains(card, `<p class="when">`) || !strings.Contains(card, "Tech North, Chapel Allerton, Leeds.") {
		t.Errorf("the event card lacks its when-and-where line:\n%s", card)
	}
}

// An empty timeline tells each reader the next step: an admin to follow
// another organisation, an author to write, a visitor what will appear.
func TestEmptyTimelineSaysTheNextStep(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	org := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	const password = "correct horse battery"
	for email, role := range map[string]string{"admin@trust.example": store.RoleAdmin, "author@trust.example": store.RoleAuthor} {
		if _, err := (&accounts.Service{Store: inst.Store}).Add(bg, email, password, role, org); err != nil {
			t.Fatal(err)
		}
	}
	visitor := page(t, inst.URL+"/", 200, org.Name, "Nothing here yet.", "will appear here")
	if strings.Contains(visitor, `href="/admin"`) || strings.Contains(visitor, "Write the first post") {
		t.Error("a visitor is offered staff pages on the empty timeline")
	}
	page(t, inst.URL+"/?kind=event", 200, "Events — "+org.Name, "No events here yet.")

	admin := instancetest.NewBrowser(t, inst.URL)
	admin.Login("admin@trust.example", password)
	if _, body := admin.Get("/"); !strings.Contains(body, `<a href="/admin">follow another organisation</a>`) {
		t.Errorf("an admin's empty timeline does not offer following:\n%s", body)
	}
	author := instancetest.NewBrowser(t, inst.URL)
	author.Login("author@trust.example", password)
	_, body := author.Get("/")
	if !strings.Contains(body, `<a href="/compose">Write the first post</a>`) || strings.Contains(body, `href="/admin"`) {
		t.Errorf("an author's empty timeline does not offer writing:\n%s", body)
	}
	if _, body := author.Get("/@trust"); !strings.Contains(body, `No posts yet. <a href="/compose">Write the first post</a>.`) {
		t.Errorf("the author's own empty profile does not offer writing:\n%s", body)
	}
	if body := get(t, inst.URL+"/@trust").body; !strings.Contains(body, "No posts yet.") || strings.Contains(body, "Write the first post") {
		t.Error("a visitor is offered writing on an empty profile")
	}
}
