package federation

import (
	"context"
	"testing"

	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// When two actors on one server name the same key id, the key's own
// document decides: the owner it names keeps the key, whichever of the two
// we met first, and the other is stored without a key.
func TestKeyDocumentSettlesAClaimedKey(t *testing.T) {
	for _, d := range storetest.Dialects {
		for _, bobFirst := range []bool{true, false} {
			name := string(d) + "/owner_first"
			if bobFirst {
				name = string(d) + "/claimant_first"
			}
			t.Run(name, func(t *testing.T) { testKeyDocumentSettles(t, storetest.Open(t, d), bobFirst) })
		}
	}
}

func testKeyDocumentSettles(t *testing.T, st *store.Store, bobFirst bool) {
	ctx := context.Background()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	f := redirectFetcher(t, st)
	srv := newDocServer(t)
	alice, bob := srv.URL+"/users/alice", srv.URL+"/users/bob"
	key := alice + "/main-key"
	withKey := func(id string) map[string]any {
		doc := actorDoc(id, pair.PublicPEM)
		doc["publicKey"] = map[string]any{"id": key, "owner": id, "publicKeyPem": pair.PublicPEM}
		return doc
	}
	srv.docs["/users/alice"], srv.docs["/users/bob"] = withKey(alice), withKey(bob)
	srv.docs["/users/alice/main-key"] = map[string]any{"id": key, "owner": alice, "publicKeyPem": pair.PublicPEM}

	if bobFirst {
		if _, err := f.FetchActor(ctx, bob); err != nil {
			t.Fatal(err)
		}
		owner, _, err := f.KeyOwner(ctx, key, false)
		if err != nil || owner.IRI != alice {
			t.Fatalf("KeyOwner = %+v, %v; want alice", owner, err)
		}
	} else {
		if owner, _, err := f.KeyOwner(ctx, key, false); err != nil || owner.IRI != alice {
			t.Fatalf("KeyOwner = %+v, %v; want alice", owner, err)
		}
		if _, err := f.FetchActor(ctx, bob); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := st.RemoteActorByKeyID(ctx, key); err != nil || got.IRI != alice || got.KeyFetchedAt.IsZero() {
		t.Errorf("the key is held by %+v, %v; want alice, confirmed", got, err)
	}
	if got, err := st.RemoteActorByIRI(ctx, bob); err != nil || got.PublicKeyID != "" {
		t.Errorf("bob = %+v, %v; want him stored without the key", got, err)
	}
}
