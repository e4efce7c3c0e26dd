package store

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun/migrate"

	"github.com/commonplace-social/commonplace/migrations"
)

// Migrate brings the schema up to date. It is safe to run on every start:
// applied migrations are recorded and skipped, and bun's lock keeps two
// processes from migrating at once.
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	var files fs.FS
	if s.Dialect == Postgres {
		files = migrations.Postgres()
	} else {
		files = migrations.SQLite()
	}
	ms := migrate.NewMigrations()
	if err := addMigrations(ms, files); err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	m := migrate.NewMigrator(s.DB, ms)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("prepare migration tables: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	defer m.Unlock(ctx) //nolint:errcheck // an unlock failure leaves a stale lock row the next run reports
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	for _, mig := range group.Migrations {
		applied = append(applied, mig.Name)
	}
	return applied, nil
}
