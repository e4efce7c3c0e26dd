package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// After `org rotate-key`, followers get an Update with the new public key
// (signed with it), and a Commonplace instance that cached the old key
// still accepts the next post: it fetches the new key when the signature
// fails to verify.
func TestRotateKeyKeepsFederationWorking(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.Postgres)
	trust := a.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	f := alice.Follow(a.URL + "/users/leedsth")
	if status, msg := alice.Send(t, a.URL+"/inbox", f); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	target, err := b.Fetcher.Resolve(ctx, "@leedsth@"+a.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Follows.Follow(ctx, hospice, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "both follows", func() bool {
		c, err := a.Store.CountFollows(ctx, trust.ID)
		return err == nil && c.Followers == 2 && len(alice.Received()) == 1
	})
	oldKey := trust.PublicKeyPEM

	r := runCmd(ctx, nil, t, "org", "rotate-key", "leedsth", "--db", a.DBURL)
	if r.code != 0 {
		t.Fatalf("rotate-key: %+v", r)
	}
	instancetest.Eventually(t, wait, "the Update with the new key", func() bool { return len(alice.Received()) == 2 })
	up := alice.Received()[1].Activity
	pk := up["object"].(map[string]any)["publicKey"].(map[string]any)
	if up["type"] != "Update" || pk["publicKeyPem"] == oldKey {
		t.Errorf("Update after rotation = %v", up)
	}
	if _, err := a.Posts.Publish(ctx, trust, posts.Draft{Kind: model.KindUpdate, Body: "Signed with our new key."}); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "B to accept the post signed with the new key", func() bool {
		page, err := b.Store.Timeline(ctx, store.TimelineFilter{}, nil, 10)
		return err == nil && len(page.Posts) == 1
	})
	if r := runCmd(ctx, nil, t, "org", "rotate-key", "nobody", "--db", a.DBURL); r.code != 1 {
		t.Errorf("rotate-key of an unknown org: %+v", r)
	}
}
