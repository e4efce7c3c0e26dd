package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// BacklogGauge reports one count taken at scrape time, such as the
// deliveries waiting to be sent. The tables behind these counts are shared
// by every process on the database, so each process reports the same
// figure.
type BacklogGauge struct {
	Desc  *prometheus.Desc
	Count func(ctx context.Context) (int, error)
	Error func(error) // told when the count fails; may be nil
}

// Describe implements prometheus.Collector.
func (g *BacklogGauge) Describe(ch chan<- *prometheus.Desc) { ch <- g.Desc }

// Collect implements prometheus.Collector.
func (g *BacklogGauge) Collect(ch chan<- prometheus.Metric) {
	// A slow database must not make /metrics hang.
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	n, err := g.Count(ctx)
	if err != nil {
		if g.Error != nil {
			g.Error(err)
		}
		ch <- prometheus.NewInvalidMetric(g.Desc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(g.Desc, prometheus.GaugeValue, float64(n))
}
