package web_test

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
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
