package browserjourneys_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// What a newcomer sees in Chromium: an empty timeline that says what to do
// next (for an author, a link to write), then, once a post is out, a
// filtered page headed by what it shows and an event card that says when
// and where once, with its likes counted.
func TestBrowserTimelineHeadingsAndEmptyState(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	instancetest.AddAccount(t, a, "pj@sociable.example", store.RoleAuthor, network)

	browsertest.Do(t, browser, chromedp.Navigate(a.URL+"/"))
	if empty := browsertest.Get(t, browser, chromedp.Text(".empty")); !strings.Contains(empty, "will appear here") {
		t.Errorf("a visitor's empty timeline says %q", empty)
	}
	browsertest.Do(t, browser,
		chromedp.Navigate(a.URL+"/login"),
		chromedp.SendKeys("#email", "pj@sociable.example"),
		chromedp.SendKeys("#password", instancetest.TestPassword),
	)
	browsertest.Do(t, browser, browsertest.ClickToNextPage(`main form button[type="submit"], main form input[type="submit"]`)...)
	browsertest.Do(t, browser, chromedp.Navigate(a.URL+"/"))
	browsertest.Do(t, browser, browsertest.ClickToNextPage(`.empty a`)...)
	if at := browsertest.Get(t, browser, chromedp.Location()); at != a.URL+"/compose" {
		t.Errorf("the empty timeline's link took an author to %s, want /compose", at)
	}

	if _, err := a.Posts.Publish(bg, network, instancetest.DemoDrafts(t)[model.KindEvent]); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, browser, chromedp.Navigate(a.URL+"/?kind=event"))
	heading := browsertest.Get(t, browser, chromedp.Text("h1"))
	card := browsertest.Get(t, browser, chromedp.Text("article.item"))
	if heading != "Events" {
		t.Errorf("the events filter is headed %q", heading)
	}
	if strings.Count(card, "6:30pm") != 1 || !strings.Contains(card, "Tech North") || !strings.Contains(card, "0 likes · 0 boosts · 0 comments") {
		t.Errorf("the event card reads:\n%s", card)
	}
	browsertest.Do(t, browser, chromedp.Navigate(a.URL+"/tags/hscleeds"))
	if h := browsertest.Get(t, browser, chromedp.Text("h1")); h != "Posts tagged #HSCLeeds" {
		t.Errorf("the tag page is headed %q", h)
	}
	if !browsertest.FitsWidth(t, browser, 390) {
		t.Error("the tag page scrolls sideways on a 390px phone")
	}
}
