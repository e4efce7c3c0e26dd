package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// NetworkMemberRow is one membership with its organisation (Member) loaded.
type NetworkMemberRow = model.NetworkMember

// LocalNetworks lists this instance's networks, oldest first.
func (s *Store) LocalNetworks(ctx context.Context) ([]*model.Actor, error) {
	return s.LocalActors(ctx, model.ActorGroup)
}

// AddNetworkMember records a membership in the given state. An existing
// membership is left as it is and inserted is false: a member that follows
// the network again stays a member, and promoting a request is
// SetNetworkMemberState's job.
func (s *Store) AddNetworkMember(ctx context.Context, db bun.IDB, networkID, memberID int64, state string) (inserted bool, err error) {
	now := time.Now().UTC()
	m := &model.NetworkMember{NetworkID: networkID, MemberID: memberID, State: state, CreatedAt: now, UpdatedAt: now}
	res, err := db.NewInsert().Model(m).On("CONFLICT (network_id, member_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("add member %d to network %d: %w", memberID, networkID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("add member %d to network %d: %w", memberID, networkID, err)
	}
	return n > 0, nil
}

// NetworkMembership finds one membership, or ErrNotFound.
func (s *Store) NetworkMembership(ctx context.Context, db bun.IDB, networkID, memberID int64) (*model.NetworkMember, error) {
	m := new(model.NetworkMember)
	err := db.NewSelect().Model(m).Where("network_id = ?", networkID).Where("member_id = ?", memberID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("membership of %d in network %d: %w", memberID, networkID, notFound(err))
	}
	return m, nil
}

// SetNetworkMemberState changes a membership's state and reports whether
// there was one to change.
func (s *Store) SetNetworkMemberState(ctx context.Context, db bun.IDB, networkID, memberID int64, state string) (bool, error) {
	res, err := db.NewUpdate().Model((*model.NetworkMember)(nil)).
		Set("state = ?", state).Set("updated_at = ?", time.Now().UTC()).
		Where("network_id = ?", networkID).Where("member_id = ?", memberID).Exec(ctx)
	return affected(res, err, "set state of member %d in network %d", memberID, networkID)
}

// RemoveNetworkMember deletes a membership or request and reports whether
// there was one.
func (s *Store) RemoveNetworkMember(ctx context.Context, db bun.IDB, networkID, memberID int64) (bool, error) {
	res, err := db.NewDelete().Model((*model.NetworkMember)(nil)).
		Where("network_id = ?", networkID).Where("member_id = ?", memberID).Exec(ctx)
	return affected(res, err, "remove member %d from network %d", memberID, networkID)
}

// NetworkMembers lists a network's memberships in one state (all states if
// empty), oldest first, each with its organisation.
func (s *Store) NetworkMembers(ctx context.Context, networkID int64, state string) ([]NetworkMemberRow, error) {
	var rows []NetworkMemberRow
	q := s.DB.NewSelect().Model(&rows).Relation("Member").
		Where("?TableAlias.network_id = ?", networkID).OrderExpr("?TableAlias.id ASC")
	if state != "" {
		q = q.Where("?TableAlias.state = ?", state)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("members of network %d: %w", networkID, err)
	}
	return rows, nil
}

// NetworksOfMember lists the networks an actor is an approved member of,
// oldest first: those that re-share its posts. Under WithLookupMemo the
// answer is remembered (and shared: callers must not change it).
func (s *Store) NetworksOfMember(ctx context.Context, memberID int64) ([]*model.Actor, error) {
	return memoized(ctx, memoNetworks, memberID, func() ([]*model.Actor, error) {
		return s.NetworksOfMemberTx(ctx, s.DB, memberID)
	})
}

// NetworksOfMemberTx is NetworksOfMember inside a transaction.
func (s *Store) NetworksOfMemberTx(ctx context.Context, db bun.IDB, memberID int64) ([]*model.Actor, error) {
	var as []*model.Actor
	query := func(member, state, typ any) *bun.SelectQuery {
		return db.NewSelect().Model(&as).
			Where("id IN (?)", db.NewSelect().Model((*model.NetworkMember)(nil)).Column("network_id").
				Where("member_id = ?", member).Where("state = ?", state)).
			Where("local").Where("type = ?", typ).Order("id")
	}
	var err error
	if q, ok := s.preparedOn(db); ok { // once per actor's turn in the inbox applier
		text := s.statements.networksOfMember.get(func() string {
			return query(bun.Safe("$1"), bun.Safe("$2"), bun.Safe("$3")).String()
		})
		err = s.scanAllPrepared(ctx, q, text, &as, memberID, model.NetworkStateMember, model.ActorGroup)
	} else {
		err = query(memberID, model.NetworkStateMember, model.ActorGroup).Scan(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("networks of member %d: %w", memberID, err)
	}
	return as, nil
}

// affected turns an Exec result into "did it touch a row".
func affected(res interface{ RowsAffected() (int64, error) }, err error, format string, args ...any) (bool, error) {
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil {
			return n > 0, nil
		}
	}
	return false, fmt.Errorf(format+": %w", append(args, err)...)
}
