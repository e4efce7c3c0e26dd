package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
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

// InTxLaterDurable is InTx, except that on PostgreSQL, when ctx is marked
// by WithLaterDurableCommit, the commit does not wait for its log flush
// (SET LOCAL synchronous_commit = off): the applier's one flush per post
// was most of what its writes waited on, and it held up the inbox's own
// group commits behind it. SQLite in WAL mode with synchronous=NORMAL
// already does not sync on commit.
func (s *Store) InTxLaterDurable(ctx context.Context, fn func(tx bun.Tx) error) error {
	if !s.CommitsLater(ctx) {
		return s.InTx(ctx, fn)
	}
	return s.InTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return fmt.Errorf("commit without waiting for the log flush: %w", err)
		}
		return fn(tx)
	})
}

// CommitsLater reports whether InTxLaterDurable skips the log flush for
// ctx: on PostgreSQL, under WithLaterDurableCommit.
func (s *Store) CommitsLater(ctx context.Context) bool {
	return s.Dialect == Postgres && LaterDurable(ctx)
}
