package browserjourneys_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// An event page's calendar link downloads a file named after the event,
// with its booking link. (The pages' Content-Security-Policy forbids
// scripts fetching anything, so the file is fetched from the address the
// link in the page holds, as the browser's download would be.)
func TestBrowserEventPageCalendarLinkDownloadsNamedFileWithBookingLink(t *testing.T) {
	browser := browsertest.New(t)
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	draft := instancetest.DemoDrafts(t)[model.KindEvent] // "Next #HSCLeeds Tweet Meet", booking at tickets.example
	p, err := a.Posts.Publish(bg, org, draft)
	if err != nil {
		t.Fatal(err)
	}
	postURL := a.URL + "/users/hscleeds/posts/" + p.Token

	browsertest.Do(t, browser, chromedp.Navigate(postURL), chromedp.WaitVisible(".add-to-calendar a"))
	text := browsertest.Get(t, browser, chromedp.Text(".add-to-calendar a"))
	href := browsertest.Get(t, browser, chromedp.Evaluate[string](`document.querySelector('.add-to-calendar a[download]').href`))
	if text != "Add to calendar" || href != postURL+"/event.ics" {
		t.Errorf("calendar link %q to %q, want \"Add to calendar\" to %s/event.ics", text, href, postURL)
	}

	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("GET %s = %d %s", href, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != "attachment; filename=next-hscleeds-tweet-meet.ics" {
		t.Errorf("Content-Disposition = %q, want the file named after the event", cd)
	}
	ics := strings.ReplaceAll(string(raw), "\r\n ", "") // unfold long lines
	for _, want := range []string{"SUMMARY:Next #HSCLeeds Tweet Meet", "X-WR-CALNAME:Next #HSCLeeds Tweet Meet (The Sociable Organisation)",
		"URL:" + draft.Event.BookingURL, "Book a place: " + draft.Event.BookingURL, "UID:" + postURL, "ORGANIZER;CN=The Sociable Organisation:"} {
		if !strings.Contains(ics, want) {
			t.Errorf("the downloaded file lacks %q:\n%s", want, raw)
		}
	}
	browsertest.Screenshot(t, browser, "event-with-calendar-link-phone", 390)
}
