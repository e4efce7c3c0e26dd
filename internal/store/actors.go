package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// CreateActor inserts an actor and fills in its ID.
func (s *Store) CreateActor(ctx context.Context, a *model.Actor) error {
	now := time.Now().UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.UpdatedAt = now
	if _, err := s.DB.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert actor %s: %w", a.Username, err)
	}
	return nil
}

// LocalActor finds one of this instance's actors by username.
func (s *Store) LocalActor(ctx context.Context, username string) (*model.Actor, error) {
	a := new(model.Actor)
	err := s.DB.NewSelect().Model(a).Where("local").Where("username = ?", username).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("local actor %s: %w", username, notFound(err))
	}
	return a, nil
}

// LocalActors lists this instance's actors of one type (all types if empty),
// oldest first.
func (s *Store) LocalActors(ctx context.Context, actorType string) ([]*model.Actor, error) {
	var as []*model.Actor
	q := s.DB.NewSelect().Model(&as).Where("local").Order("id")
	if actorType != "" {
		q = q.Where("type = ?", actorType)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list local actors: %w", err)
	}
	return as, nil
}

// CountLocalActors counts this instance's actors of one type.
func (s *Store) CountLocalActors(ctx context.Context, actorType string) (int, error) {
	n, err := s.DB.NewSelect().Model((*model.Actor)(nil)).Where("local").Where("type = ?", actorType).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count local actors: %w", err)
	}
	return int(n), nil
}

// ActorByID loads an actor by primary key.
func (s *Store) ActorByID(ctx context.Context, id int64) (*model.Actor, error) {
	a := new(model.Actor)
	if err := s.DB.NewSelect().Model(a).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("actor %d: %w", id, notFound(err))
	}
	return a, nil
}

// RemoteActorByIRI finds a remote actor by its id. Under WithLookupMemo the
// same statement answers IsFollowedLocally and NetworksOfMember for it.
func (s *Store) RemoteActorByIRI(ctx context.Context, iri string) (*model.Actor, error) {
	a := new(model.Actor)
	var err error
	if m, ok := ctx.Value(lookupMemoKey{}).(*lookupMemo); ok { // once per actor's turn in the inbox applier
		if a, err = s.remoteActorWithLookups(ctx, m, iri); err != nil {
			return nil, fmt.Errorf("remote actor %s: %w", iri, notFound(err))
		}
		return a, nil
	}
	if q, ok := s.preparedOn(s.DB); ok {
		query := s.statements.remoteActorByIRI.get(func() string {
			return s.DB.NewSelect().Model((*model.Actor)(nil)).Where("iri = $1").String()
		})
		err = s.scanOnePrepared(ctx, q, query, a, iri)
	} else {
		err = s.DB.NewSelect().Model(a).Where("iri = ?", iri).Scan(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("remote actor %s: %w", iri, notFound(err))
	}
	return a, nil
}

// UpsertRemoteActor stores a fetched remote actor, replacing what we had for
// the same IRI, and fills in its ID. A key id already held by another remote
// actor is refused with ErrKeyClaimed: which of the two owns it is for the
// caller to settle, by dereferencing the key (see TakeRemoteActorKey).
func (s *Store) UpsertRemoteActor(ctx context.Context, a *model.Actor) error {
	prepareRemote(a)
	err := upsertRemoteActor(ctx, s.DB, a)
	if IsUniqueViolation(err) {
		if err = s.keyHeldByOther(ctx, s.DB, a); err == nil {
			// Two upserts of one actor raced; the second sees the first's row now.
			err = upsertRemoteActor(ctx, s.DB, a)
		}
	}
	if IsUniqueViolation(err) {
		err = s.keyHeldByOther(ctx, s.DB, a)
	}
	if err != nil {
		return fmt.Errorf("upsert remote actor %s: %w", a.IRI, err)
	}
	return nil
}

func prepareRemote(a *model.Actor) {
	now := time.Now().UTC()
	a.Local = false
	a.UpdatedAt = now
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
}

// upsertRemoteActor writes the row. A key confirmation is kept while the key
// stays the same and lost when it changes, unless this write confirms it.
func upsertRemoteActor(ctx context.Context, db bun.IDB, a *model.Actor) error {
	_, err := db.NewInsert().Model(a).
		On("CONFLICT (iri) WHERE iri IS NOT NULL DO UPDATE").
		Set("username = EXCLUDED.username, host = EXCLUDED.host, type = EXCLUDED.type").
		Set("name = EXCLUDED.name, summary = EXCLUDED.summary, url = EXCLUDED.url").
		Set("inbox = EXCLUDED.inbox, outbox = EXCLUDED.outbox, followers = EXCLUDED.followers").
		Set("following = EXCLUDED.following, shared_inbox = EXCLUDED.shared_inbox").
		Set("key_fetched_at = CASE WHEN EXCLUDED.key_fetched_at IS NOT NULL THEN EXCLUDED.key_fetched_at" +
			" WHEN ?TableAlias.public_key_id = EXCLUDED.public_key_id AND ?TableAlias.public_key_pem = EXCLUDED.public_key_pem" +
			" THEN ?TableAlias.key_fetched_at END").
		Set("public_key_id = EXCLUDED.public_key_id, public_key_pem = EXCLUDED.public_key_pem").
		Set("manually_approves_followers = EXCLUDED.manually_approves_followers").
		Set("discoverable = EXCLUDED.discoverable, raw = EXCLUDED.raw").
		Set("updated_at = EXCLUDED.updated_at, fetched_at = EXCLUDED.fetched_at").
		Returning("id").Exec(ctx)
	return err
}

// DeleteRemoteActor removes a remote actor and, by cascade, its follows,
// posts and interactions.
func (s *Store) DeleteRemoteActor(ctx context.Context, db bun.IDB, iri string) error {
	if _, err := db.NewDelete().Model((*model.Actor)(nil)).Where("NOT local").Where("iri = ?", iri).Exec(ctx); err != nil {
		return fmt.Errorf("delete remote actor %s: %w", iri, err)
	}
	return nil
}

// UpdateLocalActorProfile saves the editable profile fields of a local actor.
func (s *Store) UpdateLocalActorProfile(ctx context.Context, db bun.IDB, a *model.Actor) error {
	a.UpdatedAt = time.Now().UTC()
	_, err := db.NewUpdate().Model(a).
		Column("name", "summary", "url", "manually_approves_followers", "updated_at").
		Where("local").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update actor %s: %w", a.Username, err)
	}
	return nil
}

// UpdateLocalActorKey replaces a local actor's key pair.
func (s *Store) UpdateLocalActorKey(ctx context.Context, db bun.IDB, a *model.Actor) error {
	a.UpdatedAt = time.Now().UTC()
	_, err := db.NewUpdate().Model(a).Column("public_key_pem", "private_key_pem", "updated_at").
		Where("local").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update key of %s: %w", a.Username, err)
	}
	return nil
}
