package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A key id belongs to one remote actor: a second actor naming it is refused,
// and the lookup by key id keeps finding the first, until the key's own
// document settles it for the second (TakeRemoteActorKey).
func TestRemoteKeyIDHasOneOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		owner := remote(1)
		if err := s.UpsertRemoteActor(ctx, owner); err != nil {
			t.Fatal(err)
		}
		claimant := remote(2)
		claimant.PublicKeyID = owner.PublicKeyID
		if err := s.UpsertRemoteActor(ctx, claimant); !errors.Is(err, store.ErrKeyClaimed) {
			t.Errorf("a second actor claimed %s: err = %v, want ErrKeyClaimed", owner.PublicKeyID, err)
		}
		got, err := s.RemoteActorByKeyID(ctx, owner.PublicKeyID)
		if err != nil || got.IRI != owner.IRI {
			t.Fatalf("RemoteActorByKeyID = %+v, %v; want %s", got, err, owner.IRI)
		}

		claimant.KeyFetchedAt = time.Now()
		if err := s.TakeRemoteActorKey(ctx, claimant); err != nil {
			t.Fatal(err)
		}
		if got, err := s.RemoteActorByKeyID(ctx, owner.PublicKeyID); err != nil || got.IRI != claimant.IRI {
			t.Errorf("after the take, RemoteActorByKeyID = %+v, %v; want %s", got, err, claimant.IRI)
		}
		if was, err := s.RemoteActorByIRI(ctx, owner.IRI); err != nil || was.PublicKeyID != "" || !was.KeyFetchedAt.IsZero() {
			t.Errorf("the former holder kept %q (confirmed %v), %v", was.PublicKeyID, was.KeyFetchedAt, err)
		}
	})
}

// A key's confirmation survives a refresh that leaves the key alone and is
// lost when the key changes without being confirmed.
func TestRemoteKeyConfirmation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := remote(1)
		a.KeyFetchedAt = time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		if err := s.UpsertRemoteActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		again := remote(1)
		again.Name = "renamed"
		if err := s.UpsertRemoteActor(ctx, again); err != nil {
			t.Fatal(err)
		}
		got, err := s.RemoteActorByIRI(ctx, a.IRI)
		if err != nil || !got.KeyFetchedAt.Equal(a.KeyFetchedAt) {
			t.Errorf("same key: confirmed at %v, %v; want %v", got.KeyFetchedAt, err, a.KeyFetchedAt)
		}
		rotated := remote(1)
		rotated.PublicKeyPEM = "another"
		if err := s.UpsertRemoteActor(ctx, rotated); err != nil {
			t.Fatal(err)
		}
		if got, err := s.RemoteActorByIRI(ctx, a.IRI); err != nil || !got.KeyFetchedAt.IsZero() {
			t.Errorf("changed key: confirmed at %v, %v; want never", got.KeyFetchedAt, err)
		}
	})
}
