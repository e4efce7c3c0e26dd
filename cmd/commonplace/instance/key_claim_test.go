package instance_test

import (
	"net/http"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// An actor document that names someone else's key id must not make that key
// its own: not when we fetch the actor to check its own key, and not when it
// sends an Update of itself. The victim's deliveries stay accepted and
// attributed to the victim, and no claim of the victim's key is stored.
func TestKeyClaimedByAnotherActor(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testKeyClaimedByAnotherActor(t, d) })
	}
}

func testKeyClaimedByAnotherActor(t *testing.T, d store.Dialect) {
	a := instancetest.Start(t, d)
	a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	org := a.URL + "/users/stgemmas"
	victim := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "victim"})
	claimVictimKey := func(doc map[string]any) {
		doc["publicKey"] = map[string]any{"id": victim.KeyID, "owner": doc["id"], "publicKeyPem": victim.PublicKeyPEM()}
	}

	// Mallory signs with a key of her own in a separate document, but her
	// actor document names the victim's key.
	mallory := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "mallory", PathKey: true})
	mallory.TamperActor(claimVictimKey)
	mallory.Send(t, a.URL+"/inbox", mallory.Follow(org))

	// Eve is a plain follower, then updates herself to claim the key.
	eve := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "eve"})
	if status, msg := eve.Send(t, a.URL+"/inbox", eve.Follow(org)); status != http.StatusAccepted {
		t.Fatalf("eve's Follow: %d %s", status, msg)
	}
	update := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": eve.NewID("updates"),
		"type": "Update", "actor": eve.ActorID, "object": eve.ServedActorDoc(),
		"to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
	claimVictimKey(update["object"].(map[string]any))
	if status, msg := eve.Send(t, a.URL+"/inbox", update); status != http.StatusAccepted {
		t.Fatalf("eve's Update: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "eve's Update to be applied or dropped", func() bool {
		row, err := a.Store.InboxActivityByIRI(bg, update["id"].(string))
		return err == nil && row.Outcome != ""
	})

	for _, r := range []*instancetest.Remote{mallory, eve} {
		if got, err := a.Store.RemoteActorByIRI(bg, r.ActorID); err == nil && got.PublicKeyID == victim.KeyID {
			t.Errorf("%s's claim of the victim's key was stored", r.Username)
		}
	}
	if got, err := a.Store.RemoteActorByKeyID(bg, victim.KeyID); err == nil && got.IRI != victim.ActorID {
		t.Errorf("the victim's key is held by %s", got.IRI)
	}

	follow := victim.Follow(org)
	if status, msg := victim.Send(t, a.URL+"/inbox", follow); status != http.StatusAccepted {
		t.Fatalf("the victim's Follow: %d %s", status, msg)
	}
	row, err := a.Store.InboxActivityByIRI(bg, follow["id"].(string))
	if err != nil || row.ActorIRI != victim.ActorID {
		t.Fatalf("the victim's Follow was recorded as %+v, %v", row, err)
	}
	got, err := a.Store.RemoteActorByKeyID(bg, victim.KeyID)
	if err != nil || got.IRI != victim.ActorID {
		t.Errorf("RemoteActorByKeyID(victim's key) = %+v, %v; want the victim", got, err)
	}
}
