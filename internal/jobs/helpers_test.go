package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// pingArgs is a job that reports its N to the worker's channel.
type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "test.ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	worked chan int
}

func (w *pingWorker) Work(_ context.Context, job *river.Job[pingArgs]) error {
	w.worked <- job.Args.N
	return nil
}

func newPingWorkers() (*river.Workers, chan int) {
	worked := make(chan int, 100)
	w := river.NewWorkers()
	river.AddWorker(w, &pingWorker{worked: worked})
	return w, worked
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// startQueue migrates River's tables and starts a working queue that polls
// quickly and is stopped when the test ends.
func startQueue(t *testing.T, st *store.Store, workers *river.Workers) *jobs.Queue {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(st, jobs.Options{Workers: workers, PollInterval: 50 * time.Millisecond, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop queue: %v", err)
		}
	})
	return q
}

// waitWorked waits for the worker to report n, failing after a generous deadline.
func waitWorked(t *testing.T, worked <-chan int, n int) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case got := <-worked:
			if got == n {
				return
			}
			t.Fatalf("worked job %d, want %d", got, n)
		case <-deadline:
			t.Fatalf("job %d not worked within the deadline", n)
		}
	}
}

var errRollback = errors.New("roll back on purpose")
