package browserjourneys_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// keyboard drives a browser by keys alone: Tab moves the focus to a
// control, keys type into it or press it.
type keyboard struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (k *keyboard) open(url string) {
	k.t.Helper()
	browsertest.Do(k.t, k.ctx, chromedp.Navigate(url), chromedp.WaitVisible("main"))
}

// focus presses Tab until the element matching the CSS selector has the
// focus, failing if Tab never reaches it.
func (k *keyboard) focus(selector string) {
	k.t.Helper()
	check := chromedp.Evaluate[bool](`!!document.activeElement && document.activeElement.matches(` + strconv.Quote(selector) + `)`)
	for range 80 {
		if browsertest.Get(k.t, k.ctx, check) {
			return
		}
		browsertest.Do(k.t, k.ctx, chromedp.KeyEvent(kb.Tab))
	}
	k.t.Fatalf("Tab never reaches %s", selector)
}

// press tabs to the element and sends it keys: text to type, or kb.Enter.
func (k *keyboard) press(selector, keys string) {
	k.t.Helper()
	k.focus(selector)
	browsertest.Do(k.t, k.ctx, chromedp.KeyEvent(keys))
}

func (k *keyboard) waitFor(selector string) {
	k.t.Helper()
	browsertest.Do(k.t, k.ctx, chromedp.WaitVisible(selector))
}

// waitPath waits until the browser has moved to path.
func (k *keyboard) waitPath(path string) {
	k.t.Helper()
	instancetest.Eventually(k.t, wait, "the browser to reach "+path, func() bool {
		return browsertest.Get(k.t, k.ctx, chromedp.Evaluate[string](`location.pathname`)) == path
	})
	k.waitFor("main")
}

// login logs in and waits for the page a login lands on: /admin for
// admins, /compose for authors.
func (k *keyboard) login(email, password, landing string) {
	k.t.Helper()
	k.open(strings.TrimSuffix(k.base, "/") + "/login")
	k.press("#email", email)
	k.press("#password", password+kb.Enter)
	k.waitPath(landing)
}

// The admin's day in a real Chromium, by keyboard alone on the admin pages
// (Tab to a control, type, press Enter): approve a follower, unfollow an
// account, remove a comment with its button, invite an author, who opens
// the link, chooses a password and logs in.
func TestBrowserAdminByKeyboard(t *testing.T) {
	ctx := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition", ManuallyApprovesFollowers: true})
	instancetest.AddAccount(t, a, "admin@volition.example", "admin", org)
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/volition")); status != 202 {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the pending request", func() bool {
		p, err := a.Follows.Pending(bg, org)
		return err == nil && len(p) == 1
	})
	dave := instancetest.FollowedRemote(t, a, org, "dave")
	p, err := a.Posts.Publish(bg, org, posts.Draft{Kind: model.KindUpdate, Body: "Clinic hours change next week."})
	if err != nil {
		t.Fatal(err)
	}
	postURL := a.Layout.Post("volition", p.Token)
	instancetest.ReplyTo(t, a, alice, postURL, "Buy cheap watches here")

	k := &keyboard{t: t, ctx: ctx, base: a.URL}
	k.login("admin@volition.example", instancetest.TestPassword, "/admin")

	// Approve alice from the requests list.
	k.open(a.URL + "/admin/follows?org=volition&list=requests")
	k.press(fmt.Sprintf(`button[aria-label="Approve %s"]`, alice.Handle()), kb.Enter)
	k.waitFor(`.notice`)
	instancetest.Eventually(t, wait, "alice to be a follower", func() bool { return instancetest.Counts(t, a, org).Followers == 1 })

	// Unfollow dave from the following list.
	k.open(a.URL + "/admin/follows?org=volition&list=following")
	k.press(fmt.Sprintf(`button[aria-label="Unfollow %s"]`, dave.Handle()), kb.Enter)
	k.waitFor(`.notice`)
	instancetest.Eventually(t, wait, "dave told with an Undo", func() bool { return instancetest.Received(dave, "Undo") })

	// Remove alice's comment with its button under the post.
	k.open(postURL)
	k.press(fmt.Sprintf(`button[aria-label="Remove the comment by %s"]`, alice.Handle()), kb.Enter)
	k.waitFor(`#done-heading`)
	if text := browsertest.Get(t, ctx, chromedp.Text("main")); !strings.Contains(text, "Comment removed") {
		t.Errorf("after Remove: %q", text)
	}
	k.open(postURL)
	if text := browsertest.Get(t, ctx, chromedp.Text("main")); strings.Contains(text, "Buy cheap watches") {
		t.Error("the removed comment still shows")
	}

	// Invite an author: type the email, keep the role and expiry, send.
	k.open(a.URL + "/admin/staff?org=volition")
	k.press("#invite-email", "pj@volition.example")
	k.press(`form:has(#invite-email) button[type="submit"]`, kb.Enter)
	k.waitFor("#new-link")
	link := browsertest.Get(t, ctx, chromedp.Value("#new-link"))
	if !strings.HasPrefix(link, a.URL+"/invite/") {
		t.Fatalf("invitation link %q", link)
	}
	if !browsertest.FitsWidth(t, ctx, 390) {
		t.Error("the staff page scrolls sideways on a phone")
	}
	browsertest.Screenshot(t, ctx, "admin-staff-phone", 390)
	browsertest.Do(t, ctx, chromedp.EmulateViewport(1280, 900))
	// Log out, then accept the invitation as the new author.
	k.open(a.URL + "/admin")
	k.press(`form[action="/logout"] button`, kb.Enter)
	k.waitPath("/")
	k.open(link)
	k.press("#password", "cakes and tweet meets")
	k.press("#confirm", "cakes and tweet meets"+kb.Enter)
	k.waitFor(`.notice`)
	if text := browsertest.Get(t, ctx, chromedp.Text("main")); !strings.Contains(text, "Your password is set") {
		t.Fatalf("after accepting: %q", text)
	}
	k.login("pj@volition.example", "cakes and tweet meets", "/compose")
	if text := browsertest.Get(t, ctx, chromedp.Text("main")); !strings.Contains(text, "Volition") {
		t.Errorf("the new author's compose page does not offer Volition: %q", text)
	}
}
