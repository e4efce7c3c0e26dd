package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// RecordNetworkAnnounce claims the right to announce a post for a network:
// inserted is false when the network announced it before (even if that
// re-share was later withdrawn), and nothing is sent again.
func (s *Store) RecordNetworkAnnounce(ctx context.Context, db bun.IDB, a *model.NetworkAnnounce) (inserted bool, err error) {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC()
	}
	res, err := db.NewInsert().Model(a).On("CONFLICT (network_id, object_iri) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("record announce of %s by network %d: %w", a.ObjectIRI, a.NetworkID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record announce of %s by network %d: %w", a.ObjectIRI, a.NetworkID, err)
	}
	return n > 0, nil
}

// LiveNetworkAnnounces lists the re-shares of a post not yet withdrawn, by
// any of our networks, oldest first.
func (s *Store) LiveNetworkAnnounces(ctx context.Context, db bun.IDB, objectIRI string) ([]*model.NetworkAnnounce, error) {
	var as []*model.NetworkAnnounce
	err := db.NewSelect().Model(&as).Where("object_iri = ?", objectIRI).Where("undone_at IS NULL").Order("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("announces of %s: %w", objectIRI, err)
	}
	return as, nil
}

// MarkNetworkAnnounceUndone records that a re-share was withdrawn.
func (s *Store) MarkNetworkAnnounceUndone(ctx context.Context, db bun.IDB, id int64) error {
	_, err := db.NewUpdate().Model((*model.NetworkAnnounce)(nil)).Set("undone_at = ?", time.Now().UTC()).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark announce %d undone: %w", id, err)
	}
	return nil
}

// NetworkFollowerInboxes lists the inboxes (shared where there is one) of
// the remote followers of the given networks, each once.
func (s *Store) NetworkFollowerInboxes(ctx context.Context, db bun.IDB, networkIDs []int64) ([]string, error) {
	if len(networkIDs) == 0 {
		return nil, nil
	}
	var inboxes []string
	err := db.NewSelect().
		ColumnExpr("DISTINCT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END").
		TableExpr("follows AS f").
		Join("JOIN actors AS a ON a.id = f.follower_id").
		Where("f.followee_id IN (?)", bun.In(networkIDs)).
		Where("f.state = ?", model.FollowAccepted).
		Where("NOT a.local").
		Scan(ctx, &inboxes)
	if err != nil {
		return nil, fmt.Errorf("follower inboxes of networks %v: %w", networkIDs, err)
	}
	return inboxes, nil
}

// NetworkAnnouncesPage lists a network's live re-shares, newest first, in
// pages of limit below the id `before` (0: from the newest); nextBefore is
// 0 on the last page.
func (s *Store) NetworkAnnouncesPage(ctx context.Context, networkID, before int64, limit int) (as []*model.NetworkAnnounce, nextBefore int64, err error) {
	q := s.DB.NewSelect().Model(&as).Where("network_id = ?", networkID).Where("undone_at IS NULL").
		OrderExpr("id DESC").Limit(int64(limit) + 1)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("announces of network %d: %w", networkID, err)
	}
	if len(as) > limit {
		as, nextBefore = as[:limit], as[limit-1].ID
	}
	return as, nextBefore, nil
}

// CountNetworkAnnounces counts what NetworkAnnouncesPage lists.
func (s *Store) CountNetworkAnnounces(ctx context.Context, networkID int64) (int, error) {
	n, err := s.DB.NewSelect().Model((*model.NetworkAnnounce)(nil)).Where("network_id = ?", networkID).Where("undone_at IS NULL").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count announces of network %d: %w", networkID, err)
	}
	return int(n), nil
}
