package web_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	networks "github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// netSite is an instance hosting the network "leeds", whose members are
// Volition (here) and St Gemma's (on a second instance); The Trust is here
// too but not a member.
type netSite struct {
	a, b              *instancetest.Running
	net               *model.Actor
	volition, trust   *model.Actor
	hospice           *model.Actor // on b
	hospiceNote       *model.Post  // on b; a holds a copy
	event, trustEvent *model.Post
	guide             *model.Post
}

func startNetSite(t *testing.T, d store.Dialect) *netSite {
	t.Helper()
	s := &netSite{a: instancetest.Start(t, d), b: instancetest.Start(t, store.SQLite)}
	s.volition = s.a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	s.trust = s.a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	s.hospice = s.b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	var err error
	s.net, err = s.a.Networks.Create(bg, networks.NewNetwork{Username: "leeds", Name: "Leeds Health and Care",
		Summary: "Health and social care organisations in Leeds, in one place."})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"volition", "@stgemmas@" + s.b.Domain} {
		if _, err := s.a.Networks.AddMember(bg, s.net, ref); err != nil {
			t.Fatalf("add member %s: %v", ref, err)
		}
	}
	// A remote member is followed by the network; its posts then reach us.
	instancetest.Eventually(t, 10*time.Second, "St Gemma's to accept the network's follow", func() bool {
		c, err := s.b.Store.CountFollows(bg, s.hospice.ID)
		return err == nil && c.Followers == 1
	})
	s.hospiceNote = publish(t, s.b, s.hospice, posts.Draft{Kind: model.KindMeetupNote, Title: "Volunteers' week at the hospice",
		Body: "Thank you to the 300 volunteers. #HSCLeeds"})
	instancetest.Eventually(t, 10*time.Second, "the hospice's note on a", func() bool {
		_, err := s.a.Store.PostByIRI(bg, s.b.URL+"/users/stgemmas/posts/"+s.hospiceNote.Token)
		return err == nil
	})
	start := londonTime(t, time.Now().Year()+1, "03-10 18:30")
	s.event = publish(t, s.a, s.volition, posts.Draft{Kind: model.KindEvent, Title: "Peer support open evening", Body: "Tea.",
		Event: model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London", Venue: "Volition office"}})
	s.trustEvent = publish(t, s.a, s.trust, posts.Draft{Kind: model.KindEvent, Title: "Trust board meeting", Body: "Agenda.",
		Event: model.Event{StartTime: start, EndTime: start.Add(time.Hour), TimeZone: "Europe/London", Venue: "Trust HQ"}})
	s.guide = publish(t, s.a, s.volition, posts.Draft{Kind: model.KindGuidance, Title: "Peer support toolkit",
		Topic: "Peer support", Body: "Listen first."})
	publish(t, s.a, s.trust, posts.Draft{Kind: model.KindGuidance, Title: "Trust media policy", Topic: "Media", Body: "Ask comms."})
	publish(t, s.a, s.trust, posts.Draft{Kind: model.KindUpdate, Body: "The Trust's own news, not the network's."})
	return s
}

// The network's page, at the address organisations' pages have, shows who
// it is, the handle to follow from Mastodon, its members with links, their
// posts (local and remote, newest first), next events and latest
// guidance, and links its own Atom and iCalendar feeds; no post of a
// non-member appears. The actor's address still gives ActivityPub JSON.
func TestNetworkPage(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			s := startNetSite(t, d)
			u := s.a.URL
			handle := "@leeds@" + s.a.Domain
			for _, path := range []string{"/@leeds", "/users/leeds"} {
				body := page(t, u+path, http.StatusOK, "Leeds Health and Care ("+handle+")",
					`<h1 id="network-name">Leeds Health and Care</h1>`, "in one place.",
					"Follow "+handle+" from Mastodon", `value="`+handle+`"`,
					`<link rel="alternate" type="application/atom+xml" title="Atom feed of Leeds Health and Care" href="`+u+`/@leeds/feed.atom">`,
					`<link rel="alternate" type="text/calendar" title="Calendar of Leeds Health and Care" href="`+u+`/@leeds/events.ics">`,
					`<link rel="alternate" type="application/activity+json" href="`+u+`/users/leeds">`,
					"a network of 2 organisations",
					// members, with links to their pages
					`<a href="`+u+`/@volition">Volition</a>`, "@volition@"+s.a.Domain,
					`<a href="`+s.b.URL+`/@stgemmas">St Gemma&#39;s Hospice</a>`, "@stgemmas@"+s.b.Domain,
					// posts, next event, latest guidance
					"Volunteers&#39; week at the hospice", "Peer support open evening", "Peer support toolkit",
					`href="/@leeds/events"`, `href="/@leeds/guidance"`)
				for _, not := range []string{"Trust board meeting", "Trust media policy", "not the network"} {
					if strings.Contains(body, not) {
						t.Errorf("%s shows a non-member's post %q", path, not)
					}
				}
				if i, j := strings.Index(body, "Peer support toolkit"), strings.Index(body, "Volunteers&#39; week"); i < 0 || j < 0 {
					t.Errorf("%s lacks posts", path)
				}
			}
			// An ActivityPub request for the same address gets the actor.
			req, _ := http.NewRequest(http.MethodGet, u+"/users/leeds", nil)
			req.Header.Set("Accept", "application/activity+json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var actor struct{ ID, Type, PreferredUsername string }
			err = json.NewDecoder(resp.Body).Decode(&actor)
			resp.Body.Close()
			if err != nil || actor.Type != "Group" || actor.ID != u+"/users/leeds" || actor.PreferredUsername != "leeds" {
				t.Errorf("ActivityPub GET /users/leeds = %d %v %+v", resp.StatusCode, err, actor)
			}
			// Organisations' pages are as they were; a network has no
			// organisation page and an organisation no network pages.
			page(t, u+"/@volition", http.StatusOK, "Volition (@volition@"+s.a.Domain+")", `<h1 id="org-name">Volition</h1>`,
				`<p>Member of <a href="/@leeds">Leeds Health and Care</a></p>`)
			if body := get(t, u+"/@trust").body; strings.Contains(body, "Member of") {
				t.Error("a non-member's page names a network")
			}
			for _, path := range []string{"/@nobody", "/@volition/events", "/@volition/guidance", "/@volition/events.ics", "/@nobody/feed.atom"} {
				if r := get(t, u+path); r.status != http.StatusNotFound {
					t.Errorf("GET %s = %d, want 404", path, r.status)
				}
			}

			body := page(t, u+"/@leeds/events", http.StatusOK, "Upcoming events of Leeds Health and Care",
				"Peer support open evening", "webcal://"+s.a.Domain+"/@leeds/events.ics", `href="/@leeds"`)
			if strings.Contains(body, "Trust board meeting") {
				t.Error("the network's events list a non-member's event")
			}
			body = page(t, u+"/@leeds/guidance", http.StatusOK, "Guidance library of Leeds Health and Care",
				"Peer support toolkit", ">Peer support</h2>")
			if strings.Contains(body, "Trust media policy") {
				t.Error("the network's library lists a non-member's guidance")
			}
		})
	}
}

// The network's Atom feed parses and carries its members' posts, local and
// remote, newest first; its calendar parses and carries their upcoming
// events only.
func TestNetworkFeeds(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			s := startNetSite(t, d)
			u := s.a.URL
			r := get(t, u+"/@leeds/feed.atom")
			if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") {
				t.Fatalf("feed.atom = %d %s", r.status, r.header.Get("Content-Type"))
			}
			var f atomFeed
			if err := xml.Unmarshal([]byte(r.body), &f); err != nil {
				t.Fatalf("the network's feed does not parse: %v\n%s", err, r.body)
			}
			var ids []string
			for _, e := range f.Entries {
				ids = append(ids, e.ID)
			}
			want := []string{ // newest first
				u + "/users/volition/posts/" + s.guide.Token,
				u + "/users/volition/posts/" + s.event.Token,
				s.b.URL + "/users/stgemmas/posts/" + s.hospiceNote.Token,
			}
			if !strings.HasPrefix(f.Title, "Leeds Health and Care") ||
				strings.Join(ids, " ") != strings.Join(want, " ") {
				t.Errorf("feed %q entries:\n%s\nwant:\n%s", f.Title, strings.Join(ids, "\n"), strings.Join(want, "\n"))
			}

			r = get(t, u+"/@leeds/events.ics")
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/calendar; charset=utf-8" {
				t.Fatalf("events.ics = %d %s", r.status, r.header.Get("Content-Type"))
			}
			cal, err := ics.ParseCalendar(strings.NewReader(r.body))
			if err != nil {
				t.Fatalf("the network's calendar does not parse: %v\n%s", err, r.body)
			}
			var uids []string
			for _, e := range cal.Events() {
				uids = append(uids, e.Id())
			}
			if strings.Join(uids, " ") != u+"/users/volition/posts/"+s.event.Token {
				t.Errorf("calendar events = %v, want only Volition's", uids)
			}
			if !strings.Contains(r.body, "X-WR-CALNAME:Events of Leeds Health and Care") {
				t.Errorf("calendar name missing:\n%s", r.body)
			}
		})
	}
}

// The network's timeline pages like the main one: twenty posts a page,
// newest first, older ones behind a link, every post once across pages.
func TestNetworkTimelinePages(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	n, err := a.Networks.Create(bg, networks.NewNetwork{Username: "leeds", Name: "Leeds"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Networks.AddMember(bg, n, "volition"); err != nil {
		t.Fatal(err)
	}
	const total = 23
	for i := range total {
		publish(t, a, org, posts.Draft{Kind: model.KindUpdate, Body: fmt.Sprintf("Numbered update %02d.", i)})
	}
	older := regexp.MustCompile(`<a href="([^"]+)" rel="next">Older posts</a>`)
	numbered := regexp.MustCompile(`Numbered update (\d\d)\.`)
	var seen []string
	path := "/@leeds"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("the pages do not end")
		}
		body := get(t, a.URL+path).body
		for _, m := range numbered.FindAllStringSubmatch(body, -1) {
			seen = append(seen, m[1])
		}
		path = ""
		if m := older.FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != total {
		t.Fatalf("saw %d posts over the pages, want %d: %v", len(seen), total, seen)
	}
	for i, n := range seen {
		if want := fmt.Sprintf("%02d", total-1-i); n != want {
			t.Fatalf("post %d on the pages is %s, want %s (newest first, each once): %v", i, n, want, seen)
		}
	}
}

// The network's page has the main timeline's kind tabs: each shows only
// that kind from the members, marked current, pages by the same keyset
// with the kind kept in the Older link, and leaves out the first page's
// members, events and guidance; an unknown kind is a bad request.
func TestNetworkKindTabs(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			volition := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
			trust := a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			n, err := a.Networks.Create(bg, networks.NewNetwork{Username: "leeds", Name: "Leeds"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Networks.AddMember(bg, n, "volition"); err != nil {
				t.Fatal(err)
			}
			const guides = 23
			for i := range guides {
				publish(t, a, volition, posts.Draft{Kind: model.KindGuidance, Title: fmt.Sprintf("Numbered guide %02d", i),
					Topic: "Peer support", Body: "Listen first."})
				if i%10 == 0 {
					publish(t, a, volition, posts.Draft{Kind: model.KindUpdate, Body: fmt.Sprintf("Numbered update %02d.", i)})
				}
			}
			publish(t, a, trust, posts.Draft{Kind: model.KindGuidance, Title: "Numbered guide 99", Topic: "Media", Body: "Not a member's."})

			body := page(t, a.URL+"/@leeds", http.StatusOK, "Leeds (@leeds@"+a.Domain+")",
				`<nav class="tabs" aria-label="Kinds of post">`, `<a href="/@leeds" aria-current="page">All</a>`,
				`<a href="/@leeds?kind=guidance">Guidance</a>`, `<a href="/@leeds?kind=update">Updates</a>`,
				`<a href="/@leeds?kind=event">Events</a>`, `<a href="/@leeds?kind=meetup_note">Meetup notes</a>`,
				`<h2 id="posts-heading">Posts from the members</h2>`, `id="members-heading"`)
			if !strings.Contains(body, "Numbered update 20.") {
				t.Error("the All tab lacks the latest update")
			}

			older := regexp.MustCompile(`<a href="([^"]+)" rel="next">Older posts</a>`)
			guide := regexp.MustCompile(`Numbered guide (\d\d)`)
			var seen []string
			path := "/@leeds?kind=guidance"
			for pages := 0; path != ""; pages++ {
				if pages > 3 {
					t.Fatal("the guidance pages do not end")
				}
				body := page(t, a.URL+path, http.StatusOK, "Guidance from the members of Leeds (@leeds@"+a.Domain+")",
					`<a href="/@leeds?kind=guidance" aria-current="page">Guidance</a>`, `<a href="/@leeds">All</a>`,
					`<h2 id="posts-heading">Guidance from the members</h2>`)
				for _, not := range []string{"Numbered update", `id="members-heading"`, `id="events-heading"`} {
					if strings.Contains(body, not) {
						t.Errorf("%s shows %q", path, not)
					}
				}
				for _, m := range guide.FindAllStringSubmatch(body, -1) {
					if len(seen) == 0 || seen[len(seen)-1] != m[1] { // a title may show twice in one item
						seen = append(seen, m[1])
					}
				}
				path = ""
				if m := older.FindStringSubmatch(body); m != nil {
					path = strings.ReplaceAll(m[1], "&amp;", "&")
					if !strings.Contains(path, "kind=guidance") || !strings.HasPrefix(path, "/@leeds?") {
						t.Errorf("the Older link %q loses the kind", path)
					}
				}
			}
			if len(seen) != guides {
				t.Fatalf("saw %d guides over the pages, want %d: %v", len(seen), guides, seen)
			}
			for i, g := range seen {
				if want := fmt.Sprintf("%02d", guides-1-i); g != want {
					t.Fatalf("guide %d on the pages is %s, want %s (newest first, each once, members only): %v", i, g, want, seen)
				}
			}

			body = page(t, a.URL+"/@leeds?kind=update", http.StatusOK, "Updates from the members of Leeds (@leeds@"+a.Domain+")", "Numbered update 00.", "Numbered update 20.")
			if strings.Contains(body, "Numbered guide") || strings.Contains(body, `rel="next"`) {
				t.Errorf("the updates tab shows guidance or pages on:\n%s", body)
			}
			page(t, a.URL+"/@leeds?kind=event", http.StatusOK, "Events from the members of Leeds (@leeds@"+a.Domain+")", "No events from the members yet.")
			if r := get(t, a.URL+"/@leeds?kind=recipe"); r.status != http.StatusBadRequest {
				t.Errorf("an unknown kind answered %d, want 400", r.status)
			}
		})
	}
}
