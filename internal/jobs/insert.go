package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"
)

// InsertTx adds a job in tx. It becomes visible to workers only when tx
// commits, and disappears if tx rolls back.
func (q *Queue) InsertTx(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.InsertTx(ctx, tx.Tx, args, opts); err != nil {
		return fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return nil
}

// Insert adds a job on its own, for work that follows from something
// already committed (e.g. fetching a newly followed account's posts).
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return nil
}

// insertBatch bounds one batch insert: every job carries its own args (a
// delivery carries the whole activity), and a fan-out to tens of thousands
// of inboxes in one statement would be hundreds of megabytes.
const insertBatch = 500

// ErrNotWorker is returned by CompleteTx outside a job being worked.
var ErrNotWorker = errors.New("not inside a job being worked")

// InsertManyTx adds many jobs in tx, all with the same options, in batch
// inserts (on SQLite River still writes them one row at a time).
func (q *Queue) InsertManyTx(ctx context.Context, tx bun.Tx, args []river.JobArgs, opts *river.InsertOpts) error {
	for chunk := range slices.Chunk(args, insertBatch) {
		params := make([]river.InsertManyParams, len(chunk))
		for i, a := range chunk {
			params[i] = river.InsertManyParams{Args: a, InsertOpts: opts}
		}
		if _, err := q.client.InsertManyTx(ctx, tx.Tx, params); err != nil {
			return fmt.Errorf("insert %d %s jobs: %w", len(args), chunk[0].Kind(), err)
		}
	}
	return nil
}

// CompleteTx marks the job being worked as completed in tx, so that the
// work it did in tx (such as inserting follow-up jobs) and its completion
// commit together: a crash in between neither loses nor repeats the work.
// It must be called from the job's Work, with Work's ctx.
func CompleteTx[T river.JobArgs](ctx context.Context, tx bun.Tx, job *river.Job[T]) error {
	if _, err := river.ClientFromContextSafely[*sql.Tx](ctx); err != nil {
		return fmt.Errorf("complete job %d: %w", job.ID, ErrNotWorker)
	}
	// The driver type parameter only has to match the client's transaction
	// type; River takes the real driver (SQLite or Postgres) from ctx.
	if _, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx.Tx, job); err != nil {
		return fmt.Errorf("complete job %d in transaction: %w", job.ID, err)
	}
	return nil
}
