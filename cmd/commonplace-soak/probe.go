package main

import (
	"context"
	"fmt"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

// rssKB reads the serve process's resident set size.
func rssKB(s *loadrig.Server) (int, error) {
	p, err := loadrig.ReadProc(s.PID())
	if err != nil {
		return 0, err
	}
	return int(p.RSS >> 10), nil
}

// queueDepth counts jobs waiting to run and deliveries not yet sent.
type queueDepth struct{ jobs, deliveries int }

func queueDepthOf(ctx context.Context, env *loadrig.Env) (queueDepth, error) {
	var q queueDepth
	db := env.Store.DB
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state IN ('available', 'retryable')").Scan(&q.jobs); err != nil {
		return q, fmt.Errorf("count jobs: %w", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM outbox_deliveries").Scan(&q.deliveries); err != nil {
		return q, fmt.Errorf("count deliveries: %w", err)
	}
	return q, nil
}
