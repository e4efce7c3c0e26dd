package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// PendingActivity is an unprocessed activity as an applier sees it,
// without its body.
type PendingActivity struct {
	ID            int64     `bun:"id"`
	Type          string    `bun:"type"`
	ActorIRI      string    `bun:"actor_iri"`
	Attempts      int       `bun:"attempts"`
	NextAttemptAt time.Time `bun:"next_attempt_at,nullzero"`
	ReceivedAt    time.Time `bun:"received_at"`
}

// ScanInboxActivities reads up to limit unprocessed activities with ids
// above after, in id order, leaving out those of actors another holder has
// a live lease on (that holder applies them). An applier scans forward
// from where it got to, so each activity is read about once however long
// the backlog, and takes the leases of the actors it finds with
// LeaseInboxActors before applying anything.
func (s *Store) ScanInboxActivities(ctx context.Context, holder string, after int64, limit int) ([]PendingActivity, error) {
	var rows []PendingActivity
	err := s.DB.NewSelect().Table("inbox_activities").
		Column("id", "type", "actor_iri", "attempts", "next_attempt_at", "received_at").
		Where("processed_at IS NULL AND id > ?", after).
		Where("NOT EXISTS (SELECT 1 FROM inbox_leases WHERE inbox_leases.actor_iri = inbox_activities.actor_iri"+
			" AND inbox_leases.expires_at > ? AND inbox_leases.holder <> ?)", time.Now().UTC(), holder).
		OrderExpr("id").Limit(int64(limit)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("scan inbox activities after %d: %w", after, err)
	}
	return rows, nil
}

// LeaseInboxActors takes, or renews, holder's lease of each actor whose
// lease is free, expired or already holder's, and returns the actors it
// holds now. While the lease lasts no other applier applies the actor's
// activities, so they are applied one at a time in the order recorded.
// Rows are written in one order, so two appliers leasing at once cannot
// deadlock.
func (s *Store) LeaseInboxActors(ctx context.Context, holder string, actors []string, ttl time.Duration) ([]string, error) {
	actors = slices.Compact(slices.Sorted(slices.Values(actors)))
	now := time.Now().UTC()
	type lease struct {
		bun.BaseModel `bun:"table:inbox_leases"`
		ActorIRI      string    `bun:"actor_iri,pk"`
		Holder        string    `bun:"holder"`
		ExpiresAt     time.Time `bun:"expires_at"`
	}
	var got []string
	if q, ok := s.preparedOn(s.DB); ok {
		for chunk := range slices.Chunk(actors, inboxChunk) {
			var took []string
			if err := s.scanAllPrepared(ctx, q, leaseInboxSQL, &took, chunk, holder, now.Add(ttl), now); err != nil {
				return nil, fmt.Errorf("lease %d remote actors' inboxes: %w", len(chunk), err)
			}
			got = append(got, took...)
		}
		return got, nil
	}
	for chunk := range slices.Chunk(actors, inboxChunk) {
		rows := make([]lease, len(chunk))
		for i, a := range chunk {
			rows[i] = lease{ActorIRI: a, Holder: holder, ExpiresAt: now.Add(ttl)}
		}
		var took []string
		err := s.DB.NewInsert().Model(&rows).
			On("CONFLICT (actor_iri) DO UPDATE").
			Set("holder = EXCLUDED.holder").Set("expires_at = EXCLUDED.expires_at").
			Where("?TableAlias.expires_at <= ? OR ?TableAlias.holder = ?", now, holder).
			Returning("actor_iri").Scan(ctx, &took)
		if err != nil {
			return nil, fmt.Errorf("lease %d remote actors' inboxes: %w", len(chunk), err)
		}
		got = append(got, took...)
	}
	return got, nil
}

// leaseInboxSQL is LeaseInboxActors as one prepared statement for any
// number of actors (see preparedOn), run for every applier's round; unnest
// keeps the actors' sorted order.
const leaseInboxSQL = `INSERT INTO inbox_leases AS lease (actor_iri, holder, expires_at)
SELECT a, $2, $3 FROM unnest($1::text[]) AS a
ON CONFLICT (actor_iri) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
WHERE lease.expires_at <= $4 OR lease.holder = $2
RETURNING actor_iri`

// RenewInboxLeases extends holder's leases of actors while it works on
// them. Leases it no longer renews (say, after failing to record what it
// applied) expire, and another applier applies those activities again.
func (s *Store) RenewInboxLeases(ctx context.Context, holder string, actors []string, ttl time.Duration) error {
	now := time.Now().UTC()
	for chunk := range slices.Chunk(actors, inboxChunk) {
		_, err := s.DB.NewUpdate().Table("inbox_leases").Set("expires_at = ?", now.Add(ttl)).
			Where("holder = ? AND expires_at > ? AND actor_iri IN (?)", holder, now, bun.In(chunk)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("renew %d inbox leases: %w", len(chunk), err)
		}
	}
	return nil
}

// ReleaseInboxLeases lets go of every lease holder has, as it stops.
// Actors held for a retry (no holder) stay held.
func (s *Store) ReleaseInboxLeases(ctx context.Context, holder string) error {
	if _, err := s.DB.NewDelete().Table("inbox_leases").Where("holder = ?", holder).Exec(ctx); err != nil {
		return fmt.Errorf("release inbox leases: %w", err)
	}
	return nil
}

// CountPendingInboxActivities counts the activities not yet processed:
// the applier's backlog, for metrics.
func (s *Store) CountPendingInboxActivities(ctx context.Context) (int, error) {
	n, err := s.DB.NewSelect().Table("inbox_activities").Where("processed_at IS NULL").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count pending inbox activities: %w", err)
	}
	return int(n), nil
}

// PendingInboxActivitiesOf reads the unprocessed activities of actors with
// ids up to through, in id order. An applier that has just leased actors
// starts from these, not from what its own scan read: its scan may have
// begun past an actor's earlier activities (left by a holder that failed,
// was held for a retry, or died), which must be applied first.
func (s *Store) PendingInboxActivitiesOf(ctx context.Context, actors []string, through int64) ([]PendingActivity, error) {
	var out []PendingActivity
	for chunk := range slices.Chunk(actors, inboxChunk) {
		var rows []PendingActivity
		err := s.DB.NewSelect().Table("inbox_activities").
			Column("id", "type", "actor_iri", "attempts", "next_attempt_at", "received_at").
			Where("processed_at IS NULL AND id <= ? AND actor_iri IN (?)", through, bun.In(chunk)).
			OrderExpr("id").Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("pending activities of %d remote actors: %w", len(chunk), err)
		}
		out = append(out, rows...)
	}
	return out, nil
}
