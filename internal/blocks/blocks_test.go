package blocks_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/blocks"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var ctx = context.Background()

func remote(t *testing.T, st *store.Store, user, host string) *model.Actor {
	t.Helper()
	id := "https://" + host + "/users/" + user
	a := &model.Actor{Username: user, Host: host, IRI: id, Type: model.ActorPerson, Inbox: id + "/inbox",
		PublicKeyID: id + "#main-key", PublicKeyPEM: "pem"}
	if err := st.UpsertRemoteActor(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func link(t *testing.T, st *store.Store, from, to *model.Actor) {
	t.Helper()
	f := &model.Follow{FollowerID: from.ID, FolloweeID: to.ID, ActivityIRI: from.IRI + "/follows/" + to.Username, State: model.FollowAccepted}
	if err := st.InsertFollow(ctx, st.DB, f); err != nil {
		t.Fatal(err)
	}
}

func blocked(t *testing.T, svc *blocks.Service, id string) bool {
	t.Helper()
	b, err := svc.IsBlocked(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBlocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc := &blocks.Service{Store: st, Layout: iri.New("https://hospice.example")}
		org, err := (&orgs.Service{Store: st}).Create(ctx, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's"})
		if err != nil {
			t.Fatal(err)
		}
		alice := remote(t, st, "alice", "mastodon.example")
		bob := remote(t, st, "bob", "a.bad.example:8443")
		carol := remote(t, st, "carol", "good.example")
		link(t, st, alice, org)
		link(t, st, org, alice)
		link(t, st, bob, org)
		link(t, st, carol, org)

		if res, err := svc.BlockDomain(ctx, " Bad.Example ", "spam wave"); err != nil || res.FollowsRemoved != 1 || res.Block.Value != "bad.example" {
			t.Fatalf("block domain: %+v, %v", res, err)
		}
		for id, want := range map[string]bool{
			bob.IRI: true, "https://bad.example/users/x": true, "https://bad.example:9/x": true,
			"https://notbad.example/users/x": false, carol.IRI: false, alice.IRI: false,
		} {
			if got := blocked(t, svc, id); got != want {
				t.Errorf("IsBlocked(%s) = %v, want %v", id, got, want)
			}
		}
		if res, err := svc.BlockAccount(ctx, alice.IRI, ""); err != nil || res.FollowsRemoved != 2 {
			t.Fatalf("block account: %+v, %v", res, err)
		}
		if !blocked(t, svc, alice.IRI) || blocked(t, svc, "https://mastodon.example/users/other") {
			t.Error("an account block must cover that account only")
		}
		if b, _ := svc.DeliveryBlocked(ctx, alice.Inbox); !b {
			t.Error("delivery to a blocked account's inbox is allowed")
		}
		if c, _ := st.CountFollows(ctx, org.ID); c.Followers != 1 || c.Following != 0 {
			t.Errorf("follows left: %+v, want carol's only", c)
		}

		t.Run("OwnInstanceRefused", func(t *testing.T) {
			for _, d := range []string{"hospice.example", "HOSPICE.example", "example", "http://bad.example", ""} {
				if _, err := svc.BlockDomain(ctx, d, ""); model.ErrorCode(err) != model.EInvalid {
					t.Errorf("BlockDomain(%q) = %v", d, err)
				}
			}
			for _, a := range []string{"https://hospice.example/users/stgemmas", "mastodon.example", "ftp://x.example/u"} {
				if _, err := svc.BlockAccount(ctx, a, ""); model.ErrorCode(err) != model.EInvalid {
					t.Errorf("BlockAccount(%q) = %v", a, err)
				}
			}
			if _, err := svc.BlockDomain(ctx, "hospice.example:8443", ""); err != nil {
				t.Errorf("another port of our host is another server: %v", err)
			}
		})
		t.Run("ListAndUnblock", func(t *testing.T) {
			bs, err := svc.List(ctx)
			if err != nil || len(bs) != 3 || bs[0].Kind != store.BlockDomain || bs[2].Value != alice.IRI {
				t.Fatalf("list = %+v, %v", bs, err)
			}
			if err := svc.Unblock(ctx, store.BlockDomain, "BAD.example"); err != nil {
				t.Fatal(err)
			}
			if blocked(t, svc, bob.IRI) {
				t.Error("still blocked after Unblock")
			}
			if err := svc.Unblock(ctx, store.BlockDomain, "bad.example"); model.ErrorCode(err) != model.ENotFound {
				t.Errorf("unblocking twice: %v", err)
			}
			if err := svc.Unblock(ctx, "server", "bad.example"); model.ErrorCode(err) != model.EInvalid {
				t.Errorf("unknown kind: %v", err)
			}
		})
		t.Run("OtherProcessSeenAfterTTL", func(t *testing.T) {
			cached := &blocks.Service{Store: st, Layout: svc.Layout, TTL: 50 * time.Millisecond}
			if blocked(t, cached, carol.IRI) {
				t.Fatal("carol blocked before anyone blocked her")
			}
			if _, err := svc.BlockDomain(ctx, "good.example", ""); err != nil {
				t.Fatal(err)
			}
			time.Sleep(60 * time.Millisecond)
			if !blocked(t, cached, carol.IRI) {
				t.Error("a block made elsewhere is not seen after the TTL")
			}
		})
	})
}

func TestNilServiceBlocksNothing(t *testing.T) {
	var svc *blocks.Service
	if b, err := svc.IsBlocked(ctx, "https://x.example/u"); b || err != nil {
		t.Errorf("nil service: %v, %v", b, err)
	}
}
