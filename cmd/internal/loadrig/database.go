package loadrig

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/commonplace-social/commonplace/internal/store"
)

// DefaultPGAdmin is the PostgreSQL URL the programs create and drop their
// databases through unless told otherwise.
const DefaultPGAdmin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Database is a fresh database for one run: a uniquely named PostgreSQL
// database, or an SQLite file in a directory of the run's own.
type Database struct {
	URL     string
	Dialect store.Dialect
	drop    func() error
}

// NewDatabase makes a database of the dialect. On PostgreSQL it is created
// through adminURL with a name from prefix, the process id and the time, so
// runs side by side do not meet; on SQLite it is a file in dir.
func NewDatabase(ctx context.Context, dialect store.Dialect, adminURL, dir, prefix string) (*Database, error) {
	switch dialect {
	case store.SQLite:
		return &Database{URL: "sqlite:" + filepath.Join(dir, "commonplace.db"), Dialect: dialect, drop: func() error { return nil }}, nil
	case store.Postgres:
		return newPostgres(ctx, adminURL, prefix)
	}
	return nil, fmt.Errorf("unknown dialect %q: postgres or sqlite", dialect)
}

func newPostgres(ctx context.Context, adminURL, prefix string) (*Database, error) {
	name := fmt.Sprintf("%s_%d_%d", prefix, time.Now().Unix(), os.Getpid())
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", adminURL, err)
	}
	if err := adminExec(ctx, adminURL, "CREATE DATABASE "+name); err != nil {
		return nil, err
	}
	u.Path = "/" + name
	drop := func() error {
		// A fresh context: the run's may be cancelled (Ctrl-C) by now.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return adminExec(ctx, adminURL, "DROP DATABASE "+name+" WITH (FORCE)")
	}
	return &Database{URL: u.String(), Dialect: store.Postgres, drop: drop}, nil
}

// adminExec runs one statement through a connection of its own, closed at
// once, so that no admin connection stays open during the measurements.
func adminExec(ctx context.Context, adminURL, statement string) error {
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return fmt.Errorf("open %s: %w", adminURL, err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, statement); err != nil {
		return fmt.Errorf("%s: %w", statement, err)
	}
	return nil
}

// Drop removes a PostgreSQL database; an SQLite file goes with its directory.
func (d *Database) Drop() error { return d.drop() }
