package web_test

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// An event's own calendar file is named after it, is called by its title
// and organisation in the calendar, and carries the booking link, the
// organiser, the place, a stable UID and the times in UTC.
func TestEventCalendarFileContent(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			org := inst.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice, Leeds"})
			start := londonTime(t, time.Now().Year()+1, "03-26 18:30")
			p := publish(t, inst, org, posts.Draft{Kind: model.KindEvent, Title: "Café & Cake: Digital Inclusion!",
				Body: "Bring a device.", Event: model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour),
					TimeZone: "Europe/London", Venue: "The Hall", Address: "1 Moor Road, Leeds",
					BookingURL: "https://tickets.example/cafe?ref=cp", OnlineURL: "https://meet.example/cafe"}})
			postURL := inst.URL + "/users/stgemmas/posts/" + p.Token

			r := get(t, postURL+"/event.ics")
			if r.status != 200 || r.header.Get("Content-Type") != "text/calendar; charset=utf-8" {
				t.Fatalf("event.ics = %d %s", r.status, r.header.Get("Content-Type"))
			}
			if cd := r.header.Get("Content-Disposition"); cd != "attachment; filename=cafe-cake-digital-inclusion.ics" {
				t.Errorf("Content-Disposition = %q", cd)
			}
			text := strings.ReplaceAll(r.body, "\r\n ", "") // unfold
			for _, line := range []string{
				"METHOD:PUBLISH",
				`X-WR-CALNAME:Café & Cake: Digital Inclusion! (St Gemma's Hospice\, Leeds)`,
				`NAME:Café & Cake: Digital Inclusion! (St Gemma's Hospice\, Leeds)`,
				"UID:" + postURL,
				"DTSTAMP:" + p.Published.UTC().Format("20060102T150405Z"),
				"DTSTART:" + start.UTC().Format("20060102T150405Z"),
				"DTEND:" + start.Add(2*time.Hour).UTC().Format("20060102T150405Z"),
				`SUMMARY:Café & Cake: Digital Inclusion!`,
				`LOCATION:The Hall\, 1 Moor Road\, Leeds`,
				"URL:https://tickets.example/cafe?ref=cp",
				"ORGANIZER;CN=St Gemma’s Hospice Leeds:" + inst.URL + "/@stgemmas",
			} {
				if !strings.Contains(text, line+"\r\n") {
					t.Errorf("event.ics lacks line %q:\n%s", line, r.body)
				}
			}
			cal, err := ics.ParseCalendar(strings.NewReader(r.body))
			if err != nil || len(cal.Events()) != 1 {
				t.Fatalf("parse: %v, %d events\n%s", err, len(cal.Events()), r.body)
			}
			desc := cal.Events()[0].GetProperty(ics.ComponentPropertyDescription)
			if desc == nil {
				t.Fatalf("no DESCRIPTION:\n%s", r.body)
			}
			for _, want := range []string{"Book a place: https://tickets.example/cafe?ref=cp", "Join online: https://meet.example/cafe", "Details: " + postURL} {
				if !strings.Contains(desc.Value, want) {
					t.Errorf("DESCRIPTION %q lacks %q", desc.Value, want)
				}
			}

			// The event's page links to it, and a deleted event's file is gone.
			page(t, postURL, 200, "Café &amp; Cake: Digital Inclusion!", `href="`+postURL+`/event.ics" download>Add to calendar</a>`)
			if err := inst.Posts.Delete(bg, p); err != nil {
				t.Fatal(err)
			}
			if r := get(t, postURL+"/event.ics"); r.status != 404 {
				t.Errorf("a deleted event's file = %d, want 404", r.status)
			}
		})
	}
}

// The network calendar is offered to subscribe to with webcal:, the same
// host and path as the https address, which is offered too.
func TestEventsPageOffersWebcalSubscription(t *testing.T) {
	n := startNetwork(t)
	host := strings.TrimPrefix(n.inst.URL, "http://")
	page(t, n.inst.URL+"/events", 200, "Upcoming events",
		`<a href="webcal://`+host+`/events.ics">Subscribe to these events in your calendar app</a>`,
		"<code>"+n.inst.URL+"/events.ics</code>", `<a href="`+n.inst.URL+`/events.ics">`)
	if body := page(t, n.inst.URL+"/events/past", 200, "Past events"); strings.Contains(body, "webcal:") {
		t.Error("the archive offers a subscription")
	}
	// What the webcal: link names is the calendar feed.
	if r := get(t, n.inst.URL+"/events.ics"); r.status != 200 || !strings.Contains(r.body, "SUMMARY:Next Tweet Meet") {
		t.Errorf("/events.ics = %d\n%s", r.status, r.body)
	}
}

// An event's Atom entry says when and where in its content, not only in
// its summary, with its booking and calendar links; other entries do not.
func TestAtomEventEntryContentSaysWhenAndWhere(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			org := inst.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
			note := publish(t, inst, org, posts.Draft{Kind: model.KindMeetupNote, Title: "Notes", Body: "Cake was had."})
			start := londonTime(t, time.Now().Year()+1, "07-02 18:30")
			ev := publish(t, inst, org, posts.Draft{Kind: model.KindEvent, Title: "Summer <social>", Body: "Bring questions.",
				Event: model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London",
					Venue: "Tech North", Address: "Chapel Allerton, Leeds", BookingURL: "https://tickets.example/summer"}})
			r := get(t, inst.URL+"/feed.atom")
			var f atomFeed
			if err := xml.Unmarshal([]byte(r.body), &f); err != nil {
				t.Fatal(err)
			}
			contents := map[string]string{}
			for _, e := range f.Entries {
				contents[e.ID] = e.Content
			}
			evURL, noteURL := inst.URL+"/users/hscleeds/posts/"+ev.Token, inst.URL+"/users/hscleeds/posts/"+note.Token
			content := contents[evURL]
			for _, want := range []string{
				"<dt>When</dt><dd>" + start.Format("Monday 2 January 2006") + ", 6:30pm to 8:30pm BST</dd>",
				"<dt>Where</dt><dd>Tech North, Chapel Allerton, Leeds</dd>",
				`<a href="https://tickets.example/summer">Book a place</a>`,
				`<a href="` + evURL + `/event.ics">`,
				"Bring questions.",
			} {
				if !strings.Contains(content, want) {
					t.Errorf("event entry content lacks %q:\n%s", want, content)
				}
			}
			if strings.Index(content, "<dt>When</dt>") > strings.Index(content, "Bring questions.") {
				t.Error("the time comes after the description")
			}
			if c := contents[noteURL]; c == "" || strings.Contains(c, "<dt>When</dt>") {
				t.Errorf("meetup note content = %q", c)
			}
		})
	}
}
