package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Querier is the part of *sql.DB (or *bun.DB) the queue collector uses.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queueTimeout bounds the count at scrape time: a slow database must not
// make /metrics hang, and a scrape without queue figures beats none.
const queueTimeout = 2 * time.Second

var queueDesc = prometheus.NewDesc("commonplace_queue_jobs",
	"Jobs in the queue table by kind and state, counted at scrape time.", []string{"kind", "state"}, nil)

// QueueCollector counts River's jobs when scraped. The queue is shared by
// every process on the database, so each process reports the same totals.
type QueueCollector struct {
	DB    Querier
	Error func(error) // told when the count fails; may be nil
}

// Describe implements prometheus.Collector.
func (c *QueueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDesc }

// Collect implements prometheus.Collector.
func (c *QueueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	if err := c.collect(ctx, ch); err != nil {
		if c.Error != nil {
			c.Error(err)
		}
		ch <- prometheus.NewInvalidMetric(queueDesc, err)
	}
}

func (c *QueueCollector) collect(ctx context.Context, ch chan<- prometheus.Metric) error {
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
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n), kind, state)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count queue jobs: %w", err)
	}
	return nil
}
