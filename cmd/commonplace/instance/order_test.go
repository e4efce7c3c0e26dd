package instance_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// The scenario, 50 times over: a Mastodon-strict account follows an
// organisation and, the moment the follow is accepted here, the
// organisation publishes three posts. The account drops a Create from an
// organisation whose Accept has not arrived yet, so it keeps all 150 posts
// only if each Accept goes out before the Creates queued after it.
func TestOrderAcceptBeforeCreates(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice", StrictFollows: true})
			const follows, perFollow = 50, 3
			orgList := make([]*model.Actor, follows)
			for i := range orgList {
				orgList[i] = a.AddOrg(t, orgs.NewOrg{Username: fmt.Sprintf("org%d", i), Name: fmt.Sprintf("Organisation %d", i)})
			}
			published := map[string][]string{} // post ids by org actor id, in publication order
			start := time.Now()
			for i, org := range orgList {
				if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.Layout.IDOf(org))); status != http.StatusAccepted {
					t.Fatalf("follow %d: %d %s", i, status, msg)
				}
				// Publish as soon as the follow is accepted here, while its
				// Accept is still on its way.
				for deadline := time.Now().Add(wait); counts(t, a, org).Followers != 1; time.Sleep(2 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("follow %d not accepted", i)
					}
				}
				for j := range perFollow {
					p, err := a.Posts.Publish(bg, org, posts.Draft{Kind: model.KindUpdate, Body: fmt.Sprintf("Post %d of %d.", j, i)})
					if err != nil {
						t.Fatal(err)
					}
					published[a.Layout.IDOf(org)] = append(published[a.Layout.IDOf(org)], a.Layout.Post(org.Username, p.Token))
				}
			}
			looped := time.Since(start)
			type tally struct{ accepts, creates int }
			seen := func() (map[string]*tally, int) {
				by := map[string]*tally{}
				for _, o := range orgList {
					by[a.Layout.IDOf(o)] = &tally{}
				}
				for _, d := range alice.Received() {
					if tl := by[d.Activity["actor"].(string)]; tl != nil && d.Activity["type"] == "Accept" {
						tl.accepts++
					} else if tl != nil && d.Activity["type"] == "Create" {
						tl.creates++
					}
				}
				return by, len(alice.Dropped())
			}
			instancetest.Eventually(t, 60*time.Second, "every Accept and Create, kept or dropped", func() bool {
				by, dropped := seen()
				n := dropped
				for _, tl := range by {
					n += tl.accepts + tl.creates
				}
				return n >= follows*(1+perFollow)
			})
			time.Sleep(200 * time.Millisecond) // room for a duplicate
			by, dropped := seen()
			for id, tl := range by {
				if tl.accepts != 1 || tl.creates != perFollow {
					t.Errorf("%s: alice kept %d Accepts and %d Creates, want 1 and %d", id, tl.accepts, tl.creates, perFollow)
				}
			}
			for _, c := range alice.Dropped() {
				t.Errorf("Create %v from %v dropped: it arrived before that organisation's Accept", c["id"], c["actor"])
			}
			// Each organisation's posts arrive in the order they were published.
			got := map[string][]string{}
			for _, d := range alice.Received() {
				if d.Activity["type"] == "Create" {
					actor := d.Activity["actor"].(string)
					got[actor] = append(got[actor], d.Activity["object"].(map[string]any)["id"].(string))
				}
			}
			for actor, want := range published {
				if fmt.Sprint(got[actor]) != fmt.Sprint(want) {
					t.Errorf("%s: posts arrived as %v, published as %v", actor, got[actor], want)
				}
			}
			t.Logf("%s: %d follows, each followed at once by %d posts, in %s; all delivered %s later; %d Creates dropped for arriving before their Accept",
				d, follows, perFollow, looped.Round(time.Millisecond), (time.Since(start) - looped).Round(time.Millisecond), dropped)
		})
	}
}
