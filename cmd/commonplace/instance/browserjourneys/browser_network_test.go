package browserjourneys_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// In a real Chromium a site admin finds the network from /admin, adds an
// organisation here by its username and one on another instance by its
// handle with the Add member form; a reader, not logged in, then opens the
// network's page and sees both members and both their posts, the remote
// one having come by the network's follow.
func TestBrowserAdminAddsNetworkMemberReaderSeesPost(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.SQLite)
	volition := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	if _, err := a.Networks.Create(bg, network.NewNetwork{Username: "leeds", Name: "Leeds Health and Care"}); err != nil {
		t.Fatal(err)
	}
	instancetest.AddAccount(t, a, "admin@volition.example", "admin", volition)
	if _, err := a.Posts.Publish(bg, volition, posts.Draft{Kind: model.KindMeetupNote, Title: "Notes from the peer support evening",
		Body: "Twelve came, and the tea ran out. #HSCLeeds"}); err != nil {
		t.Fatal(err)
	}

	admin := browsertest.Session(t, browser)
	k := &keyboard{t: t, ctx: admin, base: a.URL}
	k.login("admin@volition.example", instancetest.TestPassword, "/admin")
	browsertest.Do(t, admin, chromedp.Click(`a[href="/admin/networks/leeds"]`), chromedp.WaitVisible("#member"))
	for _, ref := range []string{"volition", "@stgemmas@" + b.Domain} {
		browsertest.Do(t, admin,
			chromedp.SendKeys("#member", ref),
			chromedp.Click(`button[value="add"]`),
			chromedp.WaitVisible(".notice"))
		if text := browsertest.Get(t, admin, chromedp.Text(".notice")); !strings.Contains(text, "is a member now") {
			t.Fatalf("after adding %s the page says %q", ref, text)
		}
	}
	instancetest.Eventually(t, wait, "St Gemma's to accept the network's follow", func() bool {
		return instancetest.Counts(t, b, hospice).Followers == 1
	})
	if _, err := b.Posts.Publish(bg, hospice, posts.Draft{Kind: model.KindUpdate, Body: "Volunteers' week starts on Monday."}); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the hospice's update on a", func() bool {
		for _, p := range instancetest.Timeline(t, a) {
			if !p.Local {
				return true
			}
		}
		return false
	})

	reader := browsertest.Session(t, browser)
	browsertest.Do(t, reader, chromedp.Navigate(a.URL+"/@leeds"), chromedp.WaitVisible("#network-name"))
	posts := browsertest.Get(t, reader, chromedp.Text(`section[aria-labelledby="posts-heading"]`))
	for _, want := range []string{"Notes from the peer support evening", "Volunteers' week starts on Monday."} {
		if !strings.Contains(posts, want) {
			t.Errorf("the network's page does not show %q; its posts read:\n%s", want, posts)
		}
	}
	members := browsertest.Get(t, reader, chromedp.Text(`section[aria-labelledby="members-heading"]`))
	for _, want := range []string{"Volition", "@volition@" + a.Domain, "St Gemma's Hospice", "@stgemmas@" + b.Domain} {
		if !strings.Contains(members, want) {
			t.Errorf("the members list lacks %q:\n%s", want, members)
		}
	}
	if follow := browsertest.Get(t, reader, chromedp.Text("#follow-heading")); follow != "Follow @leeds@"+a.Domain+" from Mastodon" {
		t.Errorf("the follow hint reads %q", follow)
	}
	browsertest.Screenshot(t, reader, "network-page", 1280)
	browsertest.Screenshot(t, reader, "network-page-phone", 390)
	if !browsertest.FitsWidth(t, reader, 390) {
		t.Error("the network's page scrolls sideways on a phone")
	}
}

// In a real Chromium a site admin opens the Networks tab of the admin
// pages, uploads the network's logo (a PNG) and removes a member, which
// asks first on a page of its own; a reader then sees the logo on the
// network's page, with alt text naming the network, and the network's
// Guidance tab shows its members' guidance alone.
func TestBrowserAdminSetsNetworkLogoAndRemovesMember(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	volition := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	n, err := a.Networks.Create(bg, network.NewNetwork{Username: "leeds", Name: "Leeds Health and Care"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"volition", "trust"} {
		if _, err := a.Networks.AddMember(bg, n, ref); err != nil {
			t.Fatal(err)
		}
	}
	instancetest.AddAccount(t, a, "admin@volition.example", "admin", volition)
	for _, d := range []posts.Draft{{Kind: model.KindGuidance, Title: "Peer support toolkit", Topic: "Peer support", Body: "Listen first."},
		{Kind: model.KindUpdate, Body: "The office is closed on Friday."}} {
		if _, err := a.Posts.Publish(bg, volition, d); err != nil {
			t.Fatal(err)
		}
	}
	logoFile := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(logoFile, instancetest.PNGPicture(t, 200, 200), 0o600); err != nil {
		t.Fatal(err)
	}

	admin := browsertest.Session(t, browser)
	k := &keyboard{t: t, ctx: admin, base: a.URL}
	k.login("admin@volition.example", instancetest.TestPassword, "/admin")
	browsertest.Do(t, admin, chromedp.Click(`nav[aria-label="Admin"] a[href="/admin/networks"]`), chromedp.WaitVisible(`main a[href="/admin/networks/leeds"]`))
	if cur := browsertest.Get(t, admin, chromedp.Text(`nav[aria-label="Admin"] a[aria-current="page"]`)); cur != "Networks" {
		t.Errorf("on /admin/networks the current tab is %q", cur)
	}
	browsertest.Do(t, admin,
		chromedp.Click(`main a[href="/admin/networks/leeds"]`),
		chromedp.WaitVisible("#avatar"),
		chromedp.SetUploadFiles("#avatar", []string{logoFile}),
		chromedp.Click(`form[action="/admin/networks/leeds/avatar"] button[type="submit"]`),
		chromedp.WaitVisible(".notice"))
	if text := browsertest.Get(t, admin, chromedp.Text(".notice")); !strings.Contains(text, "The logo was saved.") {
		t.Errorf("after the upload the page says %q", text)
	}
	loaded(t, admin, `main img.avatar`, "The current logo of Leeds Health and Care")

	browsertest.Do(t, admin,
		chromedp.Click(`a.remove[href="/admin/networks/leeds/remove?member=trust"]`),
		chromedp.WaitVisible("#remove-heading"))
	if h := browsertest.Get(t, admin, chromedp.Text("#remove-heading")); h != "Remove The Trust from Leeds Health and Care?" {
		t.Errorf("the confirmation asks %q", h)
	}
	browsertest.Do(t, admin, chromedp.Click(`button[value="remove"]`), chromedp.WaitVisible(".notice"))
	if text := browsertest.Get(t, admin, chromedp.Text(".notice")); !strings.Contains(text, "no longer a member") {
		t.Errorf("after confirming, the page says %q", text)
	}
	if members := browsertest.Get(t, admin, chromedp.Text(`ul[aria-labelledby="members-heading"]`)); strings.Contains(members, "The Trust") || !strings.Contains(members, "Volition") {
		t.Errorf("the members after removing The Trust:\n%s", members)
	}

	reader := browsertest.Session(t, browser)
	browsertest.Do(t, reader, chromedp.Navigate(a.URL+"/@leeds"), chromedp.WaitVisible("#network-name"))
	loaded(t, reader, "article.network img.avatar", "Logo of Leeds Health and Care")
	browsertest.Do(t, reader, chromedp.Click(`nav[aria-label="Kinds of post"] a[href="/@leeds?kind=guidance"]`),
		chromedp.WaitVisible(`nav[aria-label="Kinds of post"] a[aria-current="page"][href="/@leeds?kind=guidance"]`))
	shown := browsertest.Get(t, reader, chromedp.Text(`section[aria-labelledby="posts-heading"]`))
	if !strings.Contains(shown, "Peer support toolkit") || strings.Contains(shown, "closed on Friday") {
		t.Errorf("the Guidance tab shows:\n%s", shown)
	}
	browsertest.Screenshot(t, reader, "network-page-logo", 1280)
	if !browsertest.FitsWidth(t, reader, 390) {
		t.Error("the network's page with its tabs scrolls sideways on a phone")
	}
}
