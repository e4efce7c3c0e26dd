package web_test

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	networks "github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A post that reaches us from its organisation and again in a network's
// Announce (a boost, as FEP-1b12 groups share) is one post: the Announce
// is counted on it, never listed beside it. Here a remote member's note
// and a local member's event are each announced by a network elsewhere
// that an organisation here follows; every list that shows them (the
// timeline, a kind tab, the tag page, the network's page, the events
// pages, both Atom feeds) shows each once.
func TestAnnouncedMemberPostAppearsOnce(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			s := startNetSite(t, d)
			u := s.a.URL
			elsewhere := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "othernet"})
			note := s.b.URL + "/users/stgemmas/posts/" + s.hospiceNote.Token
			event := u + "/users/volition/posts/" + s.event.Token
			for i, object := range []string{note, event} {
				boost := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Announce",
					"id": elsewhere.ActorID + "/announces/" + string(rune('a'+i)), "actor": elsewhere.ActorID, "object": object,
					"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []any{elsewhere.ActorID + "/followers"}}
				if status, msg := elsewhere.Send(t, u+"/inbox", boost); status != http.StatusAccepted {
					t.Fatalf("announce: %d %s", status, msg)
				}
			}
			instancetest.Eventually(t, 10*time.Second, "both Announces to be counted", func() bool {
				n, err1 := s.a.Store.PostByIRI(bg, note)
				e, err2 := s.a.Store.PostByID(bg, s.event.ID)
				return err1 == nil && err2 == nil && n.AnnounceCount == 1 && e.AnnounceCount == 1
			})

			noteTitle, eventTitle := "Volunteers&#39; week at the hospice", "Peer support open evening"
			for _, c := range []struct{ path, title string }{
				{"/", noteTitle}, {"/", eventTitle}, {"/?kind=meetup_note", noteTitle}, {"/?kind=event", eventTitle},
				{"/tags/hscleeds", noteTitle}, {"/@leeds", noteTitle}, {"/@leeds", eventTitle},
			} {
				r := get(t, u+c.path)
				list := postList(r.body)
				if n := strings.Count(list, c.title); r.status != http.StatusOK || n != 1 {
					t.Errorf("%s lists %q %d times, want once (status %d)", c.path, c.title, n, r.status)
				}
				if !strings.Contains(list, "1 boost") {
					t.Errorf("%s does not show the boost on the post", c.path)
				}
			}
			for _, path := range []string{"/events", "/@leeds/events"} {
				if n := strings.Count(get(t, u+path).body, `<h3><a href="`+event+`">`); n != 1 {
					t.Errorf("%s lists the event %d times, want once", path, n)
				}
			}
			for _, path := range []string{"/feed.atom", "/@leeds/feed.atom"} {
				var f atomFeed
				if err := xml.Unmarshal([]byte(get(t, u+path).body), &f); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				seen := map[string]int{}
				for _, e := range f.Entries {
					seen[e.ID]++
				}
				if seen[note] != 1 || seen[event] != 1 {
					t.Errorf("%s has the note %d times and the event %d times, want each once", path, seen[note], seen[event])
				}
			}
		})
	}
}

// postList is the list of post cards on a page (items.partial.html),
// leaving out the sections beside it that name posts too.
func postList(body string) string {
	_, rest, ok := strings.Cut(body, `<ol class="items">`)
	if !ok {
		return ""
	}
	list, _, _ := strings.Cut(rest, "</ol>")
	return list
}

// The same across instances, with both sides' federation: an organisation
// on A follows St Gemma's on B and the network on B that St Gemma's is a
// member of. St Gemma's posts once; A receives the post from St Gemma's
// and the network's Announce of it, and lists it once, boosted once; B's
// network page lists it once too.
func TestPostFromOrgAndItsNetworkAppearsOnceOnAnotherInstance(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a, b := instancetest.Start(t, d), instancetest.Start(t, store.SQLite)
			reader := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
			hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			n, err := b.Networks.Create(bg, networks.NewNetwork{Username: "leeds", Name: "Leeds Health and Care"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.Networks.AddMember(bg, n, "stgemmas"); err != nil {
				t.Fatal(err)
			}
			for _, handle := range []string{"@stgemmas@" + b.Domain, "@leeds@" + b.Domain} {
				target, err := a.Fetcher.Resolve(bg, handle)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.Follows.Follow(bg, reader, target); err != nil {
					t.Fatal(err)
				}
			}
			instancetest.Eventually(t, 10*time.Second, "both follows accepted", func() bool {
				c, err := a.Store.CountFollows(bg, reader.ID)
				return err == nil && c.Following == 2
			})
			p := publish(t, b, hospice, posts.Draft{Kind: model.KindMeetupNote, Title: "Volunteers' week at the hospice",
				Body: "Thank you to the 300 volunteers. #HSCLeeds"})
			iri := b.URL + "/users/stgemmas/posts/" + p.Token
			instancetest.Eventually(t, 10*time.Second, "the post and the network's boost of it on A", func() bool {
				held, err := a.Store.PostByIRI(bg, iri)
				return err == nil && held.AnnounceCount == 1
			})
			title := "Volunteers&#39; week at the hospice"
			for _, c := range []struct{ base, path string }{{a.URL, "/"}, {a.URL, "/tags/hscleeds"}, {b.URL, "/@leeds"}, {b.URL, "/"}} {
				list := postList(get(t, c.base+c.path).body)
				if n := strings.Count(list, title); n != 1 {
					t.Errorf("%s%s lists the post %d times, want once", c.base, c.path, n)
				}
			}
			var f atomFeed
			if err := xml.Unmarshal([]byte(get(t, a.URL+"/feed.atom").body), &f); err != nil {
				t.Fatal(err)
			}
			seen := 0
			for _, e := range f.Entries {
				if e.ID == iri {
					seen++
				}
			}
			if seen != 1 || len(f.Entries) != 1 {
				t.Errorf("A's feed has %d entries, the post %d times; want it alone, once", len(f.Entries), seen)
			}
		})
	}
}
