package instance_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Who may see a post is what its author set on the post itself. A public
// event on every public page leaves all of them when an Update makes it
// followers-only, even though the Update itself is addressed to the
// public; a public Create of a followers-only post stores nothing.
func TestVisibilityComesFromTheObject(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			r := followedRemote(t, a, org, "volition")

			id := r.ActorID + "/events/careers"
			start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
			event := func(to ...any) map[string]any {
				return map[string]any{"id": id, "type": "Event", "name": "Careers evening zq7", "to": to,
					"content": "<p>Come and hear about careers</p>", "startTime": start.Format(time.RFC3339),
					"tag": []any{map[string]any{"type": "Hashtag", "name": "#careerszq7", "href": r.Server.URL + "/tags/careerszq7"}}}
			}
			pages := []string{"/", "/tags/careerszq7", "/feed.atom", "/events", "/events.ics"}
			onPages := func() []string {
				var on []string
				for _, p := range pages {
					if _, body := get(t, a.URL+p); strings.Contains(body, "zq7") && strings.Contains(body, "Careers evening") {
						on = append(on, p)
					}
				}
				return on
			}

			if out := deliver(t, a, r, wrap(r, "Create", event(asPublic))); out != "applied: added to the timeline" {
				t.Fatalf("public Create applied as %q", out)
			}
			if on := onPages(); len(on) != len(pages) {
				t.Fatalf("the public event is only on %v", on)
			}

			followersOnly := wrap(r, "Update", event(r.ActorID+"/followers"))
			followersOnly["object"].(map[string]any)["updated"] = time.Now().UTC().Format(time.RFC3339)
			if out := deliver(t, a, r, followersOnly); !strings.HasPrefix(out, "applied") {
				t.Errorf("Update to followers-only applied as %q", out)
			}
			if on := onPages(); len(on) != 0 {
				t.Errorf("a post made followers-only is still on %v", on)
			}

			private := r.ActorID + "/statuses/private"
			out := deliver(t, a, r, wrap(r, "Create", map[string]any{"id": private, "type": "Note",
				"to": []any{r.ActorID + "/followers"}, "content": "<p>Only for followers</p>"}))
			if out != "ignored: not addressed to the public" {
				t.Errorf("a public Create of a followers-only Note applied as %q", out)
			}
			if _, err := a.Store.PostByIRI(bg, private); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the followers-only Note was stored: %v", err)
			}
		})
	}
}

// An Undo or Reject that names someone else's follow changes nothing, and
// the record says so: "ignored", not "applied".
func TestForgedUndoAndRejectAreRecordedAsIgnored(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			orgID := a.Layout.IDOf(org)
			followed := followedRemote(t, a, org, "volition")
			bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
			eve := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "eve"})

			bobsFollow := bob.Follow(orgID)
			if out := deliver(t, a, bob, bobsFollow); out != "applied: follow accepted" {
				t.Fatalf("bob's Follow applied as %q", out)
			}
			ourFollow, err := a.Store.FollowBetween(bg, a.Store.DB, org.ID, mustActor(t, a, followed.ActorID).ID)
			if err != nil {
				t.Fatal(err)
			}

			undo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": eve.NewID("undos"),
				"type": "Undo", "actor": eve.ActorID, "object": map[string]any{
					"id": bobsFollow["id"], "type": "Follow", "actor": eve.ActorID, "object": orgID}}
			if out := deliver(t, a, eve, undo); !strings.HasPrefix(out, "ignored") {
				t.Errorf("eve's Undo of bob's follow recorded as %q", out)
			}
			reject := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": eve.NewID("rejects"),
				"type": "Reject", "actor": eve.ActorID, "object": map[string]any{
					"id": ourFollow.ActivityIRI, "type": "Follow", "actor": orgID, "object": followed.ActorID}}
			if out := deliver(t, a, eve, reject); !strings.HasPrefix(out, "ignored") {
				t.Errorf("eve's Reject of our follow recorded as %q", out)
			}

			if c := counts(t, a, org); c.Followers != 1 || c.Following != 1 {
				t.Errorf("after the forged Undo and Reject: %+v, want 1 follower and 1 followed", c)
			}
			// The real ones still apply.
			bobsUndo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": bob.NewID("undos"),
				"type": "Undo", "actor": bob.ActorID, "object": bobsFollow}
			if out := deliver(t, a, bob, bobsUndo); out != "applied: unfollowed" {
				t.Errorf("bob's own Undo recorded as %q", out)
			}
		})
	}
}
