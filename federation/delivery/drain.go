package delivery

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/internal/wake"
)

// drainWorker finishes the drain jobs of a database upgraded from when one
// River job per host sent that host's deliveries. Its rows are now the
// dispatcher's (the upgrade made each such host due), so a drain job only
// wakes the dispatchers.
type drainWorker struct {
	river.WorkerDefaults[DrainArgs]
	d *Deliverer
}

func (w *drainWorker) Work(ctx context.Context, _ *river.Job[DrainArgs]) error {
	w.d.wake.Notify(wake.Delivery)
	return nil
}
