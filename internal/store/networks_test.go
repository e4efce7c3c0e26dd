package store_test

import (
	"errors"
	"testing"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Memberships: one row per pair whatever is added twice, states that
// change, listings by state with the member loaded, and the reverse lookup
// that finds only networks where the actor is an approved member.
func TestNetworkMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		net := localOrg("hscleeds")
		net.Type = model.ActorGroup
		org := localOrg("stgemmas")
		far := remote(1)
		for _, a := range []*model.Actor{net, org} {
			if err := s.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.UpsertRemoteActor(ctx, far); err != nil {
			t.Fatal(err)
		}
		if ins, err := s.AddNetworkMember(ctx, s.DB, net.ID, org.ID, model.NetworkStateMember); !ins || err != nil {
			t.Fatalf("add: %v, %v", ins, err)
		}
		if ins, err := s.AddNetworkMember(ctx, s.DB, net.ID, org.ID, model.NetworkStateRequested); ins || err != nil {
			t.Fatalf("add again: inserted=%v, %v; want the member kept", ins, err)
		}
		if ins, err := s.AddNetworkMember(ctx, s.DB, net.ID, far.ID, model.NetworkStateRequested); !ins || err != nil {
			t.Fatalf("request: %v, %v", ins, err)
		}

		members, err := s.NetworkMembers(ctx, net.ID, model.NetworkStateMember)
		if err != nil || len(members) != 1 || members[0].Member == nil || members[0].Member.Username != "stgemmas" {
			t.Fatalf("members = %+v, %v", members, err)
		}
		requests, err := s.NetworkMembers(ctx, net.ID, model.NetworkStateRequested)
		if err != nil || len(requests) != 1 || requests[0].Member.IRI != far.IRI {
			t.Fatalf("requests = %+v, %v", requests, err)
		}
		if all, err := s.NetworkMembers(ctx, net.ID, ""); err != nil || len(all) != 2 {
			t.Errorf("all = %d rows, %v", len(all), err)
		}

		// A request is not a membership until approved.
		if nets, err := s.NetworksOfMember(ctx, far.ID); err != nil || len(nets) != 0 {
			t.Errorf("networks of a requester = %v, %v", nets, err)
		}
		if ok, err := s.SetNetworkMemberState(ctx, s.DB, net.ID, far.ID, model.NetworkStateMember); !ok || err != nil {
			t.Fatalf("approve: %v, %v", ok, err)
		}
		nets, err := s.NetworksOfMember(ctx, far.ID)
		if err != nil || len(nets) != 1 || nets[0].ID != net.ID {
			t.Errorf("networks of an approved member = %v, %v", nets, err)
		}
		if m, err := s.NetworkMembership(ctx, s.DB, net.ID, far.ID); err != nil || m.State != model.NetworkStateMember {
			t.Errorf("membership = %+v, %v", m, err)
		}

		if ok, err := s.RemoveNetworkMember(ctx, s.DB, net.ID, org.ID); !ok || err != nil {
			t.Errorf("remove: %v, %v", ok, err)
		}
		if ok, err := s.RemoveNetworkMember(ctx, s.DB, net.ID, org.ID); ok || err != nil {
			t.Errorf("remove again: %v, %v", ok, err)
		}
		if ok, err := s.SetNetworkMemberState(ctx, s.DB, net.ID, org.ID, model.NetworkStateMember); ok || err != nil {
			t.Errorf("set state of a removed member: %v, %v", ok, err)
		}
		if _, err := s.NetworkMembership(ctx, s.DB, net.ID, org.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("removed membership: %v, want ErrNotFound", err)
		}
		if nets, err := s.LocalNetworks(ctx); err != nil || len(nets) != 1 || nets[0].Username != "hscleeds" {
			t.Errorf("local networks = %v, %v", nets, err)
		}

		// Deleting the remote actor takes its memberships with it.
		if err := s.DeleteRemoteActor(ctx, s.DB, far.IRI); err != nil {
			t.Fatal(err)
		}
		if all, err := s.NetworkMembers(ctx, net.ID, ""); err != nil || len(all) != 0 {
			t.Errorf("after the actor went: %d rows, %v", len(all), err)
		}
	})
}
