package instance_test

import (
	"bytes"
	"context"
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

var bg = context.Background()

const wait = instancetest.Wait

func counts(t *testing.T, inst *instancetest.Running, org *model.Actor) store.FollowCounts {
	t.Helper()
	return instancetest.Counts(t, inst, org)
}

// collectionItems reads the first page of a collection as a remote server would.
func collectionItems(t *testing.T, collURL string) (total float64, items []any) {
	t.Helper()
	coll := fetchAS(t, collURL)
	page := fetchAS(t, coll["first"].(string))
	items, _ = page["orderedItems"].([]any)
	return coll["totalItems"].(float64), items
}

// Two instances, each on its own database (SQLite and PostgreSQL), with real
// keys and signatures over loopback: the hospice follows the hospital trust,
// the trust accepts, both sides' collections agree; then it unfollows.
func TestOrganisationsFollowAcrossInstances(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.Postgres)
	trust := a.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})

	target, err := b.Fetcher.Resolve(bg, "@leedsth@"+a.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if target.IRI != a.URL+"/users/leedsth" || target.Name != "Leeds Teaching Hospitals" {
		t.Fatalf("resolved %+v", target)
	}
	if _, err := b.Follows.Follow(bg, hospice, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the follow to be accepted on both sides", func() bool {
		return counts(t, a, trust).Followers == 1 && counts(t, b, hospice).Following == 1
	})
	total, items := collectionItems(t, a.URL+"/users/leedsth/followers")
	if total != 1 || len(items) != 1 || items[0] != b.URL+"/users/stgemmas" {
		t.Errorf("trust's followers = %v %v", total, items)
	}
	total, items = collectionItems(t, b.URL+"/users/stgemmas/following")
	if total != 1 || len(items) != 1 || items[0] != a.URL+"/users/leedsth" {
		t.Errorf("hospice's following = %v %v", total, items)
	}

	if err := b.Follows.Unfollow(bg, hospice, target); err != nil {
		t.Fatal(err)
	}
	if counts(t, b, hospice).Following != 0 {
		t.Error("unfollow not recorded at once on the follower's side")
	}
	instancetest.Eventually(t, wait, "the Undo to reach the trust", func() bool {
		return counts(t, a, trust).Followers == 0
	})
	if total, items = collectionItems(t, a.URL+"/users/leedsth/followers"); total != 0 || len(items) != 0 {
		t.Errorf("followers after Undo = %v %v", total, items)
	}
}

// An organisation that approves followers by hand holds the Follow until an
// admin approves it; only then does the follower see it accepted.
func TestApprovalRequiredOrganisationHoldsFollow(t *testing.T) {
	a := instancetest.Start(t, store.Postgres)
	b := instancetest.Start(t, store.SQLite)
	charity := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition", ManuallyApprovesFollowers: true})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	target, err := b.Fetcher.Resolve(bg, a.URL+"/users/volition")
	if err != nil {
		t.Fatal(err)
	}
	if !target.ManuallyApprovesFollowers {
		t.Error("manuallyApprovesFollowers did not federate")
	}
	if _, err := b.Follows.Follow(bg, hospice, target); err != nil {
		t.Fatal(err)
	}
	var pending []*model.Follow
	instancetest.Eventually(t, wait, "the request to wait for approval", func() bool {
		pending, err = a.Follows.Pending(bg, charity)
		return err == nil && len(pending) == 1
	})
	if c := counts(t, a, charity); c.Followers != 0 {
		t.Errorf("a pending request counts as a follower: %+v", c)
	}
	time.Sleep(300 * time.Millisecond) // give a wrongly sent Accept time to arrive
	if c := counts(t, b, hospice); c.Following != 0 {
		t.Fatalf("the follower saw the follow accepted before approval: %+v", c)
	}
	if err := a.Follows.Approve(bg, charity, pending[0].Follower); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the approval to reach the follower", func() bool {
		return counts(t, b, hospice).Following == 1 && counts(t, a, charity).Followers == 1
	})
}

func acceptsOf(r *instancetest.Remote, followID string) int {
	n := 0
	for _, d := range r.Received() {
		obj, _ := d.Activity["object"].(map[string]any)
		if d.Activity["type"] == "Accept" && obj["id"] == followID {
			n++
		}
	}
	return n
}

// A Mastodon-shaped follower (GoToSocial's key layout) follows through the
// shared inbox, gets a signed Accept, and unfollows with Undo. A repeated
// delivery of the same Follow is recorded once.
func TestRemoteFollowerGetsAcceptAndCanUndo(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice", PathKey: true})
	f := alice.Follow(a.URL + "/users/stgemmas")
	for range 2 {
		if status, msg := alice.Send(t, a.URL+"/inbox", f); status != http.StatusAccepted {
			t.Fatalf("Follow: %d %s", status, msg)
		}
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return acceptsOf(alice, f["id"].(string)) > 0 })
	if n, _ := a.Store.CountInboxActivities(bg); n != 1 {
		t.Errorf("%d inbox activities recorded for one Follow sent twice", n)
	}
	accept := alice.Received()[0]
	if accept.KeyID != a.URL+"/users/stgemmas#main-key" || accept.Activity["actor"] != a.URL+"/users/stgemmas" {
		t.Errorf("Accept signed by %s as %v", accept.KeyID, accept.Activity["actor"])
	}
	if c := counts(t, a, org); c.Followers != 1 {
		t.Fatalf("followers = %+v", c)
	}
	stored, err := a.Store.RemoteActorByIRI(bg, alice.ActorID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored.Summary, "<script") {
		t.Errorf("a remote summary was stored unsanitised: %q", stored.Summary)
	}
	undo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.NewID("undo"),
		"type": "Undo", "actor": alice.ActorID, "object": f}
	if status, msg := alice.Send(t, a.URL+"/users/stgemmas/inbox", undo); status != http.StatusAccepted {
		t.Fatalf("Undo: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Undo to remove the follower", func() bool { return counts(t, a, org).Followers == 0 })
}

// A remote actor that rotated its key is re-fetched once when its signature
// fails with the key we stored, and gets through.
func TestRotatedKeyIsRefetched(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	f := alice.Follow(a.URL + "/users/stgemmas")
	if status, msg := alice.Send(t, a.URL+"/inbox", f); status != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the follow", func() bool { return counts(t, a, org).Followers == 1 })
	alice.RotateKey(t)
	undo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.NewID("undo"),
		"type": "Undo", "actor": alice.ActorID, "object": f}
	if status, msg := alice.Send(t, a.URL+"/inbox", undo); status != http.StatusAccepted {
		t.Fatalf("Undo signed with the new key: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Undo", func() bool { return counts(t, a, org).Followers == 0 })
}

// Every kind of bad delivery is refused with a clear 4xx and leaves no trace:
// no recorded activity, no follower.
func TestInboxRefusesBadDeliveries(t *testing.T) {
	a := instancetest.Start(t, store.Postgres)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	mallory := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "mallory"})
	inbox := a.URL + "/inbox"
	valid := func() []byte { return mustJSON(t, alice.Follow(a.URL+"/users/stgemmas")) }
	otherKey, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		status int
		send   func() (int, string)
	}{
		{"unsigned POST", 401, func() (int, string) { return post(t, inbox, valid(), nil) }},
		{"wrong key", 401, func() (int, string) {
			s, err := httpsign.NewSigner(alice.KeyID, otherKey.PrivatePEM)
			if err != nil {
				t.Fatal(err)
			}
			return post(t, inbox, valid(), func(r *http.Request, body []byte) { _ = s.Sign(r, body) })
		}},
		{"digest does not match the body", 400, func() (int, string) {
			return alice.SendRaw(t, inbox, valid(), func(r *http.Request) {
				changed := bytes.Replace(valid(), []byte("Follow"), []byte("Block"), 1)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(changed)), int64(len(changed))
			})
		}},
		{"body and digest changed after signing", 401, func() (int, string) {
			return alice.SendRaw(t, inbox, valid(), func(r *http.Request) {
				changed := bytes.Replace(valid(), []byte("Follow"), []byte("Block"), 1)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(changed)), int64(len(changed))
				r.Header.Set("Digest", digestOf(changed))
			})
		}},
		{"stale date", 401, func() (int, string) {
			return alice.SendRaw(t, inbox, valid(), func(r *http.Request) {
				r.Header.Set("Date", time.Now().Add(-2*time.Hour).UTC().Format(http.TimeFormat))
			})
		}},
		{"future date", 401, func() (int, string) {
			return alice.SendRaw(t, inbox, valid(), func(r *http.Request) {
				r.Header.Set("Date", time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
			})
		}},
		{"signer is not the activity's actor", 401, func() (int, string) {
			return mallory.SendRaw(t, inbox, valid(), nil)
		}},
		{"oversized body", 413, func() (int, string) {
			big := append([]byte(`{"padding":"`), bytes.Repeat([]byte("x"), 1<<20)...)
			return alice.SendRaw(t, inbox, append(big, `"}`...), nil)
		}},
		{"malformed JSON", 400, func() (int, string) { return alice.SendRaw(t, inbox, []byte(`{"type":"Follow",`), nil) }},
		{"forged id on another server", 400, func() (int, string) {
			f := alice.Follow(a.URL + "/users/stgemmas")
			f["id"] = "https://elsewhere.example/follows/1"
			return alice.SendRaw(t, inbox, mustJSON(t, f), nil)
		}},
		{"not ActivityStreams", 415, func() (int, string) {
			return alice.SendRaw(t, inbox, valid(), func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") })
		}},
		{"inbox of nobody", 404, func() (int, string) { return alice.SendRaw(t, a.URL+"/users/nobody/inbox", valid(), nil) }},
	}
	for _, c := range cases {
		status, msg := c.send()
		if status != c.status {
			t.Errorf("%s: status %d (%s), want %d", c.name, status, strings.TrimSpace(msg), c.status)
		}
		if status >= 400 && status != 404 && len(strings.TrimSpace(msg)) < 10 {
			t.Errorf("%s: the refusal does not say why: %q", c.name, msg)
		}
	}
	time.Sleep(200 * time.Millisecond) // anything wrongly queued would apply by now
	if n, _ := a.Store.CountInboxActivities(bg); n != 0 {
		t.Errorf("%d activities recorded from refused deliveries", n)
	}
	if c := counts(t, a, org); c.Followers != 0 {
		t.Errorf("a refused Follow created a follower: %+v", c)
	}
	// The same sender can still get through with a proper request.
	if status, msg := alice.SendRaw(t, inbox, valid(), nil); status != 202 {
		t.Errorf("valid Follow after the refusals: %d %s", status, msg)
	}
}

// A follower whose server is down gets the Accept once it comes back; one
// that refuses with a 4xx is not hammered.
func TestDeliveryRetriesUntilTheServerIsBack(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})

	down := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "down"})
	down.FailNext(3, http.StatusServiceUnavailable)
	f := down.Follow(a.URL + "/users/stgemmas")
	if status, msg := down.Send(t, a.URL+"/inbox", f); status != 202 {
		t.Fatalf("Follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept after three failures", func() bool { return acceptsOf(down, f["id"].(string)) == 1 })
	if n := down.Attempts(); n != 4 {
		t.Errorf("%d delivery attempts, want 3 failures and 1 success", n)
	}

	refusing := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "refusing"})
	refusing.FailNext(100, http.StatusForbidden)
	f = refusing.Follow(a.URL + "/users/stgemmas")
	if status, msg := refusing.Send(t, a.URL+"/inbox", f); status != 202 {
		t.Fatalf("Follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "one delivery attempt", func() bool { return refusing.Attempts() == 1 })
	time.Sleep(instancetest.FastTuning.RetryPolicy.Cap * 2)
	if n := refusing.Attempts(); n != 1 {
		t.Errorf("a 403 was retried: %d attempts", n)
	}
}

func post(t *testing.T, url string, body []byte, sign func(*http.Request, []byte)) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if sign != nil {
		sign(req, body)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(msg)
}
