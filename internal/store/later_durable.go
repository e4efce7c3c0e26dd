package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

type laterDurableKey struct{}

// WithLaterDurableCommit marks ctx as the context of writes that a later
// synchronous commit of the caller's makes durable. The inbox applier runs
// under it: it records an activity as processed in a transaction that
// commits, synchronously, after the activity's own writes have committed.
// PostgreSQL writes and flushes its write-ahead log in order, so flushing
// that later commit flushes the earlier ones with it; a crash before it can
// lose only writes whose activities are still unprocessed, and those are
// applied again (idempotently) after the restart.
func WithLaterDurableCommit(ctx context.Context) context.Context {
	return context.WithValue(ctx, laterDurableKey{}, true)
}

// LaterDurable reports whether ctx was marked by WithLaterDurableCommit.
func LaterDurable(ctx context.Context) bool {
	v, _ := ctx.Value(laterDurableKey{}).(bool)
	return v
}

// openLaterDurable opens a small second pool whose sessions commit without
// waiting for the log flush (synchronous_commit = off, set when each
// connection starts), for writes under WithLaterDurableCommit: the
// applier's one flush per post was most of what its writes waited on, and
// it held up the inbox's own group commits behind it. A pool of its own
// costs no round trip per write, where SET LOCAL would need a transaction.
func openLaterDurable(dsn string) (*bun.DB, error) {
	u, err := url.Parse(withoutServerStatements(dsn))
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	sqldb, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	sqldb.SetMaxOpenConns(8) // the applier's runners (applyParallel)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// Writer returns where a single-statement write under ctx should go: the
// pool that does not wait for the log flush when ctx is marked by
// WithLaterDurableCommit on PostgreSQL, the main pool otherwise. SQLite in
// WAL mode with synchronous=NORMAL already does not sync on commit.
func (s *Store) Writer(ctx context.Context) bun.IDB {
	if s.later != nil && LaterDurable(ctx) {
		return s.later
	}
	return s.DB
}

// InTxLaterDurable is InTx, except that on PostgreSQL, when ctx is marked
// by WithLaterDurableCommit, the commit does not wait for its log flush
// (SET LOCAL synchronous_commit = off).
func (s *Store) InTxLaterDurable(ctx context.Context, fn func(tx bun.Tx) error) error {
	if s.Dialect != Postgres || !LaterDurable(ctx) {
		return s.InTx(ctx, fn)
	}
	return s.InTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return fmt.Errorf("commit without waiting for the log flush: %w", err)
		}
		return fn(tx)
	})
}
