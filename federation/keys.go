package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// KeyOwner finds the actor that owns a signature's keyId and its public key.
// Keys of our own actors come from the store; remote keys are fetched and
// then kept. A stored key is used once confirmed by dereferencing it;
// refresh forces a new fetch unless the key was confirmed within
// RefetchAfter, which is how a rotated key is picked up. The floor is the
// key's own freshness, not its claimant's: a recently fetched actor naming
// the key proves nothing about it.
//
// Both common key layouts work: Mastodon's `actor#main-key`, where the key
// lives in the actor document, and GoToSocial's `actor/main-key`, a separate
// document naming the owner. Either way the key id is on the owner's server
// and the owner's actor document names the same key id, so a key document
// cannot claim an actor that disowns it, nor an actor a key not its own.
//
// Fetches are gated (see keyGate): a key that failed lately fails again at
// once, and only a few fetches run per host at a time. A key found is kept
// parsed for a while (keyCache); refresh bypasses that too.
func (f *Fetcher) KeyOwner(ctx context.Context, keyID string, refresh bool) (*model.Actor, *rsa.PublicKey, error) {
	if !refresh {
		if owner, pub, ok := f.gate().keys.get(keyID); ok {
			return owner, pub, nil
		}
	}
	owner, pub, err := f.keyOwner(ctx, keyID, refresh)
	if err == nil {
		f.gate().keys.put(keyID, owner, pub)
	}
	return owner, pub, err
}

func (f *Fetcher) keyOwner(ctx context.Context, keyID string, refresh bool) (*model.Actor, *rsa.PublicKey, error) {
	if f.Layout.IsLocal(keyID) {
		return f.localKeyOwner(ctx, keyID)
	}
	cached, err := f.Store.RemoteActorByKeyID(ctx, keyID)
	switch {
	case err == nil && !cached.KeyFetchedAt.IsZero() && (!refresh || time.Since(cached.KeyFetchedAt) < f.RefetchAfter):
		pub, err := keys.ParsePublic(cached.PublicKeyPEM)
		return cached, pub, err
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, nil, err
	}
	owner, err := f.gate().fetch(ctx, keyID, func(ctx context.Context) (*model.Actor, error) {
		return f.fetchKeyOwner(ctx, keyID)
	})
	if err != nil {
		return nil, nil, err
	}
	pub, err := keys.ParsePublic(owner.PublicKeyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	return owner, pub, nil
}

func (f *Fetcher) fetchKeyOwner(ctx context.Context, keyID string) (*model.Actor, error) {
	pk, docURL, doc, err := f.fetchKeyDoc(ctx, keyID)
	if err != nil {
		return nil, err
	}
	var owner *model.Actor
	if pk.Owner == docURL {
		if doc.ID != docURL {
			return nil, fmt.Errorf("the actor at %s claims the id %q", docURL, doc.ID)
		}
		owner, err = f.storeActor(ctx, doc, keyID)
	} else {
		owner, err = f.fetchActor(ctx, pk.Owner, keyID, false)
	}
	if err != nil {
		return nil, err
	}
	if owner.PublicKeyID != keyID {
		return nil, fmt.Errorf("the actor %s does not list the key %s as its own", owner.IRI, keyID)
	}
	return owner, nil
}

// fetchKeyDoc dereferences a key id and checks what it finds: the key
// itself, on the origin that served it (after redirects) and on its owner's.
func (f *Fetcher) fetchKeyDoc(ctx context.Context, keyID string) (vocab.PublicKey, string, *transport.Document, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	doc, err := f.getDoc(ctx, docURL)
	if err != nil {
		return vocab.PublicKey{}, "", nil, fmt.Errorf("fetch key %s: %w", keyID, err)
	}
	pk, err := vocab.ParseKeyDocument(doc.Body)
	if err != nil {
		return vocab.PublicKey{}, "", nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	switch {
	case pk.ID != keyID || pk.Owner == "":
		return pk, "", nil, fmt.Errorf("the document at %s does not publish the key %s", docURL, keyID)
	case !transport.SameOrigin(keyID, doc.URL):
		return pk, "", nil, fmt.Errorf("the key %s was served from %s, another origin", keyID, doc.URL)
	case !transport.SameOrigin(pk.Owner, keyID):
		return pk, "", nil, fmt.Errorf("the key %s names the owner %s on another server", keyID, pk.Owner)
	}
	return pk, docURL, doc, nil
}

// localKeyOwner resolves a key of one of our own actors, for activities our
// organisations deliver to each other on one instance.
func (f *Fetcher) localKeyOwner(ctx context.Context, keyID string) (*model.Actor, *rsa.PublicKey, error) {
	id, _, _ := strings.Cut(keyID, "#")
	var a *model.Actor
	var err error
	if id == f.Layout.InstanceActor() {
		a, err = f.Orgs.InstanceActor(ctx)
	} else if username, ok := f.Layout.LocalActorUsername(id); ok {
		a, err = f.Store.LocalActor(ctx, username)
	} else {
		return nil, nil, fmt.Errorf("no local key %s", keyID)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("local key %s: %w", keyID, err)
	}
	pub, err := keys.ParsePublic(a.PublicKeyPEM)
	return a, pub, err
}
