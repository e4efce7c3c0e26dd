package instance_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A followed organisation's event has a calendar file whose address is made
// from the event's own id, not from this instance's row number, so every
// instance links it the same way; the file carries that id as its UID and
// the event's booking link.
func TestRemoteEventCalendarFileIsNamedByTheEventsID(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			r := followedRemote(t, a, org, "carers")
			event := r.ActorID + "/events/open-evening"
			start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Hour)
			obj := map[string]any{"id": event, "type": "Event", "name": "Open evening", "to": []any{asPublic},
				"content": "<p>Come along</p>", "startTime": start.Format(time.RFC3339), "endTime": start.Add(time.Hour).Format(time.RFC3339),
				"location": map[string]any{"type": "Place", "name": "Carers Centre"},
				"joinMode": "external", "externalParticipationUrl": "https://tickets.example/open-evening"}
			if out := deliver(t, a, r, wrap(r, "Create", obj)); out != "applied: added to the timeline" {
				t.Fatalf("Create applied as %q", out)
			}

			_, page := get(t, a.URL+"/events")
			m := regexp.MustCompile(`href="([^"]*/events/remote\.ics\?[^"]*)" download`).FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("/events has no calendar link for the remote event:\n%s", page)
			}
			href := html.UnescapeString(m[1])
			if want := a.URL + "/events/remote.ics?id=" + url.QueryEscape(event); href != want {
				t.Errorf("calendar link = %q, want %q", href, want)
			}
			f := fetch(t, href, "")
			body := strings.ReplaceAll(string(f.body), "\r\n ", "")
			if f.status != 200 || f.header.Get("Content-Disposition") != "attachment; filename=open-evening.ics" {
				t.Fatalf("GET %s = %d, Content-Disposition %q", href, f.status, f.header.Get("Content-Disposition"))
			}
			for _, line := range []string{"UID:" + event, "URL:https://tickets.example/open-evening", "SUMMARY:Open evening",
				"LOCATION:Carers Centre", "X-WR-CALNAME:Open evening (", "DTSTART:" + start.Format("20060102T150405Z")} {
				if !strings.Contains(body, line) {
					t.Errorf("remote event's file lacks %q:\n%s", line, body)
				}
			}
			if status, _ := get(t, a.URL+"/events/remote.ics?id="+url.QueryEscape(r.ActorID+"/events/nope")); status != 404 {
				t.Errorf("an unknown id's file = %d, want 404", status)
			}
		})
	}
}
