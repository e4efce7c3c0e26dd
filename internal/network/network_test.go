package network_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var ctx = context.Background()

// sent records what the use cases hand to the federation layer; delivery
// itself is tested with real servers in the instance tests.
type sent struct {
	mu  sync.Mutex
	out []model.Outgoing
}

func (s *sent) SendTx(_ context.Context, _ bun.Tx, o model.Outgoing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out = append(s.out, o)
	return nil
}

func (s *sent) types() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ts []string
	for _, o := range s.out {
		ts = append(ts, o.Type)
	}
	return ts
}

func setup(t *testing.T, st *store.Store) (*network.Service, *sent, *model.Actor) {
	t.Helper()
	layout := iri.New("https://hospice.example")
	out := &sent{}
	far := &model.Actor{Username: "volition", Host: "volition.example", IRI: "https://volition.example/users/volition",
		Type: model.ActorOrganization, Inbox: "https://volition.example/users/volition/inbox",
		PublicKeyID: "https://volition.example/users/volition#main-key", PublicKeyPEM: "pub"}
	if err := st.UpsertRemoteActor(ctx, far); err != nil {
		t.Fatal(err)
	}
	svc := &network.Service{Store: st, Layout: layout,
		Follows: &follows.Service{Store: st, Layout: layout, Send: out},
		Resolve: func(_ context.Context, ref string) (*model.Actor, error) {
			if ref == "@volition@volition.example" || ref == far.IRI {
				return far, nil
			}
			return nil, model.Errorf(model.ENotFound, "no such account %s", ref)
		}}
	if _, err := (&orgs.Service{Store: st}).Create(ctx, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's"}); err != nil {
		t.Fatal(err)
	}
	return svc, out, far
}

func TestNetworkMembership(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, out, far := setup(t, st)
		net, err := svc.Create(ctx, network.NewNetwork{Username: "hscleeds", Name: "#HSCLeeds", Summary: "Health and care in Leeds."})
		if err != nil {
			t.Fatal(err)
		}
		if net.Type != model.ActorGroup || net.ManuallyApprovesFollowers || net.PrivateKeyPEM == "" {
			t.Errorf("network actor = %+v", net)
		}
		if _, err := svc.Create(ctx, network.NewNetwork{Username: "stgemmas", Name: "Clash"}); model.ErrorCode(err) != model.EConflict {
			t.Errorf("network with an organisation's username: %v, want conflict", err)
		}
		if _, err := svc.Get(ctx, "stgemmas"); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("Get of an organisation: %v, want not_found", err)
		}
		if _, err := (&orgs.Service{Store: st}).Get(ctx, "hscleeds"); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("a network is not an organisation: %v", err)
		}
		if got, err := svc.Get(ctx, "hscleeds"); err != nil || got.ID != net.ID {
			t.Fatalf("Get = %v, %v", got, err)
		}
		if list, err := svc.List(ctx); err != nil || len(list) != 1 {
			t.Errorf("List = %v, %v", list, err)
		}

		// A local member by username (and by handle, repeated: no error, one row).
		for _, ref := range []string{"stgemmas", "@stgemmas@hospice.example"} {
			if m, err := svc.AddMember(ctx, net, ref); err != nil || m.Username != "stgemmas" {
				t.Fatalf("add %s: %v, %v", ref, m, err)
			}
		}
		if len(out.types()) != 0 {
			t.Errorf("a local member sent %v", out.types())
		}
		// A remote member is followed by the network.
		if _, err := svc.AddMember(ctx, net, "@volition@volition.example"); err != nil {
			t.Fatal(err)
		}
		if ts := out.types(); fmt.Sprint(ts) != "[Follow]" || out.out[0].Actor.ID != net.ID || out.out[0].To[0].ID != far.ID {
			t.Errorf("sent %v, want the network's Follow of volition", ts)
		}
		members, err := svc.Members(ctx, net)
		if err != nil || len(members) != 2 || members[0].Actor.Username != "stgemmas" || members[1].Actor.IRI != far.IRI ||
			members[0].State != model.NetworkStateMember || members[0].Since.IsZero() {
			t.Fatalf("members = %+v, %v", members, err)
		}
		for _, bad := range []string{"hscleeds", "nobody", "@nobody@elsewhere.example"} {
			if _, err := svc.AddMember(ctx, net, bad); err == nil {
				t.Errorf("add %q: no error", bad)
			}
		}

		// Removing the remote member undoes the follow.
		if _, err := svc.RemoveMember(ctx, net, far.IRI); err != nil {
			t.Fatal(err)
		}
		if ts := out.types(); fmt.Sprint(ts) != "[Follow Undo]" {
			t.Errorf("sent %v after removal", ts)
		}
		if _, err := svc.RemoveMember(ctx, net, far.IRI); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("remove again: %v", err)
		}

		// A request (as an organisation's Follow records it) is approved
		// into a membership, and the network follows back.
		if _, err := st.AddNetworkMember(ctx, st.DB, net.ID, far.ID, model.NetworkStateRequested); err != nil {
			t.Fatal(err)
		}
		if reqs, err := svc.Requests(ctx, net); err != nil || len(reqs) != 1 || reqs[0].Actor.ID != far.ID {
			t.Fatalf("requests = %+v, %v", reqs, err)
		}
		if _, err := svc.Approve(ctx, net, "stgemmas"); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("approve a member that never asked: %v", err)
		}
		if _, err := svc.Approve(ctx, net, "@volition@volition.example"); err != nil {
			t.Fatal(err)
		}
		if ts := out.types(); fmt.Sprint(ts) != "[Follow Undo Follow]" {
			t.Errorf("sent %v after approval", ts)
		}
		if reqs, _ := svc.Requests(ctx, net); len(reqs) != 0 {
			t.Errorf("requests after approval = %+v", reqs)
		}
		if members, _ := svc.Members(ctx, net); len(members) != 2 {
			t.Errorf("members after approval = %d", len(members))
		}

		// A rejected request is gone and changes no membership.
		if _, err := svc.RemoveMember(ctx, net, "stgemmas"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddNetworkMember(ctx, st.DB, net.ID, mustLocal(t, st, "stgemmas").ID, model.NetworkStateRequested); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reject(ctx, net, "stgemmas"); err != nil {
			t.Fatal(err)
		}
		if all, err := st.NetworkMembers(ctx, net.ID, ""); err != nil || len(all) != 1 || all[0].MemberID != far.ID {
			t.Errorf("after reject: %+v, %v", all, err)
		}
	})
}

func mustLocal(t *testing.T, st *store.Store, username string) *model.Actor {
	t.Helper()
	a, err := st.LocalActor(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
