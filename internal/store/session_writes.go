package store

import (
	"context"
	"fmt"
	"time"
)

// SessionWritesAs reports, in one read, whether an unexpired session's
// account writes as the actor.
func (s *Store) SessionWritesAs(ctx context.Context, tokenHash string, now time.Time, actorID int64) (bool, error) {
	ok, err := s.DB.NewSelect().TableExpr("sessions AS s").
		Join("JOIN account_orgs AS ao ON ao.account_id = s.account_id").
		Where("s.token_hash = ?", tokenHash).Where("s.expires_at > ?", now).Where("ao.actor_id = ?", actorID).
		Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("session writes as: %w", err)
	}
	return ok, nil
}
