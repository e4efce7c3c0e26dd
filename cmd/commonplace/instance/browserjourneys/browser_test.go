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

// A person opening an organisation's page and a post in Chromium sees the
// profile, the handle to follow, and the post with its event details; a
// reply carrying script shows as text and runs nothing.
func TestBrowserReadsProfileAndPost(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation", Summary: "Notes of the #HSCLeeds network."})
	p, err := a.Posts.Publish(bg, network, instancetest.DemoDrafts(t)[model.KindEvent])
	if err != nil {
		t.Fatal(err)
	}

	browsertest.Do(t, browser, chromedp.Navigate(a.URL+"/@hscleeds"))
	title := browsertest.Get(t, browser, chromedp.Title())
	handle := browsertest.Get(t, browser, chromedp.Value("#handle"))
	if !strings.Contains(title, "The Sociable Organisation") || handle != "@hscleeds@"+a.Domain {
		t.Errorf("profile: title %q, handle %q", title, handle)
	}
	if !browsertest.FitsWidth(t, browser, 390) {
		t.Error("the profile page scrolls sideways on a 390px phone")
	}
	browsertest.Screenshot(t, browser, "profile-desktop", 1280)
	browsertest.Screenshot(t, browser, "profile-phone", 390)

	postURL := a.URL + "/users/hscleeds/posts/" + p.Token
	browsertest.Do(t, browser, chromedp.Navigate(postURL))
	heading := browsertest.Get(t, browser, chromedp.Text("h1"))
	when := browsertest.Get(t, browser, chromedp.Text(".event"))
	if heading != "Next #HSCLeeds Tweet Meet" || !strings.Contains(when, "6:30pm") || !strings.Contains(when, "Tech North") {
		t.Errorf("post page: heading %q, event %q", heading, when)
	}
	if !browsertest.FitsWidth(t, browser, 390) {
		t.Error("the event page scrolls sideways on a 390px phone")
	}
	browsertest.Screenshot(t, browser, "event-phone", 390)
}
