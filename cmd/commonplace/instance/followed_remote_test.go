package instance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
)

const asPublic = "https://www.w3.org/ns/activitystreams#Public"

// followedRemote starts a remote account that org follows, its Accept
// applied, so that its public posts go on the timeline.
func followedRemote(t *testing.T, inst *instancetest.Running, org *model.Actor, username string) *instancetest.Remote {
	t.Helper()
	r, follow := followRemote(t, inst, org, username)
	accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.NewID("accepts"),
		"type": "Accept", "actor": r.ActorID, "object": follow}
	if out := deliver(t, inst, r, accept); out != "applied: follow accepted" {
		t.Fatalf("Accept applied as %q", out)
	}
	return r
}

// followRemote has org follow a new remote account and returns it with the
// Follow it received, not yet answered.
func followRemote(t *testing.T, inst *instancetest.Running, org *model.Actor, username string) (*instancetest.Remote, map[string]any) {
	t.Helper()
	r := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: username})
	target, err := inst.Fetcher.Resolve(bg, r.ActorID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Follows.Follow(bg, org, target); err != nil {
		t.Fatal(err)
	}
	var follow map[string]any
	instancetest.Eventually(t, wait, "our Follow to arrive", func() bool {
		for _, d := range r.Received() {
			if d.Activity["type"] == "Follow" {
				follow = d.Activity
			}
		}
		return follow != nil
	})
	return r, follow
}

// deliver sends a signed activity from r and waits until the instance has
// applied it, returning the outcome it recorded.
func deliver(t *testing.T, inst *instancetest.Running, r *instancetest.Remote, act map[string]any) string {
	t.Helper()
	if status, msg := r.Send(t, inst.URL+"/inbox", act); status != http.StatusAccepted {
		t.Fatalf("%s: %d %s", act["type"], status, msg)
	}
	var outcome string
	instancetest.Eventually(t, wait, "the "+act["type"].(string)+" to be applied", func() bool {
		var rows []string
		err := inst.Store.DB.NewSelect().Table("inbox_activities").Column("outcome").
			Where("activity_iri = ?", act["id"]).Where("processed_at IS NOT NULL").Scan(bg, &rows)
		if err != nil || len(rows) == 0 {
			return false
		}
		outcome = rows[0]
		return true
	})
	return outcome
}

// wrap puts an object in an activity of r's addressed to the public, as
// Mastodon sends a Create or Update.
func wrap(r *instancetest.Remote, typ string, obj map[string]any) map[string]any {
	if _, ok := obj["attributedTo"]; !ok {
		obj["attributedTo"] = r.ActorID
	}
	if _, ok := obj["published"]; !ok {
		obj["published"] = time.Now().UTC().Format(time.RFC3339)
	}
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.NewID("activities"),
		"type": typ, "actor": r.ActorID, "to": []any{asPublic}, "cc": []any{r.ActorID + "/followers"}, "object": obj}
}

// get fetches a page of the instance and returns its status and body.
func get(t *testing.T, rawURL string) (int, string) {
	t.Helper()
	f := fetch(t, rawURL, "")
	return f.status, string(f.body)
}

// mustActor is a remote actor as the instance stored it.
func mustActor(t *testing.T, inst *instancetest.Running, iri string) *model.Actor {
	t.Helper()
	a, err := inst.Store.RemoteActorByIRI(bg, iri)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
