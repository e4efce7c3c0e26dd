package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
	"github.com/commonplace-social/commonplace/internal/store"
)

// saveActor is the one way a remote actor's document reaches the store, so
// every path (fetch, key lookup, Update of the actor) holds it to the same
// rules about its key:
//   - in production the id must be https on a host name (remoteurl.CheckID),
//     as for ids an inbox accepts, whether we fetched the actor ourselves
//     or it came in an Update;
//   - the key id must be on the actor's own server, so no document can
//     claim a key another server publishes;
//   - a key id belongs to one actor; when two claim it, the key's own
//     document decides (the owner it names keeps the key, the other
//     actor is stored without one).
//
// keyConfirmed says the caller has just dereferenced the key id and found it
// names this actor; the claim then wins outright and counts as fresh.
func (f *Fetcher) saveActor(ctx context.Context, a *model.Actor, keyConfirmed bool) (err error) {
	defer f.actorStored(ctx, a)
	defer func() {
		if err == nil {
			f.recordAvatar(ctx, a)
		}
	}()
	if err := remoteurl.CheckID(a.IRI, f.secure()); err != nil {
		return model.Errorf(model.EInvalid, "refusing the remote actor %s: %v", a.IRI, err)
	}
	if a.PublicKeyID != "" && !transport.SameOrigin(a.PublicKeyID, a.IRI) {
		return model.Errorf(model.EInvalid, "the actor %s names the key %s, which is not on its server", a.IRI, a.PublicKeyID)
	}
	if keyConfirmed && a.PublicKeyID != "" {
		a.KeyFetchedAt = time.Now().UTC()
		return f.Store.TakeRemoteActorKey(ctx, a)
	}
	a.KeyFetchedAt = time.Time{}
	err = f.Store.UpsertRemoteActor(ctx, a)
	if !errors.Is(err, store.ErrKeyClaimed) {
		return err
	}
	owner, ferr := f.keyDocOwner(ctx, a.PublicKeyID)
	if ferr != nil {
		return fmt.Errorf("%w; and its key document does not settle it: %w", err, ferr)
	}
	if owner == a.IRI {
		a.KeyFetchedAt = time.Now().UTC()
		return f.Store.TakeRemoteActorKey(ctx, a)
	}
	slog.WarnContext(ctx, "remote actor claims a key its document gives to another; storing it without a key",
		"actor", a.IRI, "key", a.PublicKeyID, "owner", owner)
	a.PublicKeyID, a.PublicKeyPEM = "", ""
	return f.Store.UpsertRemoteActor(ctx, a)
}

// keyDocOwner dereferences a key id and returns the owner its document
// names, without storing anything.
func (f *Fetcher) keyDocOwner(ctx context.Context, keyID string) (string, error) {
	pk, _, _, err := f.fetchKeyDoc(ctx, keyID)
	if err != nil {
		return "", err
	}
	return pk.Owner, nil
}
