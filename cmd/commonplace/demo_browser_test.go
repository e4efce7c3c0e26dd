package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
)

// checkAdminLoginInBrowser follows the printout as a newcomer would: open
// the trust's login page in Chromium, type the admin login the demo printed,
// and land on the admin page with its tabs.
func checkAdminLoginInBrowser(t *testing.T, n *demoNetwork) {
	t.Helper()
	browser := browsertest.New(t)
	browsertest.Do(t, browser,
		chromedp.Navigate(n.Nodes[0].URL+"/login"),
		chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", n.AdminEmail),
		chromedp.SendKeys("#password", n.Password),
		chromedp.Click(`main button[type="submit"]`),
		chromedp.WaitVisible("#admin-heading"),
	)
	location := browsertest.Get(t, browser, chromedp.Location())
	heading := browsertest.Get(t, browser, chromedp.Text("#admin-heading"))
	if !strings.HasSuffix(location, "/admin") || heading != "Admin" {
		t.Errorf("the demo's admin login landed on %s with heading %q, want /admin", location, heading)
	}
}
