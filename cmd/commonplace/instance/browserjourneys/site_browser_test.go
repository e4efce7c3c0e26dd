package browserjourneys_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// The journey of issue 12 in Chromium: a reader on /about logs in from the
// footer and comes back to /about as an admin; the admin names the site and
// writes its about page in the settings form; the header, the titles and
// /about show them; an uploaded logo shows in the header; a post with an
// image shows it with its alt text; a logo address elsewhere is refused with the typed values
// kept; logging out from the header leaves a reader's navigation.
func TestBrowserAdminNamesTheSite(t *testing.T) {
	browser := browsertest.New(t)
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			instancetest.AddAccount(t, inst, "boss@trust.example", "admin", trust)
			text := func(sel string) string { return browsertest.Get(t, browser, chromedp.Text(sel)) }
			title := func() string { return browsertest.Get(t, browser, chromedp.Title()) }
			navHas := func(label string) bool {
				return browsertest.Get(t, browser, chromedp.Evaluate[bool](
					`[...document.querySelectorAll("header .site-nav a, header .site-nav button")].some(e => e.textContent.trim() === `+jsString(label)+`)`))
			}

			browsertest.Do(t, browser, chromedp.Navigate(inst.URL+"/about"), chromedp.WaitVisible("#page-heading"))
			if got := title(); got != "About — The Trust" {
				t.Errorf("before naming, /about's title is %q", got)
			}
			if main := text("main"); !strings.Contains(main, "The Trust is where") {
				t.Errorf("default about text: %q", main)
			}
			if navHas("Write") || navHas("Admin") || navHas("Log out") {
				t.Error("a reader's header offers Write, Admin or Log out")
			}

			// Log in from the footer and come back here.
			browsertest.Do(t, browser,
				chromedp.Click(`footer a[href^="/login"]`),
				chromedp.WaitVisible("#email"),
				chromedp.SendKeys("#email", "boss@trust.example"),
				chromedp.SendKeys("#password", instancetest.TestPassword),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible("#page-heading"),
			)
			if loc := browsertest.Get(t, browser, chromedp.Evaluate[string](`location.pathname`)); loc != "/about" {
				t.Errorf("after logging in from /about the browser is at %s", loc)
			}
			if !navHas("Write") || !navHas("Admin") || !navHas("Log out") {
				t.Error("an admin's header lacks Write, Admin or Log out")
			}

			// Admin → Site settings → save.
			browsertest.Do(t, browser,
				chromedp.Click(`header a[href="/admin"]`),
				chromedp.WaitVisible("#admin-heading"),
				chromedp.Click(`a[href="/admin/site"]`),
				chromedp.WaitVisible("#site-name"),
				chromedp.SendKeys("#site-name", "Leeds Care Network"),
				chromedp.SendKeys("#site-contact", "access@care.example"),
				chromedp.SendKeys("#site-logo", "javascript:alert(1)"),
				chromedp.SendKeys("#site-about", "## Who we are\n\nCarers and nurses who meet every *Tuesday*."),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible("#site-error"),
			)
			if msg := text("#site-error"); !strings.Contains(msg, "logo must be a picture kept on this site") {
				t.Errorf("bad logo address: %q", msg)
			}
			if kept := browsertest.Get(t, browser, chromedp.Value("#site-name")); kept != "Leeds Care Network" {
				t.Errorf("the refused form lost the typed name: %q", kept)
			}
			logoFile := filepath.Join(t.TempDir(), "logo.png")
			if err := os.WriteFile(logoFile, instancetest.PNGPicture(t, 240, 120), 0o600); err != nil {
				t.Fatal(err)
			}
			browsertest.Do(t, browser,
				chromedp.Clear("#site-logo"),
				chromedp.SetUploadFiles("#site-logo-file", []string{logoFile}),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible(`p.notice`),
			)
			if brand := text("header .brand"); brand != "Leeds Care Network" {
				t.Errorf("header after saving: %q", brand)
			}
			// The uploaded logo shows in the header, loaded from /media. Its
			// alt is empty on purpose: the site's name is the link's text
			// beside it, and alt="Leeds Care Network" would read it twice.
			loaded(t, browser, "header .brand img.logo", "")
			if got := title(); got != "Site settings — Leeds Care Network" {
				t.Errorf("settings page title: %q", got)
			}

			browsertest.Do(t, browser, chromedp.Navigate(inst.URL+"/"), chromedp.WaitVisible("main"))
			if got := title(); got != "Leeds Care Network" {
				t.Errorf("home title: %q", got)
			}
			browsertest.Do(t, browser, chromedp.Click(`footer a[href="/about"]`), chromedp.WaitVisible("#page-heading"))
			if got := title(); got != "About — Leeds Care Network" {
				t.Errorf("/about title: %q", got)
			}
			if h2, em := text("main h2"), text("main em"); h2 != "Who we are" || em != "Tuesday" {
				t.Errorf("/about shows h2 %q, em %q", h2, em)
			}
			browsertest.Do(t, browser, chromedp.Click(`footer a[href="/accessibility"]`), chromedp.WaitVisible("#page-heading"))
			if href := browsertest.Get(t, browser, chromedp.Evaluate[string](`document.querySelector('main a[href^="mailto:"]').getAttribute("href")`)); href != "mailto:access@care.example" {
				t.Errorf("accessibility page's contact link: %q", href)
			}
			if !browsertest.FitsWidth(t, browser, 390) {
				t.Error("the accessibility page scrolls sideways on a 390px phone")
			}
			browsertest.Screenshot(t, browser, "site-accessibility-phone-"+string(d), 390)
			browsertest.Do(t, browser, chromedp.EmulateViewport(1280, 900))

			// A post with an image shows it with its alt text.
			photo := filepath.Join(t.TempDir(), "garden.png")
			if err := os.WriteFile(photo, instancetest.PNGPicture(t, 640, 480), 0o600); err != nil {
				t.Fatal(err)
			}
			alt := "Twelve people on benches round a vegetable bed"
			browsertest.Do(t, browser,
				chromedp.Navigate(inst.URL+"/compose"),
				chromedp.WaitVisible("#title"),
				chromedp.SendKeys("#title", "Garden meetup"),
				chromedp.SendKeys("#body", "We met in the garden."),
				chromedp.SetUploadFiles("#image1", []string{photo}),
				chromedp.SendKeys("#alt1", alt),
				chromedp.Click(`button[value="publish"]`),
				chromedp.WaitVisible("article.post"),
			)
			loaded(t, browser, "article.post ul.images img", alt)

			// Log out from the header of a reading page.
			browsertest.Do(t, browser, browsertest.ClickToNextPage(`header form.logout button`)...)
			if navHas("Log out") || navHas("Write") {
				t.Error("still logged in after Log out")
			}
		})
	}
}

// loaded waits for the image sel to have loaded from this site's /media/
// and checks its alt text.
func loaded(t *testing.T, browser context.Context, sel, alt string) {
	t.Helper()
	js := `(() => { const i = document.querySelector(` + jsString(sel) + `); return i && i.complete && i.naturalWidth > 0 && new URL(i.currentSrc).pathname.startsWith("/media/") })()`
	instancetest.Eventually(t, wait, sel+" loaded from /media", func() bool {
		return browsertest.Get(t, browser, chromedp.Evaluate[bool](js))
	})
	if got := browsertest.Get(t, browser, chromedp.Evaluate[string](`document.querySelector(`+jsString(sel)+`).getAttribute("alt")`)); got != alt {
		t.Errorf("%s has alt %q, want %q", sel, got, alt)
	}
}

// jsString quotes s for a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
