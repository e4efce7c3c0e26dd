package instance_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Blocking a remote's domain removes its follow at once and turns its next
// deliveries away with 403 before anything is fetched or recorded; other
// servers are unaffected, and unblocking lets it back in.
func TestBlockedDomainIsCutOff(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
	target := a.URL + "/users/stgemmas"

	f := alice.Follow(target)
	if status, msg := alice.Send(t, a.URL+"/inbox", f); status != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the follow to be accepted", func() bool { return counts(t, a, org).Followers == 1 })

	aliceHost := strings.TrimPrefix(alice.Server.URL, "http://")
	if res, err := a.Blocks.BlockDomain(bg, aliceHost, "test"); err != nil || res.FollowsRemoved != 1 {
		t.Fatalf("block %s: %+v, %v", aliceHost, res, err)
	}
	if c := counts(t, a, org); c.Followers != 0 {
		t.Errorf("the blocked follower is still counted: %+v", c)
	}
	recorded, _ := a.Store.CountInboxActivities(bg)
	status, msg := alice.Send(t, a.URL+"/users/stgemmas/inbox", alice.Follow(target))
	if status != http.StatusForbidden || !strings.Contains(msg, "blocked") {
		t.Errorf("Follow from a blocked domain: %d %q", status, msg)
	}
	if n, _ := a.Store.CountInboxActivities(bg); n != recorded {
		t.Errorf("a blocked delivery was recorded: %d activities, had %d", n, recorded)
	}

	// A key never seen before would need fetching, which fails with carol's
	// server down: the 403 shows the block is checked first.
	carol := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "carol"})
	carolHost := strings.TrimPrefix(carol.Server.URL, "http://")
	if _, err := a.Blocks.BlockDomain(bg, carolHost, ""); err != nil {
		t.Fatal(err)
	}
	carol.Server.Close()
	if status, msg := carol.Send(t, a.URL+"/inbox", carol.Follow(target)); status != http.StatusForbidden {
		t.Errorf("Follow from a blocked, unknown server: %d %q", status, msg)
	}

	if status, msg := bob.Send(t, a.URL+"/inbox", bob.Follow(target)); status != http.StatusAccepted {
		t.Fatalf("Follow from another server: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the other server's follow", func() bool { return counts(t, a, org).Followers == 1 })

	if err := a.Blocks.Unblock(bg, store.BlockDomain, aliceHost); err != nil {
		t.Fatal(err)
	}
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(target)); status != http.StatusAccepted {
		t.Fatalf("Follow after unblocking: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the follow after unblocking", func() bool { return counts(t, a, org).Followers == 2 })
}
