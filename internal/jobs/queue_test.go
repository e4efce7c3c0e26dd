package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestJobCommitsAndRollsBackWithTheTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		workers, worked := newPingWorkers()
		q := startQueue(t, st, workers)

		err := st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO instance_settings (key, value) VALUES ('rolled', 'back')"); err != nil {
				return err
			}
			if err := q.InsertTx(ctx, tx, pingArgs{N: 1}, nil); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("rolled-back transaction: %v", err)
		}
		err = st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return q.InsertTx(ctx, tx, pingArgs{N: 2}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}

		// The committed job is worked; the rolled-back one never existed,
		// so no worker can ever see it.
		waitWorked(t, worked, 2)
		res, err := q.Client().JobList(ctx, river.NewJobListParams())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Jobs) != 1 {
			t.Fatalf("%d jobs in the queue, want only the committed one", len(res.Jobs))
		}
		n, err := st.DB.NewSelect().Table("instance_settings").Where("key = 'rolled'").Count(ctx)
		if err != nil || n != 0 {
			t.Fatalf("business row of the rolled-back transaction: count %d, err %v", n, err)
		}
	})
}

func TestJobSurvivesStopAndIsWorkedAfterRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		workers, worked := newPingWorkers()
		first := startQueue(t, st, workers)
		if err := first.Stop(ctx); err != nil {
			t.Fatal(err)
		}

		// While no worker runs, an insert-only queue (as the CLI uses)
		// commits a job.
		cli, err := jobs.New(st, jobs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := cli.Start(ctx); err == nil {
			t.Fatal("an insert-only queue started working")
		}
		if err := st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return cli.InsertTx(ctx, tx, pingArgs{N: 7}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		res, err := cli.Client().JobList(ctx, river.NewJobListParams())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Jobs) != 1 || res.Jobs[0].State != rivertype.JobStateAvailable {
			t.Fatalf("jobs after stop: %+v, want one available", res.Jobs)
		}
		select {
		case n := <-worked:
			t.Fatalf("job %d worked by a stopped queue", n)
		default:
		}

		startQueue(t, st, workers)
		waitWorked(t, worked, 7)
	})
}

// blockingArgs is a job whose worker runs until its context is cancelled.
type blockingArgs struct{}

func (blockingArgs) Kind() string { return "test.blocking" }

type blockingWorker struct {
	river.WorkerDefaults[blockingArgs]
	started chan struct{}
}

func (w *blockingWorker) Work(ctx context.Context, _ *river.Job[blockingArgs]) error {
	w.started <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

type finishingWorker struct {
	river.WorkerDefaults[blockingArgs]
	done chan int
}

func (w *finishingWorker) Work(_ context.Context, job *river.Job[blockingArgs]) error {
	w.done <- job.Attempt
	return nil
}

func TestStopDeadlineHandsRunningJobBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		started := make(chan struct{}, 1)
		w1 := river.NewWorkers()
		river.AddWorker(w1, &blockingWorker{started: started})
		first := startQueue(t, st, w1)
		if err := st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return first.InsertTx(ctx, tx, blockingArgs{}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-started:
		case <-time.After(20 * time.Second):
			t.Fatal("job not started")
		}

		stopCtx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		if err := first.Stop(stopCtx); err != nil {
			t.Fatalf("stop past its deadline: %v", err)
		}

		done := make(chan int, 1)
		w2 := river.NewWorkers()
		river.AddWorker(w2, &finishingWorker{done: done})
		startQueue(t, st, w2)
		select {
		case attempt := <-done:
			// The interrupted attempt was given back, not counted as a failure.
			if attempt != 1 {
				t.Errorf("worked on attempt %d after the interrupted one, want 1", attempt)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("interrupted job not worked after restart")
		}
	})
}

func TestOptionsRejectRescueBeforeTimeout(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	_, err := jobs.New(st, jobs.Options{JobTimeout: time.Minute, RescueStuckAfter: time.Minute})
	if err == nil {
		t.Fatal("RescueStuckAfter equal to JobTimeout accepted")
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for range 2 {
			if err := jobs.Migrate(context.Background(), st); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// chainArgs is a job that queues a ping and completes itself in one
// transaction, as the delivery fan-out does.
type chainArgs struct {
	Pings []int `json:"pings"`
}

func (chainArgs) Kind() string { return "test.chain" }

type chainWorker struct {
	river.WorkerDefaults[chainArgs]
	st *store.Store
	q  **jobs.Queue
}

func (w *chainWorker) Work(ctx context.Context, job *river.Job[chainArgs]) error {
	return w.st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var next []river.JobArgs
		for _, n := range job.Args.Pings {
			next = append(next, pingArgs{N: n})
		}
		if err := (*w.q).InsertManyTx(ctx, tx, next, nil); err != nil {
			return err
		}
		return jobs.CompleteTx(ctx, tx, job)
	})
}

func TestCompleteTxCommitsFollowUpsWithTheCompletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		workers, worked := newPingWorkers()
		var q *jobs.Queue
		river.AddWorker(workers, &chainWorker{st: st, q: &q})
		q = startQueue(t, st, workers)

		if err := st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return q.InsertTx(ctx, tx, chainArgs{Pings: []int{11, 12}}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for range 2 {
			select {
			case n := <-worked:
				seen[n] = true
			case <-time.After(20 * time.Second):
				t.Fatalf("follow-ups worked: %v", seen)
			}
		}
		if !seen[11] || !seen[12] {
			t.Fatalf("follow-ups worked: %v, want 11 and 12", seen)
		}
		res, err := q.Client().JobList(ctx, river.NewJobListParams().Kinds("test.chain"))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Jobs) != 1 || res.Jobs[0].State != rivertype.JobStateCompleted || res.Jobs[0].Attempt != 1 {
			t.Fatalf("chain job: %+v", res.Jobs)
		}

		tx, err := st.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := jobs.CompleteTx(ctx, tx, &river.Job[chainArgs]{JobRow: res.Jobs[0]}); !errors.Is(err, jobs.ErrNotWorker) {
			t.Errorf("CompleteTx outside a worker: %v", err)
		}
	})
}
