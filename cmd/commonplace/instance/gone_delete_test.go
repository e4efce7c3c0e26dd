package instance_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

func selfDelete(r *instancetest.Remote) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.ActorID + "#delete",
		"type": "Delete", "actor": r.ActorID, "object": r.ActorID,
		"to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
}

// sendSignedBy POSTs activity signed with a key of our making under keyID,
// as a forger would.
func sendSignedBy(t *testing.T, keyID, inbox string, activity map[string]any) (int, string) {
	t.Helper()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := httpsign.NewSigner(keyID, pair.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
	body := mustJSON(t, activity)
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := signer.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(msg)
}

// A deleted Mastodon account's server sends its Delete signed with a key
// it no longer serves. We answer 2xx and remove what we held of it, but
// only after seeing its actor id gone too; an account we never knew costs
// nothing and leaves no trace.
func TestDeleteFromGoneActor(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testDeleteFromGoneActor(t, d) })
	}
}

func testDeleteFromGoneActor(t *testing.T, d store.Dialect) {
	a := instancetest.Start(t, d)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	p, err := a.Posts.Publish(bg, org, demoDrafts(t)[model.KindGuidance])
	if err != nil {
		t.Fatal(err)
	}
	postURL := a.URL + "/users/stgemmas/posts/" + p.Token
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/stgemmas")); status != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", status, msg)
	}
	replyID := alice.ActorID + "/statuses/1"
	reply := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": replyID + "/activity", "type": "Create",
		"actor": alice.ActorID, "to": []any{"https://www.w3.org/ns/activitystreams#Public"},
		"object": map[string]any{"id": replyID, "type": "Note", "attributedTo": alice.ActorID, "inReplyTo": postURL,
			"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "published": time.Now().UTC().Format(time.RFC3339),
			"content": "<p>Thank you, this helps.</p>"}}
	if status, msg := alice.Send(t, a.URL+"/inbox", reply); status != http.StatusAccepted {
		t.Fatalf("Create: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "alice's follow and comment", func() bool {
		_, err := a.Store.PostByIRI(bg, replyID)
		return counts(t, a, org).Followers == 1 && err == nil
	})

	// The account is deleted: its actor and key answer 410, and the key we
	// hold no longer matches the one it signs with.
	alice.RotateKey(t)
	alice.Gone(http.StatusGone)
	del := selfDelete(alice)
	if status, msg := alice.Send(t, a.URL+"/inbox", del); status != http.StatusAccepted {
		t.Fatalf("Delete from a gone actor: %d %s", status, msg)
	}
	if c := counts(t, a, org); c.Followers != 0 {
		t.Errorf("followers after the Delete = %+v", c)
	}
	if _, err := a.Store.PostByIRI(bg, replyID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("alice's comment after the Delete: %v", err)
	}
	if _, err := a.Store.RemoteActorByIRI(bg, alice.ActorID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("alice after the Delete: %v", err)
	}
	row, err := a.Store.InboxActivityByIRI(bg, del["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(row.Outcome, "applied: actor deleted") || !strings.Contains(row.Outcome, "signature unverified") {
		t.Errorf("recorded outcome %q does not say the signature went unverified", row.Outcome)
	}

	// An account never known here: 202, and nothing stored.
	before, err := a.Store.CountInboxActivities(bg)
	if err != nil {
		t.Fatal(err)
	}
	ghost := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "ghost"})
	ghost.Gone(http.StatusNotFound)
	if status, msg := ghost.Send(t, a.URL+"/inbox", selfDelete(ghost)); status != http.StatusAccepted {
		t.Fatalf("Delete from an unknown gone actor: %d %s", status, msg)
	}
	if after, _ := a.Store.CountInboxActivities(bg); after != before {
		t.Errorf("inbox activities %d -> %d: the unknown actor's Delete was stored", before, after)
	}
	if _, err := a.Store.RemoteActorByIRI(bg, ghost.ActorID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ghost stored: %v", err)
	}
}

// A forged Delete of an actor that still exists is refused, whether it is
// signed with a key on the actor's server that does not exist or with a key
// on a gone server elsewhere, and nothing changes.
func TestForgedDeleteOfLiveActorIsRefused(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
	if status, msg := bob.Send(t, a.URL+"/inbox", bob.Follow(a.URL+"/users/stgemmas")); status != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "bob's follow", func() bool { return counts(t, a, org).Followers == 1 })
	before, err := a.Store.CountInboxActivities(bg)
	if err != nil {
		t.Fatal(err)
	}
	mallory := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "mallory"})
	mallory.Gone(http.StatusGone)
	for _, keyID := range []string{bob.ActorID + "/no-such-key", mallory.KeyID} {
		status, msg := sendSignedBy(t, keyID, a.URL+"/inbox", selfDelete(bob))
		if status != http.StatusUnauthorized {
			t.Errorf("forged Delete signed by %s: %d %s, want 401", keyID, status, msg)
		}
	}
	if c := counts(t, a, org); c.Followers != 1 {
		t.Errorf("followers after forged Deletes = %+v", c)
	}
	if _, err := a.Store.RemoteActorByIRI(bg, bob.ActorID); err != nil {
		t.Errorf("bob after forged Deletes: %v", err)
	}
	if after, _ := a.Store.CountInboxActivities(bg); after != before {
		t.Errorf("inbox activities %d -> %d after forged Deletes", before, after)
	}
}
