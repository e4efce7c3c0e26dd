// Package jobs is Commonplace's durable job queue: River, on the same
// database and the same *sql.DB as the store, on Postgres and on SQLite. A
// job is inserted in the transaction of the change that calls for it, so the
// two commit or roll back together, and it survives restarts and crashes.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/internal/store"
)

// hardStopGrace is how long Stop waits for cancelled jobs to hand
// themselves back after the caller's deadline has passed.
const hardStopGrace = 5 * time.Second

// Queue is one process's handle on the job queue: it inserts jobs and, when
// built with workers, works them.
type Queue struct {
	client *river.Client[*sql.Tx]
	opts   Options
}

// New builds a queue on the store's database. Migrate must have run. With
// Options.Workers set, register every worker before Start.
func New(st *store.Store, opts Options) (*Queue, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	driver, err := driverFor(st)
	if err != nil {
		return nil, err
	}
	cfg := &river.Config{
		Logger:               opts.Logger.With("component", "river"),
		MaxAttempts:          opts.RetryPolicy.MaxAttempts,
		RetryPolicy:          opts.RetryPolicy,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueStuckAfter,
		FetchPollInterval:    opts.PollInterval,
		FetchCooldown:        min(opts.PollInterval, maxFetchCooldown),
		// Postgres over database/sql has no LISTEN, and River's SQLite
		// "listener" is itself a 50 ms poll of an outbox table that every
		// insert writes to. Plain polling costs less and treats both alike.
		PollOnly: true,
	}
	if opts.Workers != nil {
		cfg.Workers = opts.Workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.MaxWorkers}}
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client, opts: opts}, nil
}

// Start begins working jobs in the background. Cancelling ctx is a hard
// stop (running jobs are cancelled); use Stop to shut down gracefully.
func (q *Queue) Start(ctx context.Context) error {
	if q.opts.Workers == nil {
		return errNoWorkers
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop stops fetching and lets running jobs finish until ctx is done. Jobs
// still running then are cancelled, which hands them back to the queue
// without using up an attempt, so the next process to start works them.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return wrapStop(err)
	}
	q.opts.Logger.WarnContext(ctx, "job queue: jobs still running at the stop deadline; cancelling them")
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), hardStopGrace)
	defer cancel()
	return wrapStop(q.client.StopAndCancel(hard))
}

func wrapStop(err error) error {
	if err != nil {
		return fmt.Errorf("stop job queue: %w", err)
	}
	return nil
}

// RetryPolicy is the backoff the queue retries failed jobs on, for work
// that keeps its own retry state (ordered lanes).
func (q *Queue) RetryPolicy() RetryPolicy { return q.opts.RetryPolicy }

// Client exposes the River client, for tests and tooling that inspect jobs.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

var errNoWorkers = errors.New("job queue has no workers: it was built insert-only")
