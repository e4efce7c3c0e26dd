package instance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// slowActors is a server of several remote actors whose documents, once
// stalled, are not served until the test lets them go: a peer that holds
// every fetch of its actors open.
type slowActors struct {
	srv  *httptest.Server
	pair keys.Pair

	mu      sync.Mutex
	stalled bool
	waiting int
	release chan struct{}
}

func newSlowActors(t *testing.T) *slowActors {
	t.Helper()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	p := &slowActors{pair: pair, release: make(chan struct{})}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() { p.letGo(); p.srv.Close() })
	return p
}

func (p *slowActors) actor(i int) string { return fmt.Sprintf("%s/users/slow%d", p.srv.URL, i) }

func (p *slowActors) serve(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, "/users/")
	if !ok || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	p.mu.Lock()
	stalled, release := p.stalled, p.release
	if stalled {
		p.waiting++
	}
	p.mu.Unlock()
	if stalled {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		p.mu.Lock()
		p.waiting--
		p.mu.Unlock()
	}
	id := p.srv.URL + r.URL.Path
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": "Person", "preferredUsername": name, "inbox": id + "/inbox",
		"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": p.pair.PublicPEM},
	})
}

func (p *slowActors) stall() {
	p.mu.Lock()
	p.stalled = true
	p.mu.Unlock()
}

func (p *slowActors) stalledFetches() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.waiting
}

func (p *slowActors) letGo() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stalled {
		p.stalled = false
		close(p.release)
	}
}

// send signs an activity as actor i and posts it to inbox.
func (p *slowActors) send(t *testing.T, i int, inbox string, activity map[string]any) {
	t.Helper()
	body := mustJSON(t, activity)
	signer, err := httpsign.NewSigner(p.actor(i)+"#main-key", p.pair.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
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
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("slow actor %d: %d", i, resp.StatusCode)
	}
}

// A peer that holds our fetches open occupies only its own actors' turns:
// with more of its actors waiting on it than the applier has slots, an
// unrelated account's Follow is still applied (and answered) while every
// one of those fetches is still waiting.
func TestInboxSlowPeerDoesNotHoldUpOthers(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			bg := context.Background()
			// Production timings but a fast poll: an activity may take its
			// full two minutes, so nothing here ends by timing out.
			a := instancetest.StartTuned(t, d, instance.Tuning{PollInterval: 20 * time.Millisecond})
			org := a.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
			slow := newSlowActors(t)
			const stalled = 9 // more than the applier's 8 slots
			for i := range stalled {
				// Known from here on: the key is fetched while the peer is quick.
				slow.send(t, i, a.URL+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
					"id": slow.actor(i) + "/likes/1", "type": "Like", "actor": slow.actor(i), "object": a.URL + "/users/leedsth/posts/none"})
			}
			instancetest.Eventually(t, wait, "the Likes to be applied", func() bool {
				n, err := a.Store.CountPendingInboxActivities(bg)
				return err == nil && n == 0
			})
			slow.stall()
			for i := range stalled {
				// An Update naming the actor alone makes us fetch it anew.
				slow.send(t, i, a.URL+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
					"id": slow.actor(i) + "/updates/1", "type": "Update", "actor": slow.actor(i), "object": slow.actor(i)})
			}
			instancetest.Eventually(t, wait, "every slow actor's fetch to be waiting", func() bool {
				return slow.stalledFetches() == stalled
			})
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
			if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/leedsth")); status != http.StatusAccepted {
				t.Fatalf("Follow: %d %s", status, msg)
			}
			instancetest.Eventually(t, wait, "alice's Follow to be applied", func() bool {
				c, err := a.Store.CountFollows(bg, org.ID)
				return err == nil && c.Followers == 1
			})
			if n := slow.stalledFetches(); n != stalled {
				t.Fatalf("%d slow fetches still waiting when the Follow was applied, want %d", n, stalled)
			}
			slow.letGo()
			instancetest.Eventually(t, wait, "the slow actors' Updates to be applied", func() bool {
				n, err := a.Store.CountPendingInboxActivities(bg)
				return err == nil && n == 0
			})
			for i := range stalled {
				row, err := a.Store.InboxActivityByIRI(bg, slow.actor(i)+"/updates/1")
				if err != nil {
					t.Fatal(err)
				}
				if row.Outcome != "applied: actor refreshed" {
					t.Errorf("slow actor %d's Update: %q", i, row.Outcome)
				}
			}
		})
	}
}
