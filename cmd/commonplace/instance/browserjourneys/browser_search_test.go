package browserjourneys_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// In Chromium, by keyboard alone: from the home page's header, Tab to the
// search box, type, press Enter; the results page announces its count,
// pages on with Next and back with Previous, and its filter form narrows
// the results. The header fits a phone's width.
func TestBrowserSearchFromTheHeader(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	hospice := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	var curries []*model.Post
	for i := range 23 {
		curries = append(curries, &model.Post{AuthorID: hospice.ID, Local: true, Token: fmt.Sprint("curry", i), Kind: model.KindUpdate,
			APType: "Note", ContentHTML: fmt.Sprintf("<p>Social care curry at the Mumtaz, table %d.</p>", i), InTimeline: true,
			Published: time.Date(2013, 9, 5, 19, i, 0, 0, time.UTC)})
	}
	if err := a.Store.InsertPosts(bg, a.Store.DB, curries); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Posts.Publish(bg, network, posts.Draft{Kind: model.KindGuidance, Title: "Which curry house takes bookings",
		Body: "Guidance for organisers of the social care curry. #HSCLeeds"}); err != nil {
		t.Fatal(err)
	}

	browsertest.Do(t, browser, chromedp.EmulateViewport(390, 800), chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible("main"))
	if !browsertest.FitsWidth(t, browser, 390) {
		t.Error("the home page with its search box scrolls sideways on a 390px phone")
	}
	browsertest.TabTo(t, browser, "#site-search-q", false, 12)
	browsertest.Press(t, browser, "curry")
	browsertest.Press(t, browser, kb.Enter)
	browsertest.Do(t, browser, chromedp.WaitVisible("#search-status"))
	status := func() string { return browsertest.Get(t, browser, chromedp.Text("#search-status")) }
	if s := status(); s != "20 results for “curry”, 1 to 20; more on the next page." {
		t.Errorf("the first page announces %q", s)
	}
	if v := browsertest.Get(t, browser, chromedp.Value("#search-q")); v != "curry" {
		t.Errorf("the results page's box holds %q, not what was typed", v)
	}
	browsertest.Do(t, browser, chromedp.Click(`a[rel="next"]`), chromedp.WaitVisible(`a[rel="prev"]`))
	if s := status(); s != "4 results for “curry”, 21 to 24." {
		t.Errorf("the second page announces %q", s)
	}
	if n := browsertest.Get(t, browser, chromedp.Evaluate[int](`document.querySelectorAll(".search-results > li").length`)); n != 4 {
		t.Errorf("the second page lists %d results", n)
	}
	browsertest.Do(t, browser, chromedp.Click(`a[rel="prev"]`), chromedp.WaitVisible(`a[rel="next"]`))
	if s := status(); !strings.HasPrefix(s, "20 results") {
		t.Errorf("Previous led to a page announcing %q", s)
	}

	browsertest.Do(t, browser,
		chromedp.SetValue("#search-kind", model.KindGuidance),
		chromedp.Click(`form.search-form button[type="submit"]`),
		chromedp.WaitVisible(".search-results"))
	if s := status(); s != "1 result for “curry”, 1 to 1." {
		t.Errorf("narrowed to guidance, the page announces %q", s)
	}
	title := browsertest.Get(t, browser, chromedp.Text(".search-results h3 a"))
	browsertest.Do(t, browser, chromedp.Click(".search-results h3 a"), chromedp.WaitVisible("h1"))
	if h := browsertest.Get(t, browser, chromedp.Text("h1")); title != "Which curry house takes bookings" || h != title {
		t.Errorf("the result %q led to a page headed %q", title, h)
	}
}
