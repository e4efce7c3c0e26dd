package follows

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// ReceiveFollow handles a remote actor's Follow of a local organisation. The
// follow is accepted at once unless the organisation approves followers by
// hand; then it waits for Approve. A repeated Follow (Mastodon re-sends one
// when it thinks the first was lost) updates the activity id and, if the
// follow is already accepted, is answered with a fresh Accept.
func (s *Service) ReceiveFollow(ctx context.Context, follower *model.Actor, followee *model.Actor, activityIRI string) (*model.Follow, error) {
	if follower.Local || !followee.Local || (followee.Type != model.ActorOrganization && followee.Type != model.ActorGroup) {
		return nil, model.Errorf(model.EInvalid, "only a remote account can follow one of our organisations or networks this way")
	}
	var result *model.Follow
	err := s.Store.InTx(ctx, func(tx bun.Tx) error {
		f, err := s.Store.FollowBetween(ctx, tx, follower.ID, followee.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			f = &model.Follow{FollowerID: follower.ID, FolloweeID: followee.ID, ActivityIRI: activityIRI, State: model.FollowAccepted}
			if followee.ManuallyApprovesFollowers {
				f.State = model.FollowPending
			}
			if err := s.Store.InsertFollow(ctx, tx, f); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			f.ActivityIRI = activityIRI
			if err := s.Store.UpdateFollow(ctx, tx, f); err != nil {
				return err
			}
		}
		result = f
		if f.State != model.FollowAccepted {
			return nil
		}
		return s.answer(ctx, tx, "Accept", f, follower, followee)
	})
	if err != nil {
		return nil, fmt.Errorf("receive follow from %s: %w", follower.IRI, err)
	}
	return result, nil
}

// answer sends Accept or Reject of a follow to the follower.
func (s *Service) answer(ctx context.Context, tx bun.Tx, verb string, f *model.Follow, follower, followee *model.Actor) error {
	return s.Send.SendTx(ctx, tx, model.Outgoing{
		ID: s.Layout.NewActivityID(followee), Type: verb, Actor: followee,
		Follow: s.ref(f, follower, followee), To: []*model.Actor{follower},
	})
}

// ReceiveUndoFollow removes a remote follower. Servers name the Follow by its
// id, but some re-serialise it, so the pair of actors decides when the id is
// unknown. Undoing a follow that does not exist is a no-op, reported as
// removed == false so the inbox records what really happened.
func (s *Service) ReceiveUndoFollow(ctx context.Context, follower *model.Actor, followee *model.Actor, activityIRI string) (removed bool, err error) {
	f, err := s.Store.FollowByActivity(ctx, s.Store.DB, activityIRI)
	if err != nil || f.FollowerID != follower.ID {
		if followee == nil {
			return false, nil
		}
		f, err = s.Store.FollowBetween(ctx, s.Store.DB, follower.ID, followee.ID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := s.Store.DeleteFollow(ctx, s.Store.DB, f.ID); err != nil {
		return false, err
	}
	return true, nil
}

// Pending lists the follow requests an organisation has not yet answered.
func (s *Service) Pending(ctx context.Context, org *model.Actor) ([]*model.Follow, error) {
	return s.Store.PendingFollowers(ctx, org.ID)
}

// Approve accepts a pending follow request and tells the follower.
func (s *Service) Approve(ctx context.Context, org, follower *model.Actor) error {
	return s.decide(ctx, org, follower, true)
}

// Reject refuses a follow request (or removes an accepted follower) and tells
// the follower.
func (s *Service) Reject(ctx context.Context, org, follower *model.Actor) error {
	return s.decide(ctx, org, follower, false)
}

func (s *Service) decide(ctx context.Context, org, follower *model.Actor, accept bool) error {
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		f, err := s.Store.FollowBetween(ctx, tx, follower.ID, org.ID)
		if errors.Is(err, store.ErrNotFound) {
			return model.Errorf(model.ENotFound, "%s has not asked to follow %s", follower.IRI, org.Username)
		}
		if err != nil {
			return err
		}
		if !accept {
			if err := s.Store.DeleteFollow(ctx, tx, f.ID); err != nil {
				return err
			}
			return s.answer(ctx, tx, "Reject", f, follower, org)
		}
		if f.State == model.FollowAccepted {
			return model.Errorf(model.EConflict, "%s already follows %s", follower.IRI, org.Username)
		}
		f.State = model.FollowAccepted
		if err := s.Store.UpdateFollow(ctx, tx, f); err != nil {
			return err
		}
		return s.answer(ctx, tx, "Accept", f, follower, org)
	})
}
