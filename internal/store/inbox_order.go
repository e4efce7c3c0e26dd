package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// PendingInboxActivity is a recorded activity not yet processed, with its
// retry state.
type PendingInboxActivity struct {
	bun.BaseModel `bun:"table:inbox_activities,alias:inbox_activities"`

	ID            int64     `bun:"id"`
	Attempts      int       `bun:"attempts"`
	NextAttemptAt time.Time `bun:"next_attempt_at,nullzero"`
	ReceivedAt    time.Time `bun:"received_at"`
}

// OldestUnprocessedInboxActivity finds the actor's earliest recorded
// activity not yet processed, the next to apply in arrival order.
func (s *Store) OldestUnprocessedInboxActivity(ctx context.Context, actorIRI string) (*PendingInboxActivity, bool, error) {
	p := new(PendingInboxActivity)
	err := s.DB.NewSelect().Model(p).Column("id", "attempts", "next_attempt_at", "received_at").
		Where("actor_iri = ? AND processed_at IS NULL", actorIRI).OrderExpr("id").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("next inbox activity of %s: %w", actorIRI, err)
	}
	return p, true, nil
}

// PostponeInboxActivity records a failed try and when to try again.
func (s *Store) PostponeInboxActivity(ctx context.Context, id int64, attempts int, next time.Time) error {
	_, err := s.DB.NewUpdate().Model((*PendingInboxActivity)(nil)).
		Set("attempts = ?", attempts).Set("next_attempt_at = ?", next.UTC()).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("postpone inbox activity %d: %w", id, err)
	}
	return nil
}
