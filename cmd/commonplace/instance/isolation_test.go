package instance_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// slowPeer is a server whose inboxes answer 202 only after a long wait,
// counting the POSTs it holds.
type slowPeer struct {
	*httptest.Server
	answerAfter time.Duration
	arrived     atomic.Int64
	waiting     atomic.Int64
	gone        chan struct{}
}

func newSlowPeer(t *testing.T, answerAfter time.Duration) *slowPeer {
	p := &slowPeer{answerAfter: answerAfter, gone: make(chan struct{})}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/inbox") {
			http.NotFound(w, r)
			return
		}
		p.arrived.Add(1)
		p.waiting.Add(1)
		defer p.waiting.Add(-1)
		select {
		case <-time.After(p.answerAfter):
			w.WriteHeader(http.StatusAccepted)
		case <-r.Context().Done():
		case <-p.gone:
		}
	}))
	// Registered before the instance starts, so run after it stops.
	t.Cleanup(func() { close(p.gone); p.Close() })
	return p
}

// A peer that answers only after 20 s, with 100 followers here, holds up
// nothing but its own deliveries: while it sits on them, a post reaches
// another server, and an unrelated Follow is applied (and answered) within
// 2 s. The issue measured 88 s for that Follow when slow deliveries held
// every queue worker.
func TestSlowPeerDelaysNoOneElse(t *testing.T) {
	const limit = 2 * time.Second
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			slow := newSlowPeer(t, 20*time.Second)
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "St Gemma's Hospice"})

			// 100 followers on the slow peer, each with its own inbox: 100
			// deliveries there per post.
			now := time.Now().UTC()
			for i := range 100 {
				f := &model.Actor{Username: fmt.Sprintf("f%d", i), Host: strings.TrimPrefix(slow.URL, "http://"),
					IRI: fmt.Sprintf("%s/users/f%d", slow.URL, i), Type: model.ActorPerson,
					Inbox: fmt.Sprintf("%s/users/f%d/inbox", slow.URL, i)}
				if err := a.Store.CreateActor(bg, f); err != nil {
					t.Fatal(err)
				}
				follow := &model.Follow{FollowerID: f.ID, FolloweeID: org.ID, ActivityIRI: f.IRI + "#follow",
					State: model.FollowAccepted, CreatedAt: now, UpdatedAt: now}
				if err := a.Store.InsertFollow(bg, a.Store.DB, follow); err != nil {
					t.Fatal(err)
				}
			}
			// A follower on a healthy server.
			fast := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "fast"})
			if status, msg := fast.Send(t, a.URL+"/inbox", fast.Follow(a.Layout.IDOf(org))); status != http.StatusAccepted {
				t.Fatalf("follow: %d %s", status, msg)
			}
			instancetest.Eventually(t, wait, "the fast follower's Accept", func() bool { return len(fast.Received()) == 1 })

			p, err := a.Posts.Publish(bg, org, posts.Draft{Kind: model.KindUpdate, Body: "Clinic hours change next week."})
			if err != nil {
				t.Fatal(err)
			}
			published := time.Now()
			instancetest.Eventually(t, wait, "the slow peer to hold deliveries", func() bool { return slow.waiting.Load() > 0 })
			instancetest.Eventually(t, limit, "the post to reach the healthy server", func() bool { return len(fast.Received()) == 2 })
			reached := time.Since(published)
			if got := fast.Received()[1].Activity; got["type"] != "Create" || !strings.HasSuffix(got["object"].(map[string]any)["id"].(string), p.Token) {
				t.Fatalf("healthy server got %v", got)
			}

			// An unrelated Follow, while the slow peer still sits on the post.
			bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
			before := counts(t, a, org).Followers
			sent := time.Now()
			if status, msg := bob.Send(t, a.URL+"/inbox", bob.Follow(a.Layout.IDOf(org))); status != http.StatusAccepted {
				t.Fatalf("follow: %d %s", status, msg)
			}
			instancetest.Eventually(t, limit, "the unrelated Follow to be applied", func() bool { return counts(t, a, org).Followers == before+1 })
			applied := time.Since(sent)
			instancetest.Eventually(t, limit, "its Accept to arrive", func() bool { return len(bob.Received()) == 1 })
			answered := time.Since(sent)
			if slow.waiting.Load() == 0 {
				t.Fatal("the slow peer answered within the test: it proved nothing")
			}
			t.Logf("%s: slow peer holding %d of %d POSTs; post reached the healthy server %s after publishing; unrelated Follow applied after %s, its Accept arrived after %s",
				d, slow.waiting.Load(), slow.arrived.Load(), reached.Round(time.Millisecond), applied.Round(time.Millisecond), answered.Round(time.Millisecond))
		})
	}
}
