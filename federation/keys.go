package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// KeyOwner finds the actor that owns a signature's keyId and its public key.
// Keys of our own actors come from the store; remote keys are fetched once
// and then kept. refresh forces a new fetch (at most once per RefetchAfter),
// which is how a rotated key is picked up.
//
// Both common key layouts work: Mastodon's `actor#main-key`, where the key
// lives in the actor document, and GoToSocial's `actor/main-key`, a separate
// document naming the owner. Either way the owner's actor document must name
// the same key id, so a key document cannot claim an actor that disowns it.
func (f *Fetcher) KeyOwner(ctx context.Context, keyID string, refresh bool) (*model.Actor, *rsa.PublicKey, error) {
	if f.Layout.IsLocal(keyID) {
		return f.localKeyOwner(ctx, keyID)
	}
	cached, err := f.Store.RemoteActorByKeyID(ctx, keyID)
	switch {
	case err == nil && (!refresh || time.Since(cached.FetchedAt) < f.RefetchAfter):
		pub, err := keys.ParsePublic(cached.PublicKeyPEM)
		return cached, pub, err
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, nil, err
	}
	owner, err := f.fetchKeyOwner(ctx, keyID)
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
	docURL, _, _ := strings.Cut(keyID, "#")
	body, err := f.get(ctx, docURL)
	if err != nil {
		return nil, fmt.Errorf("fetch key %s: %w", keyID, err)
	}
	pk, err := vocab.ParseKeyDocument(body)
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	if pk.ID != keyID || pk.Owner == "" {
		return nil, fmt.Errorf("the document at %s does not publish the key %s", docURL, keyID)
	}
	var owner *model.Actor
	if pk.Owner == docURL {
		owner, err = f.storeActor(ctx, docURL, body)
	} else {
		owner, err = f.FetchActor(ctx, pk.Owner)
	}
	if err != nil {
		return nil, err
	}
	if owner.PublicKeyID != keyID {
		return nil, fmt.Errorf("the actor %s does not list the key %s as its own", owner.IRI, keyID)
	}
	return owner, nil
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
