package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// FollowBetween finds the follow of followee by follower, in any state.
func (s *Store) FollowBetween(ctx context.Context, db bun.IDB, followerID, followeeID int64) (*model.Follow, error) {
	f := new(model.Follow)
	err := db.NewSelect().Model(f).Where("follower_id = ?", followerID).Where("followee_id = ?", followeeID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("follow %d→%d: %w", followerID, followeeID, notFound(err))
	}
	return f, nil
}

// FollowByActivity finds a follow by the id of the Follow activity behind it.
func (s *Store) FollowByActivity(ctx context.Context, db bun.IDB, activityIRI string) (*model.Follow, error) {
	f := new(model.Follow)
	if err := db.NewSelect().Model(f).Where("activity_iri = ?", activityIRI).Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("follow %s: %w", activityIRI, notFound(err))
	}
	return f, nil
}

// InsertFollow stores a new follow and fills in its ID.
func (s *Store) InsertFollow(ctx context.Context, db bun.IDB, f *model.Follow) error {
	now := time.Now().UTC()
	f.CreatedAt, f.UpdatedAt = now, now
	if _, err := db.NewInsert().Model(f).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert follow %d→%d: %w", f.FollowerID, f.FolloweeID, err)
	}
	return nil
}

// UpdateFollow saves a follow's state and activity id.
func (s *Store) UpdateFollow(ctx context.Context, db bun.IDB, f *model.Follow) error {
	f.UpdatedAt = time.Now().UTC()
	_, err := db.NewUpdate().Model(f).Column("state", "activity_iri", "updated_at").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update follow %d: %w", f.ID, err)
	}
	return nil
}

// DeleteFollow removes a follow; removing one that is already gone is not an error.
func (s *Store) DeleteFollow(ctx context.Context, db bun.IDB, id int64) error {
	if _, err := db.NewDelete().Model((*model.Follow)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("delete follow %d: %w", id, err)
	}
	return nil
}

// PendingFollowers lists the follow requests waiting for an actor's
// approval, oldest first, with the requesting actors loaded.
func (s *Store) PendingFollowers(ctx context.Context, actorID int64) ([]*model.Follow, error) {
	var fs []*model.Follow
	err := s.DB.NewSelect().Model(&fs).Relation("Follower").
		Where("?TableAlias.followee_id = ?", actorID).Where("?TableAlias.state = ?", model.FollowPending).
		OrderExpr("?TableAlias.id ASC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("pending followers of %d: %w", actorID, err)
	}
	return fs, nil
}

// OutgoingFollows lists the follows an actor has sent, in any state, newest
// first, with the followed actors loaded.
func (s *Store) OutgoingFollows(ctx context.Context, actorID int64) ([]*model.Follow, error) {
	var fs []*model.Follow
	err := s.DB.NewSelect().Model(&fs).Relation("Followee").
		Where("?TableAlias.follower_id = ?", actorID).OrderExpr("?TableAlias.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("follows sent by %d: %w", actorID, err)
	}
	return fs, nil
}
