package follows

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Follow sends a Follow from one of our organisations to a remote actor and
// records it as pending until the remote side accepts.
func (s *Service) Follow(ctx context.Context, org, target *model.Actor) (*model.Follow, error) {
	if target.Local {
		return nil, model.Errorf(model.EInvalid, "%s is on this instance; organisations here already share a timeline", target.Username)
	}
	var f *model.Follow
	err := s.Store.InTx(ctx, func(tx bun.Tx) error {
		existing, err := s.Store.FollowBetween(ctx, tx, org.ID, target.ID)
		if err == nil {
			if existing.State == model.FollowAccepted {
				return model.Errorf(model.EConflict, "%s already follows %s", org.Username, target.IRI)
			}
			f = existing // re-send a pending request, e.g. after the remote lost it
			f.ActivityIRI = s.Layout.NewActivityID(org)
			if err := s.Store.UpdateFollow(ctx, tx, f); err != nil {
				return err
			}
		} else if errors.Is(err, store.ErrNotFound) {
			f = &model.Follow{FollowerID: org.ID, FolloweeID: target.ID, ActivityIRI: s.Layout.NewActivityID(org), State: model.FollowPending}
			if err := s.Store.InsertFollow(ctx, tx, f); err != nil {
				return err
			}
		} else {
			return err
		}
		return s.Send.SendTx(ctx, tx, model.Outgoing{
			ID: f.ActivityIRI, Type: "Follow", Actor: org, Follow: s.ref(f, org, target), To: []*model.Actor{target},
		})
	})
	return f, err
}

// Unfollow withdraws a follow (pending or accepted) and sends Undo.
func (s *Service) Unfollow(ctx context.Context, org, target *model.Actor) error {
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		f, err := s.Store.FollowBetween(ctx, tx, org.ID, target.ID)
		if errors.Is(err, store.ErrNotFound) {
			return model.Errorf(model.ENotFound, "%s does not follow %s", org.Username, target.IRI)
		}
		if err != nil {
			return err
		}
		if err := s.Store.DeleteFollow(ctx, tx, f.ID); err != nil {
			return err
		}
		return s.Send.SendTx(ctx, tx, model.Outgoing{
			ID: s.Layout.NewActivityID(org), Type: "Undo", Actor: org, Follow: s.ref(f, org, target), To: []*model.Actor{target},
		})
	})
}

// ReceiveAccept marks our follow of `from` as accepted. The Accept must come
// from the followed actor itself; an Accept naming a follow we never sent, or
// sent to someone else, changes nothing.
func (s *Service) ReceiveAccept(ctx context.Context, from *model.Actor, follow model.FollowRef) (*model.Follow, error) {
	f, err := s.ourFollowOf(ctx, from, follow)
	if err != nil || f == nil {
		return nil, err
	}
	if f.State == model.FollowAccepted {
		return f, nil
	}
	f.State = model.FollowAccepted
	return f, s.Store.UpdateFollow(ctx, s.Store.DB, f)
}

// ReceiveReject drops our follow of `from`, pending or accepted. removed is
// false when there was no such follow (a Reject of someone else's, or a
// repeat): nothing changed.
func (s *Service) ReceiveReject(ctx context.Context, from *model.Actor, follow model.FollowRef) (removed bool, err error) {
	f, err := s.ourFollowOf(ctx, from, follow)
	if err != nil || f == nil {
		return false, err
	}
	if err := s.Store.DeleteFollow(ctx, s.Store.DB, f.ID); err != nil {
		return false, err
	}
	return true, nil
}

// ourFollowOf finds the follow an Accept or Reject answers: by the Follow's
// id, or, when the answer only names the two actors, by the pair.
func (s *Service) ourFollowOf(ctx context.Context, from *model.Actor, ref model.FollowRef) (*model.Follow, error) {
	if ref.ID != "" {
		f, err := s.Store.FollowByActivity(ctx, s.Store.DB, ref.ID)
		if err == nil {
			if f.FolloweeID != from.ID {
				return nil, nil // an answer about someone else's follow
			}
			return f, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	username, ok := s.Layout.LocalActorUsername(ref.Actor)
	if !ok || (ref.Object != "" && ref.Object != from.IRI) {
		return nil, nil
	}
	org, err := s.Store.LocalActor(ctx, username)
	if err != nil {
		return nil, nil
	}
	f, err := s.Store.FollowBetween(ctx, s.Store.DB, org.ID, from.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return f, err
}
