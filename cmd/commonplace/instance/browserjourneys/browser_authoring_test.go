package browserjourneys_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// An author's day in Chromium: a form refused with every problem listed at
// once, a preview showing the post whole, a session that ends mid-write
// without losing the text, then Edit and Delete from the post's own page.
func TestBrowserAuthorWritesEditsAndDeletes(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	trust := a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	instancetest.AddAccount(t, a, "risk@trust.example", "author", trust)
	login := func() {
		browsertest.Do(t, browser,
			chromedp.WaitVisible("#email"),
			chromedp.SendKeys("#email", "risk@trust.example"),
			chromedp.SendKeys("#password", instancetest.TestPassword),
		)
		browsertest.Do(t, browser, browsertest.ClickToNextPage(`main form button[type="submit"], main form input[type="submit"]`)...)
	}
	browsertest.Do(t, browser, chromedp.Navigate(a.URL+"/login"))
	login()

	// Nothing filled in: both problems at once, each linked and by its field.
	browsertest.Do(t, browser,
		chromedp.Navigate(a.URL+"/compose"),
		chromedp.WaitVisible("#title"),
		chromedp.Click(`button[value="publish"]`),
		chromedp.WaitVisible(".error-summary"),
	)
	summary := browsertest.Get(t, browser, chromedp.Text(".error-summary"))
	if !strings.Contains(summary, "There are 2 problems") || !strings.Contains(summary, "A title is required") || !strings.Contains(summary, "The post has no text") {
		t.Errorf("error summary: %q", summary)
	}
	described := browsertest.Get(t, browser, chromedp.Evaluate[string](
		`document.getElementById(document.getElementById("body").getAttribute("aria-describedby")).textContent`))
	if described != "The post has no text." {
		t.Errorf("the text field is described by %q", described)
	}
	browsertest.Do(t, browser, chromedp.Click(`.error-summary a[href="#title"]`))
	if hash := browsertest.Get(t, browser, chromedp.Evaluate[string](`location.hash`)); hash != "#title" {
		t.Errorf("the summary's link went to %q", hash)
	}

	// Preview shows the post as it will be published.
	browsertest.Do(t, browser,
		chromedp.SendKeys("#title", "Notes from the #HSCLeeds meet"),
		chromedp.SendKeys("#body", "We talked about *safe* sharing."),
		chromedp.SendKeys("#tags", "TrulySocial"),
		chromedp.Click(`button[value="preview"]`),
		chromedp.WaitVisible(".preview"),
	)
	preview := browsertest.Get(t, browser, chromedp.Text(".preview"))
	tagLinks := browsertest.Get(t, browser, chromedp.Evaluate[int](`document.querySelectorAll('.preview .tags a[href^="/tags/"]').length`))
	if !strings.Contains(preview, "Notes from the #HSCLeeds meet") || !strings.Contains(preview, "The Trust") || tagLinks != 2 {
		t.Errorf("preview: %d tag links in %q", tagLinks, preview)
	}

	// The session ends while the author is writing; nothing is lost.
	browsertest.Do(t, browser, chromedp.SendKeys("#body", " And about cake."))
	if _, err := a.Store.DB.NewDelete().TableExpr("sessions").Where("1 = 1").Exec(bg); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, browser, chromedp.Click(`button[value="publish"]`))
	login()
	browsertest.Do(t, browser, chromedp.WaitVisible("#body"))
	body := browsertest.Get(t, browser, chromedp.Value("#body"))
	// (Chromium types at the start of a field the page has just filled.)
	if !strings.Contains(body, "We talked about *safe* sharing.") || !strings.Contains(body, "And about cake.") {
		t.Fatalf("after logging in again the text is %q", body)
	}

	// Publish, then Edit from the post page.
	browsertest.Do(t, browser, chromedp.Click(`button[value="publish"]`), chromedp.WaitVisible("#post-title"))
	browsertest.Do(t, browser,
		chromedp.Click(`.author-actions a[href^="/edit"]`),
		chromedp.WaitVisible("#title"),
		chromedp.SetValue("#title", "Notes from the meet (corrected)"),
		chromedp.Click(`button[value="publish"]`),
		chromedp.WaitVisible("#post-title"),
	)
	if h := browsertest.Get(t, browser, chromedp.Text("#post-title")); h != "Notes from the meet (corrected)" {
		t.Errorf("after editing, the title is %q", h)
	}
	postURL := browsertest.Get(t, browser, chromedp.Evaluate[string](`location.href`))

	// Delete from the post page, after a plain warning.
	browsertest.Do(t, browser, chromedp.Click(`.author-actions a[href^="/delete"]`), chromedp.WaitVisible("#delete-heading"))
	if warning := browsertest.Get(t, browser, chromedp.Text("main")); !strings.Contains(warning, "may take a while to disappear") {
		t.Errorf("delete warning: %q", warning)
	}
	browsertest.Screenshot(t, browser, "delete-confirmation-phone", 390)
	browsertest.Do(t, browser, browsertest.ClickToNextPage(`form[action="/delete"] button[type="submit"]`)...)
	if p, err := a.Posts.Find(bg, postURL); err != nil || !p.Deleted() {
		t.Errorf("the post was not deleted: %v", err)
	}
}
