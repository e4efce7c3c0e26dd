package instance_test

import (
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
	return instancetest.FollowedRemote(t, inst, org, username)
}

// followRemote has org follow a new remote account and returns it with the
// Follow it received, not yet answered.
func followRemote(t *testing.T, inst *instancetest.Running, org *model.Actor, username string) (*instancetest.Remote, map[string]any) {
	t.Helper()
	return instancetest.FollowRemote(t, inst, org, username)
}

// deliver sends a signed activity from r and waits until the instance has
// applied it, returning the outcome it recorded.
func deliver(t *testing.T, inst *instancetest.Running, r *instancetest.Remote, act map[string]any) string {
	t.Helper()
	return instancetest.Deliver(t, inst, r, act)
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
