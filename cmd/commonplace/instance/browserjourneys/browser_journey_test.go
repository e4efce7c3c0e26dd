package browserjourneys_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// The journey of the issue, in a real headless Chromium: a member logs in on
// instance A and publishes an event through the form; B, whose hospice
// follows A, shows it in its combined timeline and on its events page; a
// reply from a remote actor appears, inert, under the post on A; and the
// event's .ics downloads with the right details.
func TestBrowserPublishesEventAcrossInstances(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.Postgres)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	if _, err := (&accounts.Service{Store: a.Store}).Add(bg, "pj@sociable.example", "cakes and tweet meets", "author", network); err != nil {
		t.Fatal(err)
	}
	target, err := b.Fetcher.Resolve(bg, "@hscleeds@"+a.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Follows.Follow(bg, hospice, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "B's follow of A", func() bool { return instancetest.Counts(t, b, hospice).Following == 1 })

	// Log in on A.
	browsertest.Do(t, browser,
		chromedp.Navigate(a.URL+"/login"),
		chromedp.SendKeys("#email", "pj@sociable.example"),
		chromedp.SendKeys("#password", "cakes and tweet meets"),
	)
	browsertest.Do(t, browser, browsertest.ClickToNextPage(`main form button[type="submit"], main form input[type="submit"]`)...)
	// Compose an event next year, on a Tuesday evening in Leeds.
	year := time.Now().Year() + 1
	day := time.Date(year, 9, 1, 0, 0, 0, 0, time.UTC)
	for day.Weekday() != time.Tuesday {
		day = day.AddDate(0, 0, 1)
	}
	date := day.Format("2006-01-02")
	browsertest.Do(t, browser,
		chromedp.Navigate(a.URL+"/compose?kind=event"),
		chromedp.WaitVisible("#title"),
		chromedp.SendKeys("#title", "Next #HSCLeeds Tweet Meet"),
		chromedp.SendKeys("#body", "Bring questions, and cake."),
		chromedp.SendKeys("#venue", "Tech North"),
		chromedp.SendKeys("#address", "Chapel Allerton, Leeds"),
	)
	// datetime-local inputs take keystrokes in the browser's locale, so set
	// their values as a browser's date picker would.
	browsertest.Get(t, browser, chromedp.Evaluate[bool](fmt.Sprintf(
		`document.getElementById("start").value = %q; document.getElementById("end").value = %q;
		 document.getElementById("timezone").value = "Europe/London"; true`, date+"T18:30", date+"T20:30")))
	browsertest.Do(t, browser,
		chromedp.Click(`button[value="publish"]`),
		chromedp.WaitVisible("#post-title"),
	)
	postURL := browsertest.Get(t, browser, chromedp.Evaluate[string](`location.href`))
	if !strings.HasPrefix(postURL, a.URL+"/users/hscleeds/posts/") {
		t.Fatalf("after publishing the browser is at %s", postURL)
	}
	if when := browsertest.Get(t, browser, chromedp.Text(".event")); !strings.Contains(when, "6:30pm") || !strings.Contains(when, "Tech North") {
		t.Errorf("event details on the post page: %q", when)
	}

	// B shows it in its combined timeline and on its events page.
	instancetest.Eventually(t, wait, "the event on B", func() bool {
		return len(instancetest.ByKind(instancetest.Timeline(t, b))) == 1
	})
	browsertest.Do(t, browser, chromedp.Navigate(b.URL+"/"))
	if main := browsertest.Get(t, browser, chromedp.Text("main")); !strings.Contains(main, "Next #HSCLeeds Tweet Meet") || !strings.Contains(main, "The Sociable Organisation") {
		t.Errorf("B's timeline does not show the event:\n%s", main)
	}
	browsertest.Screenshot(t, browser, "timeline-desktop", 1280)
	browsertest.Do(t, browser, chromedp.Navigate(b.URL+"/events"))
	events := browsertest.Get(t, browser, chromedp.Text("main"))
	for _, want := range []string{"Next #HSCLeeds Tweet Meet", "6:30pm", "Tech North", fmt.Sprintf("September %d", year)} {
		if !strings.Contains(events, want) {
			t.Errorf("B's events page lacks %q:\n%s", want, events)
		}
	}
	if !browsertest.FitsWidth(t, browser, 390) {
		t.Error("the events page scrolls sideways on a phone")
	}
	browsertest.Screenshot(t, browser, "events-phone", 390)

	// A remote actor replies; the reply shows under the post on A, inert.
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	reply := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "/statuses/9/activity",
		"type": "Create", "actor": alice.ActorID, "to": []any{"https://www.w3.org/ns/activitystreams#Public"},
		"object": map[string]any{"id": alice.ActorID + "/statuses/9", "type": "Note", "attributedTo": alice.ActorID,
			"inReplyTo": postURL, "content": `<p>See you there! <script>window.hacked = true</script><img src=x onerror="window.hacked = true"></p>`}}
	if status, msg := alice.Send(t, a.URL+"/inbox", reply); status != http.StatusAccepted {
		t.Fatalf("reply: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the reply on A", func() bool {
		p, err := a.Posts.Find(bg, postURL)
		return err == nil && p.ReplyCount == 1
	})
	browsertest.Do(t, browser, chromedp.Navigate(postURL), chromedp.WaitVisible(".comment"))
	comment := browsertest.Get(t, browser, chromedp.Text(".comment"))
	if !strings.Contains(comment, "See you there!") || !strings.Contains(comment, "alice") {
		t.Errorf("comment shown as %q", comment)
	}
	if hacked := browsertest.Get(t, browser, chromedp.Evaluate[bool](`window.hacked === true`)); hacked {
		t.Error("the reply's script ran in the page")
	}
	browsertest.Screenshot(t, browser, "post-with-reply-phone", 390)

	// The event's .ics: the link on A's events page downloads it. (The
	// pages' Content-Security-Policy forbids scripts fetching anything, so
	// the file is fetched with the link's address, as the download would.)
	browsertest.Do(t, browser, chromedp.Navigate(a.URL+"/events"))
	href := browsertest.Get(t, browser, chromedp.Evaluate[string](`document.querySelector('a[href$=".ics"][download]').href`))
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	ics := string(raw)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf(".ics served as %q", ct)
	}
	for _, want := range []string{"BEGIN:VCALENDAR", "BEGIN:VEVENT", "SUMMARY:Next #HSCLeeds Tweet Meet", "LOCATION:Tech North", "DTSTART"} {
		if !strings.Contains(ics, want) {
			t.Errorf(".ics lacks %q:\n%s", want, ics)
		}
	}
}
