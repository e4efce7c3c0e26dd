package instance_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// A follower whose server signs with RFC 9421 HTTP Message Signatures, as
// WordPress does and Mastodon 4.7 will, is accepted and applied exactly like
// a draft-cavage one; tampered, stale, under-covered or misattributed
// deliveries are refused with a 4xx and leave nothing behind.
func TestInboxAcceptsRFC9421Signatures(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	mallory := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "mallory"})
	inbox := a.URL + "/inbox"
	follow := func() []byte { return mustJSON(t, alice.Follow(a.URL+"/users/stgemmas")) }
	wp := instancetest.RFC9421Options{}

	changedBody := func(r *http.Request) {
		b := bytes.Replace(follow(), []byte("Follow"), []byte("Block"), 1)
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	refusals := []struct {
		name   string
		status int
		send   func() (int, string)
	}{
		{"body changed after signing", 400, func() (int, string) { return alice.SendRFC9421(t, inbox, follow(), wp, changedBody) }},
		{"body and Content-Digest changed", 401, func() (int, string) {
			return alice.SendRFC9421(t, inbox, follow(), wp, func(r *http.Request) {
				changedBody(r)
				b, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(b))
				r.Header.Set("Content-Digest", mallory.SignedRFC9421(t, inbox, b, wp).Header.Get("Content-Digest"))
			})
		}},
		{"stale created", 401, func() (int, string) {
			return alice.SendRFC9421(t, inbox, follow(), instancetest.RFC9421Options{Created: time.Now().Add(-2 * time.Hour)}, nil)
		}},
		{"@method not covered", 401, func() (int, string) {
			return alice.SendRFC9421(t, inbox, follow(), instancetest.RFC9421Options{Components: []string{"@target-uri", "content-digest"}}, nil)
		}},
		{"signed for another inbox", 401, func() (int, string) {
			return alice.SendRFC9421(t, inbox, follow(), wp, func(r *http.Request) {
				r.URL.Path = "/users/stgemmas/inbox"
			})
		}},
		{"signer is not the activity's actor", 401, func() (int, string) { return mallory.SendRFC9421(t, inbox, follow(), wp, nil) }},
	}
	for _, c := range refusals {
		status, msg := c.send()
		if status != c.status {
			t.Errorf("%s: status %d (%s), want %d", c.name, status, strings.TrimSpace(msg), c.status)
		}
		if len(strings.TrimSpace(msg)) < 10 {
			t.Errorf("%s: the refusal does not say why: %q", c.name, msg)
		}
	}
	time.Sleep(200 * time.Millisecond) // anything wrongly queued would apply by now
	if n, _ := a.Store.CountInboxActivities(bg); n != 0 {
		t.Fatalf("%d activities recorded from refused deliveries", n)
	}

	f := alice.Follow(a.URL + "/users/stgemmas")
	if status, msg := alice.SendRFC9421(t, a.URL+"/users/stgemmas/inbox", mustJSON(t, f), wp, nil); status != http.StatusAccepted {
		t.Fatalf("Follow signed with RFC 9421: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return acceptsOf(alice, f["id"].(string)) > 0 })
	if c := counts(t, a, org); c.Followers != 1 {
		t.Fatalf("followers = %+v", c)
	}

	// Mastodon covers @target-uri, which holds the authority, on its own.
	undo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.NewID("undo"),
		"type": "Undo", "actor": alice.ActorID, "object": f}
	mastodon := instancetest.RFC9421Options{Components: []string{"@method", "@target-uri", "content-digest"}}
	if status, msg := alice.SendRFC9421(t, inbox, mustJSON(t, undo), mastodon, nil); status != http.StatusAccepted {
		t.Fatalf("Undo signed with RFC 9421: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Undo to remove the follower", func() bool { return counts(t, a, org).Followers == 0 })
}
