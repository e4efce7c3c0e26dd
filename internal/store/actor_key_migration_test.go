package store_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
	"github.com/commonplace-social/commonplace/migrations"
)

// The migration that makes remote key ids unique must first settle the
// duplicates the older schema allowed: only the most recently fetched
// claimant keeps the key id, and the unique index can then be built.
func TestActorKeyOwnerMigrationSettlesDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		files := migrations.SQLite()
		if s.Dialect == store.Postgres {
			files = migrations.Postgres()
		}
		up, err := fs.ReadFile(files, "20261201000040_actor_key_owner.tx.up.sql")
		if err != nil {
			t.Fatal(err)
		}
		steps := strings.Split(string(up), "--bun:split")
		// Back to the older index, which let several actors name one key.
		for _, q := range []string{"DROP INDEX actors_public_key_id",
			"CREATE INDEX actors_public_key_id ON actors (public_key_id) WHERE public_key_id <> ''"} {
			if _, err := s.DB.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now().UTC()
		older, newest, alone := remote(1), remote(2), remote(3)
		newest.PublicKeyID = older.PublicKeyID
		older.FetchedAt, newest.FetchedAt, alone.FetchedAt = now.Add(-2*time.Hour), now.Add(-time.Hour), now.Add(-3*time.Hour)
		for _, a := range []*model.Actor{older, newest, alone} {
			if err := s.UpsertRemoteActor(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		// The settling UPDATE, then the index swap.
		for _, q := range steps[1:] {
			if _, err := s.DB.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		want := map[string]string{older.IRI: "", newest.IRI: older.PublicKeyID, alone.IRI: alone.PublicKeyID}
		for iri, key := range want {
			got, err := s.RemoteActorByIRI(ctx, iri)
			if err != nil || got.PublicKeyID != key {
				t.Errorf("%s keeps the key id %q, %v; want %q", iri, got.PublicKeyID, err, key)
			}
		}
	})
}
