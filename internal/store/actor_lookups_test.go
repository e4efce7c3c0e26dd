package store_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Under WithLookupMemo, reading a remote actor by IRI answers for it what
// IsFollowedLocally and NetworksOfMember would: the whole actor, whether it
// is followed (as of that read, the memo's promise), and its networks, the
// same as without a memo.
func TestRemoteActorByIRIAnswersTheTurnsLookups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, net := localOrg("lookups"), localOrg("lookupsnet")
		net.Type = model.ActorGroup
		for _, a := range []*model.Actor{org, net} {
			if err := s.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		plain, followed, member, requester := remote(1), remote(2), remote(3), remote(4)
		for _, r := range []*model.Actor{plain, followed, member, requester} {
			if err := s.UpsertRemoteActor(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		f := &model.Follow{FollowerID: org.ID, FolloweeID: followed.ID, ActivityIRI: "https://x.example/follows/2", State: model.FollowAccepted}
		if err := s.InsertFollow(ctx, s.DB, f); err != nil {
			t.Fatal(err)
		}
		pending := &model.Follow{FollowerID: org.ID, FolloweeID: requester.ID, ActivityIRI: "https://x.example/follows/4", State: model.FollowPending}
		if err := s.InsertFollow(ctx, s.DB, pending); err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			a     *model.Actor
			state string
		}{{member, model.NetworkStateMember}, {requester, model.NetworkStateRequested}} {
			if _, err := s.AddNetworkMember(ctx, s.DB, net.ID, m.a.ID, m.state); err != nil {
				t.Fatal(err)
			}
		}
		for _, want := range []*model.Actor{plain, followed, member, requester} {
			memo := store.WithLookupMemo(ctx)
			got, err := s.RemoteActorByIRI(memo, want.IRI)
			if err != nil || got.ID != want.ID || got.IRI != want.IRI || got.Inbox != want.Inbox || got.Username != want.Username {
				t.Fatalf("RemoteActorByIRI(%s) = %+v, %v", want.IRI, got, err)
			}
			if plain, err := s.RemoteActorByIRI(ctx, want.IRI); err != nil || !reflect.DeepEqual(got, plain) {
				t.Errorf("under the memo %+v; without %+v, %v", got, plain, err)
			}
			wantFollowed, err := s.IsFollowedLocally(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantNets, err := s.NetworksOfMember(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			// Unfollowed after the read: the memo keeps the answer as read.
			if _, err := s.DB.NewDelete().Model((*model.Follow)(nil)).Where("followee_id = ?", want.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if got, err := s.IsFollowedLocally(memo, want.ID); err != nil || got != wantFollowed {
				t.Errorf("%s: followed under the memo = %v, %v; want %v", want.IRI, got, err, wantFollowed)
			}
			nets, err := s.NetworksOfMember(memo, want.ID)
			if err != nil || len(nets) != len(wantNets) || (len(nets) == 1 && nets[0].ID != net.ID) {
				t.Errorf("%s: networks under the memo = %v, %v; want %v", want.IRI, nets, err, wantNets)
			}
		}
		if _, err := s.RemoteActorByIRI(store.WithLookupMemo(ctx), "https://nobody.example/users/x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown actor: %v; want not found", err)
		}
	})
}
