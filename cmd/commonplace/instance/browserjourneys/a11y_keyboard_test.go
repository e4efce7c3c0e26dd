package browserjourneys_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// keyboardLogin logs in on /login with Tab, typing and Enter alone; every
// element focus passes through must show it has focus (browsertest.Tab).
func keyboardLogin(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible("#email"))
	browsertest.TabTo(t, ctx, ".skip", false, 1)
	browsertest.Screenshot(t, ctx, "keyboard-focus-on-skip-link", 1280)
	browsertest.TabTo(t, ctx, "#email", false, 15)
	browsertest.Press(t, ctx, email)
	browsertest.TabTo(t, ctx, "#password", false, 2)
	browsertest.Press(t, ctx, instancetest.TestPassword)
	browsertest.TabTo(t, ctx, `form[action="/login"] button[type="submit"]`, false, 3)
	browsertest.Press(t, ctx, kb.Enter)
	// Authors land on the compose form, admins on /admin: both show Log out.
	browsertest.Do(t, ctx, chromedp.WaitVisible("form.logout"))
}

// A person without a mouse logs in, writes and publishes a post, and as an
// admin blocks and unblocks a domain, with Tab, Shift+Tab, Enter and Space
// (and an arrow key in a radio group) only; focus is visible at every step
// and each action takes effect.
func TestKeyboardOnlyLoginComposeAndAdmin(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	instancetest.AddAccount(t, a, a11yAuthor, "author", network)
	instancetest.AddAccount(t, a, a11yAdmin, "admin", network)

	t.Run("login and compose", func(t *testing.T) {
		ctx := browsertest.Session(t, browser)
		keyboardLogin(t, ctx, a.URL, a11yAuthor)
		const title = "Notes written without a mouse"
		browsertest.TabTo(t, ctx, "#title", false, 25)
		browsertest.Press(t, ctx, title)
		browsertest.TabTo(t, ctx, "#body", false, 2)
		browsertest.Press(t, ctx, "Every field reached with Tab. #HSCLeeds")
		// Each date-time field is a Tab stop per part (day, month, year, hour,
		// minute, am/pm, calendar button), and the four image slots are two
		// stops each (file and alt text), so the way to Publish is long.
		browsertest.TabTo(t, ctx, `button[value="publish"]`, false, 90)
		browsertest.Screenshot(t, ctx, "keyboard-focus-on-publish", 390)
		// Back past Save draft to Preview with Shift+Tab and forward again, then Space.
		browsertest.TabTo(t, ctx, `button[value="preview"]`, true, 2)
		browsertest.TabTo(t, ctx, `button[value="publish"]`, false, 2)
		browsertest.Press(t, ctx, " ")
		browsertest.Do(t, ctx, chromedp.WaitVisible("#post-title"))
		if h1 := browsertest.Get(t, ctx, chromedp.Text("#post-title")); h1 != title {
			t.Errorf("after publishing, the page's heading is %q", h1)
		}
		at := browsertest.Get(t, ctx, chromedp.Evaluate[string](`location.pathname`))
		found := false
		for _, p := range instancetest.Timeline(t, a) {
			found = found || (p.Title == title && strings.HasSuffix(at, "/posts/"+p.Token))
		}
		if !found {
			t.Errorf("no post %q behind %s", title, at)
		}
	})

	t.Run("admin blocks and unblocks", func(t *testing.T) {
		ctx := browsertest.Session(t, browser)
		keyboardLogin(t, ctx, a.URL, a11yAdmin)
		browsertest.Do(t, ctx, chromedp.Navigate(a.URL+"/admin/blocks"), chromedp.WaitVisible("#block-value"))
		// A radio group is one Tab stop; the arrow keys choose within it.
		browsertest.TabTo(t, ctx, "#block-account", false, 40)
		browsertest.Press(t, ctx, kb.ArrowRight)
		browsertest.TabTo(t, ctx, "#block-value", false, 2)
		browsertest.Press(t, ctx, "spam.example")
		browsertest.TabTo(t, ctx, `button[value="block"]`, false, 3)
		browsertest.Press(t, ctx, kb.Enter)
		browsertest.Do(t, ctx, chromedp.WaitVisible(`.notice, .error`))
		if msg := browsertest.Get(t, ctx, chromedp.Text(`.notice, .error`)); !strings.Contains(msg, "Blocked") {
			t.Fatalf("blocking by keyboard: the page says %q", msg)
		}
		if bs, err := a.Blocks.List(bg); err != nil || len(bs) != 1 || bs[0].Kind != "domain" || bs[0].Value != "spam.example" {
			t.Fatalf("blocks after blocking by keyboard: %v %v", bs, err)
		}
		browsertest.TabTo(t, ctx, `button[value="unblock"]`, false, 40)
		browsertest.Press(t, ctx, " ")
		instancetest.Eventually(t, wait, "the unblock", func() bool {
			bs, err := a.Blocks.List(bg)
			return err == nil && len(bs) == 0
		})
	})
}
