package browserjourneys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// An author schedules a post in Chromium for the start of the next minute;
// a reader of another instance that follows the organisation does not see it
// before then, and sees it on that instance's timeline once it is due.
func TestBrowserScheduledPostAppearsOnTimeOnAnotherInstance(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.SQLite)
	trust := a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
	instancetest.AddAccount(t, a, "risk@trust.example", "author", trust)
	target, err := b.Fetcher.Resolve(bg, "@trust@"+a.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Follows.Follow(bg, hospice, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "B's follow of A", func() bool { return instancetest.Counts(t, b, hospice).Following == 1 })

	// datetime-local has minute precision: the start of a minute at least
	// three seconds away, so the post is surely scheduled rather than late.
	london, _ := time.LoadLocation("Europe/London")
	due := time.Now().In(london).Add(3 * time.Second).Truncate(time.Minute).Add(time.Minute)
	const text = "Scheduled in Chromium for the Tweet Meet"
	browsertest.Do(t, browser,
		chromedp.Navigate(a.URL+"/login?next=/compose"),
		chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", "risk@trust.example"),
		chromedp.SendKeys("#password", instancetest.TestPassword),
		chromedp.Click(`main button[type="submit"]`),
		chromedp.WaitVisible("#body"),
	)
	// Logging in (argon2, slow under -race on a busy machine) and scheduling
	// each get the browser's own time limit.
	browsertest.Do(t, browser,
		chromedp.SetValue("#kind", "update"),
		chromedp.SendKeys("#body", text),
		chromedp.SetValue("#publish_at", due.Format("2006-01-02T15:04")),
		chromedp.Click(`button[value="publish"]`),
		chromedp.WaitVisible(".notice"),
	)
	if notice := browsertest.Get(t, browser, chromedp.Text(".notice")); !strings.Contains(strings.ToLower(notice), "scheduled") {
		t.Fatalf("after scheduling, the page says %q", notice)
	}
	if time.Now().Before(due) {
		browsertest.Do(t, browser, chromedp.Navigate(b.URL+"/"), chromedp.WaitVisible("main"))
		if early := browsertest.Get(t, browser, chromedp.Text("main")); strings.Contains(early, text) && time.Now().Before(due) {
			t.Fatal("the other instance shows the post before its time")
		}
	}
	instancetest.Eventually(t, 2*time.Minute, "the post on B's timeline", func() bool {
		browsertest.Do(t, browser, chromedp.Navigate(b.URL+"/"), chromedp.WaitVisible("main"))
		return strings.Contains(browsertest.Get(t, browser, chromedp.Text("main")), text)
	})
	if late := time.Since(due); late < 0 {
		t.Errorf("the post showed %s before its time", -late)
	}
}
