// Package store is Commonplace's persistence: one bun database over either
// PostgreSQL (production) or an embedded pure-Go SQLite (the zero-config
// default), with the schema from package migrations.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// Dialect names which database a Store runs on.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is the database handle every use case works through.
type Store struct {
	DB      *bun.DB
	Dialect Dialect
	// File is the SQLite database file ("" on Postgres), for watching what
	// other processes commit to it.
	File string

	later *bun.DB // PostgreSQL only: see WithLaterDurableCommit

	prepare    bool // PostgreSQL only: see preparedOn
	statements preparedStatements
	postGroup  postInsertGroup
}

// Open connects to the database named by a postgres:// or sqlite:PATH URL and
// checks that it answers, so that a wrong URL fails at start-up with a clear
// sentence rather than at the first request.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		s, err = openPostgres(rawURL)
	case strings.HasPrefix(rawURL, "sqlite:"):
		s, err = openSQLite(strings.TrimPrefix(rawURL, "sqlite:"))
	default:
		return nil, errors.New("database URL must start with postgres:// or sqlite:")
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.DB.PingContext(pingCtx); err != nil {
		s.DB.Close()
		return nil, fmt.Errorf("cannot reach the database at %s: %w", describe(rawURL), unwrapConnErr(err))
	}
	if s.later != nil && s.later.PingContext(pingCtx) != nil {
		// A pooler that refuses the synchronous_commit start-up
		// parameter: every write then waits for its flush, as before.
		s.later.Close()
		s.later = nil
	}
	return s, nil
}

func openPostgres(dsn string) (*Store, error) {
	sqldb, err := sql.Open("pgx", withoutServerStatements(dsn))
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// Keep as many idle as open: with database/sql's default of two, a
	// burst closes and reopens connections by the hundred. Idle ones still
	// close after five minutes, so a quiet server holds few.
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(20)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	later, err := openLaterDurable(dsn)
	if err != nil {
		sqldb.Close()
		return nil, err
	}
	return &Store{DB: bun.NewDB(sqldb, pgdialect.New()), Dialect: Postgres, later: later,
		prepare: !choosesExecMode(dsn)}, nil
}

func openSQLite(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: URL needs a file path, e.g. sqlite:./commonplace.db")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", dir, err)
		}
	}
	// busy_timeout must come before journal_mode, or switching to WAL can
	// fail with SQLITE_BUSY when another process (a CLI next to a running
	// server) holds the file. Immediate transactions take the write lock up
	// front instead of failing on a lock upgrade halfway through.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// SQLite has one writer; a small pool keeps readers concurrent without
	// queueing many writers on the busy timeout.
	sqldb.SetMaxOpenConns(4)
	return &Store{DB: bun.NewDB(sqldb, sqlitedialect.New()), Dialect: SQLite, File: path}, nil
}

// Close releases the connection pools.
func (s *Store) Close() error {
	if s.later != nil {
		s.later.Close()
	}
	return s.DB.Close()
}

// Ping reports whether the database answers, for readiness checks.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// describe names a database for an error message without its password.
func describe(rawURL string) string {
	if strings.HasPrefix(rawURL, "sqlite:") {
		return rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "the given postgres URL"
	}
	return u.Host + u.Path
}

// unwrapConnErr keeps the last, most specific part of a driver error, which
// is the part an operator can act on ("connection refused").
func unwrapConnErr(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		return errors.New(msg[i+2:])
	}
	return err
}

// InTx runs fn in one transaction: committed if fn returns nil, rolled back
// otherwise. Use cases put a change and the job that federates it in one.
// Hooks registered with AfterCommit run after the commit.
func (s *Store) InTx(ctx context.Context, fn func(tx bun.Tx) error) error {
	return s.RunInTx(ctx, func(_ context.Context, tx bun.Tx) error { return fn(tx) })
}
