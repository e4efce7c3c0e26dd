package metrics

import (
	"context"
	"fmt"
	"io"
)

// BacklogGauge reports one count taken at scrape time, such as the
// deliveries waiting to be sent. The tables behind these counts are shared
// by every process on the database, so each process reports the same
// figure.
type BacklogGauge struct {
	Name, Help string
	Count      func(ctx context.Context) (int, error)
	Error      func(error) // told when the count fails; may be nil
}

// Collect implements Collector. A failed count leaves the gauge out of
// this scrape (and tells Error) rather than failing the whole page.
func (g *BacklogGauge) Collect(w io.Writer) {
	// A slow database must not make /metrics hang.
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	n, err := g.Count(ctx)
	if err != nil {
		if g.Error != nil {
			g.Error(err)
		}
		return
	}
	writeGaugeHeader(w, g.Name, g.Help)
	fmt.Fprintf(w, "%s %d\n", g.Name, n)
}

// writeGaugeHeader writes the HELP and TYPE lines that precede a gauge
// written at scrape time.
func writeGaugeHeader(w io.Writer, name, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
}
