package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// ErrKeyClaimed: another remote actor already holds the key id. A key id
// belongs to one actor (a unique index says so), so a document naming
// someone else's key cannot make us attribute that key's signatures to it.
var ErrKeyClaimed = errors.New("the key id belongs to another actor")

// RemoteActorByKeyID finds the remote actor that owns a public key id.
func (s *Store) RemoteActorByKeyID(ctx context.Context, keyID string) (*model.Actor, error) {
	a := new(model.Actor)
	err := s.DB.NewSelect().Model(a).Where("NOT local").Where("public_key_id = ?", keyID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("actor with key %s: %w", keyID, notFound(err))
	}
	return a, nil
}

// TakeRemoteActorKey stores a remote actor whose key has just been confirmed
// by dereferencing it, taking the key id from whichever actor held it.
func (s *Store) TakeRemoteActorKey(ctx context.Context, a *model.Actor) error {
	prepareRemote(a)
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if a.PublicKeyID != "" {
			_, err := tx.NewUpdate().Model((*model.Actor)(nil)).
				Set("public_key_id = ''").Set("key_fetched_at = NULL").
				Where("NOT local").Where("public_key_id = ?", a.PublicKeyID).Where("iri <> ?", a.IRI).Exec(ctx)
			if err != nil {
				return err
			}
		}
		return upsertRemoteActor(ctx, tx, a)
	})
	if err != nil {
		return fmt.Errorf("store remote actor %s with its key: %w", a.IRI, err)
	}
	return nil
}

// keyHeldByOther reports ErrKeyClaimed, naming the holder, when another
// remote actor holds a's key id, and nil when none does.
func (s *Store) keyHeldByOther(ctx context.Context, db bun.IDB, a *model.Actor) error {
	if a.PublicKeyID == "" {
		return nil
	}
	var holder string
	err := db.NewSelect().Model((*model.Actor)(nil)).Column("iri").
		Where("NOT local").Where("public_key_id = ?", a.PublicKeyID).Where("iri <> ?", a.IRI).
		Limit(1).Scan(ctx, &holder)
	switch {
	case errors.Is(notFound(err), ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	return fmt.Errorf("%w: %s is held by %s", ErrKeyClaimed, a.PublicKeyID, holder)
}
