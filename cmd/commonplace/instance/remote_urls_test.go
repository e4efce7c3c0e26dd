package instance_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// injection is what a hostile url carries into an iCalendar file if it is
// written as sent: the end of our event and a whole event of its own.
const injection = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected\r\nSUMMARY:Injected\r\nDTSTART:20990101T000000Z\r\nX-INJECTED:1"

// A followed organisation's posts carry hostile urls: a javascript: link,
// a url with line breaks (in the post, its booking link, its online link
// and its place), and a url on another server. None of them reaches the
// Atom feed, the calendar or the timeline: each post links to its own id.
func TestHostileRemoteURLsNeverReachOurPages(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			r := followedRemote(t, a, org, "mallory")

			script, event, elsewhere := r.ActorID+"/statuses/script", r.ActorID+"/events/1", r.ActorID+"/statuses/elsewhere"
			start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Hour)
			for _, obj := range []map[string]any{
				{"id": script, "type": "Article", "name": "Script link", "to": []any{asPublic},
					"content": "<p>Hello</p>", "url": "javascript:alert(1)"},
				{"id": event, "type": "Event", "name": "Open evening", "to": []any{asPublic},
					"content": "<p>Come along</p>", "url": event + injection,
					"startTime": start.Format(time.RFC3339), "endTime": start.Add(time.Hour).Format(time.RFC3339),
					"location": []any{map[string]any{"type": "Place", "name": "Hall" + injection},
						map[string]any{"type": "VirtualLocation", "url": "https://meet.example/x" + injection}},
					"joinMode": "external", "externalParticipationUrl": "https://tickets.example/x" + injection},
				{"id": elsewhere, "type": "Article", "name": "Phish", "to": []any{asPublic},
					"content": "<p>Read more</p>", "url": "https://elsewhere.example/login"},
			} {
				if out := deliver(t, a, r, wrap(r, "Create", obj)); out != "applied: added to the timeline" {
					t.Fatalf("Create of %s applied as %q", obj["id"], out)
				}
			}

			for _, id := range []string{script, event, elsewhere} {
				p, err := a.Store.PostByIRI(bg, id)
				if err != nil {
					t.Fatal(err)
				}
				if p.URL != "" || p.OnlineURL != "" || p.BookingURL != "" {
					t.Errorf("%s stored with url %q, online %q, booking %q", id, p.URL, p.OnlineURL, p.BookingURL)
				}
				if strings.ContainsAny(p.Venue+p.Address, "\r\n") {
					t.Errorf("%s stored with a line break in its place %q", id, p.Venue)
				}
			}

			status, feed := get(t, a.URL+"/feed.atom")
			if status != http.StatusOK || !strings.Contains(feed, script) {
				t.Fatalf("/feed.atom: %d without the post\n%s", status, feed)
			}
			if strings.Contains(strings.ToLower(feed), "javascript:") {
				t.Errorf("/feed.atom carries a javascript: link:\n%s", feed)
			}

			status, cal := get(t, a.URL+"/events.ics")
			if status != http.StatusOK {
				t.Fatalf("/events.ics: %d", status)
			}
			parsed, err := ics.ParseCalendar(strings.NewReader(cal))
			if err != nil {
				t.Fatalf("/events.ics does not parse: %v\n%s", err, cal)
			}
			if n := len(parsed.Events()); n != 1 {
				t.Errorf("/events.ics has %d events, want 1:\n%s", n, cal)
			}
			for _, line := range strings.Split(cal, "\r\n") {
				if strings.HasPrefix(line, "X-INJECTED") || strings.HasPrefix(line, "UID:injected") || strings.ContainsRune(line, '\r') {
					t.Errorf("/events.ics has an injected line %q", line)
				}
			}

			status, home := get(t, a.URL+"/")
			if status != http.StatusOK {
				t.Fatalf("/: %d", status)
			}
			if strings.Contains(home, "elsewhere.example") {
				t.Errorf("the timeline links to another server")
			}
			if !strings.Contains(home, `href="`+elsewhere+`"`) {
				t.Errorf("the timeline does not link the post to its own id %s", elsewhere)
			}
		})
	}
}
