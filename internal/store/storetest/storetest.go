// Package storetest opens real, migrated, throw-away databases for tests:
// a SQLite file in a temporary directory, and a fresh schema on the test
// PostgreSQL server. Tests run against both, never against a fake.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/testneeds"
)

// EnvPostgres names the server the Postgres tests use; .ci/run creates it.
const EnvPostgres = "COMMONPLACE_TEST_POSTGRES"

// DefaultPostgres is the role and database .ci/run and the README create.
const DefaultPostgres = "postgres://commonplace:commonplace@127.0.0.1:5432/commonplace_test?sslmode=disable"

// Dialects lists the databases every store test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn once per database, as subtests named after the dialect.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// URL returns a database URL for a new, empty database of the dialect, and
// registers its removal with t.Cleanup. Use it to start whole instances.
func URL(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "commonplace.db")
	}
	return postgresSchemaURL(t)
}

// Open returns a migrated store on a new, empty database of the dialect.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), URL(t, d))
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return s
}

// postgresSchemaURL makes a schema of its own for this test, so tests can run
// in parallel on one server and leave nothing behind. When the server cannot
// be reached the test is skipped on a developer machine but fails in CI,
// where a silent skip would hide that half the suite never ran.
func postgresSchemaURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		base = DefaultPostgres
	}
	if reason := postgresMissing(base); reason != "" {
		testneeds.Missing(t, testneeds.PostgreSQL, reason)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
