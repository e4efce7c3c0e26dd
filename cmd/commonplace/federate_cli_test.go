package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

const wait = 15 * time.Second

// `commonplace follow` run next to a server only records the follow and
// queues the Follow; the running server delivers it, and the Accept comes
// back to it. `follower list/approve` work the same way for a locked org.
func TestFollowCommandsWorkAgainstARunningServer(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.Postgres)
	b := instancetest.Start(t, store.SQLite)
	charity := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition", ManuallyApprovesFollowers: true})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})

	r := runCmd(ctx, nil, t, "follow", "--org", "stgemmas", "--db", b.DBURL, "@volition@"+a.Domain)
	if r.code != 0 || !strings.Contains(r.out, "asked to follow "+a.URL+"/users/volition") {
		t.Fatalf("follow: %+v", r)
	}
	instancetest.Eventually(t, wait, "the request to reach the charity", func() bool {
		r = runCmd(ctx, nil, t, "follower", "list", "--org", "volition", "--db", a.DBURL)
		return strings.Contains(r.out, b.URL+"/users/stgemmas")
	})
	r = runCmd(ctx, nil, t, "follower", "approve", "--org", "volition", "--db", a.DBURL, "@stgemmas@"+b.Domain)
	if r.code != 0 {
		t.Fatalf("approve: %+v", r)
	}
	instancetest.Eventually(t, wait, "the hospice to see the follow accepted", func() bool {
		c, err := b.Store.CountFollows(ctx, hospice.ID)
		return err == nil && c.Following == 1
	})
	if c, _ := a.Store.CountFollows(ctx, charity.ID); c.Followers != 1 {
		t.Errorf("charity followers = %+v", c)
	}

	r = runCmd(ctx, nil, t, "unfollow", "--org", "stgemmas", "--db", b.DBURL, a.URL+"/users/volition")
	if r.code != 0 {
		t.Fatalf("unfollow: %+v", r)
	}
	instancetest.Eventually(t, wait, "the Undo to reach the charity", func() bool {
		c, err := a.Store.CountFollows(ctx, charity.ID)
		return err == nil && c.Followers == 0
	})

	for name, args := range map[string][]string{
		"no --org":         {"follow", "--db", b.DBURL, "@volition@" + a.Domain},
		"unknown org":      {"follow", "--org", "nobody", "--db", b.DBURL, "@volition@" + a.Domain},
		"not a handle":     {"follow", "--org", "stgemmas", "--db", b.DBURL, "volition"},
		"unknown account":  {"follow", "--org", "stgemmas", "--db", b.DBURL, "@nobody@" + a.Domain},
		"approve stranger": {"follower", "approve", "--org", "volition", "--db", a.DBURL, b.URL + "/users/stgemmas"},
	} {
		if r := runCmd(ctx, nil, t, args...); r.code == 0 || strings.Count(strings.TrimSpace(r.errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, stderr %q; want a one-line error", name, r.code, r.errOut)
		}
	}
}

// `commonplace org edit` updates the profile and its followers' servers get
// an Update of the actor with the new name.
func TestOrgEditFederatesToFollowers(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	f := alice.Follow(a.URL + "/users/leedsth")
	if status, msg := alice.Send(t, a.URL+"/inbox", f); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })

	r := runCmd(ctx, nil, t, "org", "edit", "leedsth", "--name", "Leeds Teaching Hospitals NHS Trust", "--db", a.DBURL)
	if r.code != 0 {
		t.Fatalf("org edit: %+v", r)
	}
	instancetest.Eventually(t, wait, "the Update", func() bool { return len(alice.Received()) == 2 })
	up := alice.Received()[1].Activity
	obj, _ := up["object"].(map[string]any)
	if up["type"] != "Update" || obj["id"] != a.URL+"/users/leedsth" || obj["name"] != "Leeds Teaching Hospitals NHS Trust" {
		t.Errorf("Update = %v", up)
	}
	if r := runCmd(ctx, nil, t, "org", "edit", "leedsth", "--db", a.DBURL); r.code != 2 {
		t.Errorf("edit without changes: %+v", r)
	}
}
