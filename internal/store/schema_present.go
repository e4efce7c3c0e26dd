package store

import (
	"context"
	"fmt"
)

// HasSchema reports whether Migrate has ever run on this database, that is
// whether it is a Commonplace database at all. Commands that only work on
// an existing instance ask, so that a mistyped --data-dir or --db is
// reported as such instead of being quietly made into a new, empty one.
func (s *Store) HasSchema(ctx context.Context) (bool, error) {
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bun_migrations'"
	if s.Dialect == Postgres {
		// to_regclass follows search_path, as every other query does.
		q = "SELECT count(*) FROM (SELECT to_regclass('bun_migrations') AS t) r WHERE t IS NOT NULL"
	}
	var tables int
	if err := s.DB.QueryRowContext(ctx, q).Scan(&tables); err != nil {
		return false, fmt.Errorf("look for the schema: %w", err)
	}
	if tables == 0 {
		return false, nil
	}
	var applied int
	if err := s.DB.QueryRowContext(ctx, "SELECT count(*) FROM bun_migrations").Scan(&applied); err != nil {
		return false, fmt.Errorf("count applied migrations: %w", err)
	}
	return applied > 0, nil
}
