package delivery

import (
	"context"
	"fmt"

	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Backlog reports how far sending is behind queueing: deliveries queued
// and not yet sent or given up.
func Backlog(st *store.Store, onError func(error)) *metrics.BacklogGauge {
	return &metrics.BacklogGauge{
		Name: "commonplace_delivery_pending",
		Help: "Deliveries queued and not yet sent or given up, counted at scrape time.",
		Count: func(ctx context.Context) (int, error) {
			n, err := st.DB.NewSelect().Model((*outboxRow)(nil)).Count(ctx)
			if err != nil {
				return 0, fmt.Errorf("count queued deliveries: %w", err)
			}
			return int(n), nil
		},
		Error: onError,
	}
}
