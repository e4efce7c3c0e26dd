package metrics

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"
)

// Querier is the part of *sql.DB (or *bun.DB) the queue collector uses.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queueTimeout bounds the count at scrape time: a slow database must not
// make /metrics hang, and a scrape without queue figures beats none.
const queueTimeout = 2 * time.Second

const (
	queueMetric = "commonplace_queue_jobs"
	queueHelp   = "Jobs in the queue table by kind and state, counted at scrape time."
)

// QueueCollector counts River's jobs when scraped. The queue is shared by
// every process on the database, so each process reports the same totals.
type QueueCollector struct {
	DB    Querier
	Error func(error) // told when the count fails; may be nil
}

// Collect implements Collector. The rows are read in full before anything
// is written, so a failed count leaves the whole gauge out of this scrape.
func (c *QueueCollector) Collect(w io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	var b bytes.Buffer
	if err := c.collect(ctx, &b); err != nil {
		if c.Error != nil {
			c.Error(err)
		}
		return
	}
	writeGaugeHeader(w, queueMetric, queueHelp)
	w.Write(b.Bytes())
}

func (c *QueueCollector) collect(ctx context.Context, w io.Writer) error {
	rows, err := c.DB.QueryContext(ctx, "SELECT kind, state, count(*) FROM river_job GROUP BY kind, state")
	if err != nil {
		return fmt.Errorf("count queue jobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, state string
		var n int64
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return fmt.Errorf("count queue jobs: %w", err)
		}
		fmt.Fprintf(w, "%s %d\n", series(queueMetric, "kind", kind, "state", state), n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count queue jobs: %w", err)
	}
	return nil
}
