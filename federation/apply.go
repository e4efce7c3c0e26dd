package federation

import (
	"context"
	"fmt"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
)

// apply dispatches on the activity type. It returns a short outcome for the
// record: "applied" or why nothing was done.
func (s *Server) apply(ctx context.Context, act *vocab.Activity) (string, error) {
	switch act.Type {
	case "Follow":
		return s.applyFollow(ctx, act)
	case "Undo":
		return s.applyUndo(ctx, act)
	case "Accept", "Reject":
		out, err := s.applyFollowAnswer(ctx, act)
		if err == nil && out == "applied: follow accepted" {
			err = s.queueBackfill(ctx, act.Actor)
		}
		return out, err
	case "Update":
		return s.applyUpdate(ctx, act)
	case "Delete":
		return s.applyDelete(ctx, act)
	case "Create":
		return s.applyCreate(ctx, act)
	case "Like", "Announce":
		return s.applyInteraction(ctx, act)
	case "QuoteRequest":
		return s.applyQuoteRequest(ctx, act)
	}
	return "ignored: " + act.Type + " is not handled yet", nil
}

func (s *Server) applyFollow(ctx context.Context, act *vocab.Activity) (string, error) {
	followee, err := s.localTarget(ctx, act.ObjectIRI)
	if err != nil {
		return "", err
	}
	follower, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	f, err := s.Follows.ReceiveFollow(ctx, follower, followee, act.ID)
	if err != nil {
		return "", err
	}
	return s.joinRequest(ctx, followee, follower, "applied: follow "+f.State), nil
}

func (s *Server) applyUndo(ctx context.Context, act *vocab.Activity) (string, error) {
	obj := act.Object
	if obj != nil && (obj.Type == "Like" || obj.Type == "Announce") {
		if obj.Actor != "" && obj.Actor != act.Actor {
			return "", model.Errorf(model.EInvalid, "an Undo may only withdraw the sender's own %s", obj.Type)
		}
		actor, err := s.Fetcher.Actor(ctx, act.Actor)
		if err != nil {
			return "", err
		}
		return s.Posts.UndoInteraction(ctx, actor, obj.ID)
	}
	if obj == nil || obj.Type != "Follow" {
		// Likes and Announces are counted once posts exist; an Undo of an
		// IRI alone can still name a Follow we know.
		if obj == nil {
			actor, err := s.Fetcher.Actor(ctx, act.Actor)
			if err != nil {
				return "", err
			}
			if out, err := s.Posts.UndoInteraction(ctx, actor, act.ObjectIRI); err != nil || out != "ignored: nothing to undo" {
				return out, err
			}
			if f, err := s.Store.FollowByActivity(ctx, s.Store.DB, act.ObjectIRI); err == nil {
				follower, err := s.Fetcher.Actor(ctx, act.Actor)
				if err != nil {
					return "", err
				}
				removed, err := s.Follows.ReceiveUndoFollow(ctx, follower, nil, f.ActivityIRI)
				return unfollowOutcome(removed), err
			}
		}
		return "ignored: undo of something not handled yet", nil
	}
	if obj.Actor != "" && obj.Actor != act.Actor {
		return "", model.Errorf(model.EInvalid, "an Undo may only withdraw the sender's own Follow")
	}
	follower, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	followee, _ := s.localTarget(ctx, obj.ObjectIRI)
	removed, err := s.Follows.ReceiveUndoFollow(ctx, follower, followee, obj.ID)
	if err != nil {
		return "", err
	}
	return unfollowOutcome(removed), nil
}

// unfollowOutcome records what an Undo of a Follow did: one naming a follow
// that is not the sender's, or no longer exists, changed nothing.
func unfollowOutcome(removed bool) string {
	if !removed {
		return "ignored: no such follow by the sender"
	}
	return "applied: unfollowed"
}

func (s *Server) applyFollowAnswer(ctx context.Context, act *vocab.Activity) (string, error) {
	ref := model.FollowRef{ID: act.ObjectIRI}
	if o := act.Object; o != nil {
		if o.Type != "" && o.Type != "Follow" {
			return "ignored: " + act.Type + " of " + o.Type, nil
		}
		ref = model.FollowRef{ID: o.ID, Actor: o.Actor, Object: o.ObjectIRI}
	}
	from, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	if act.Type == "Reject" {
		removed, err := s.Follows.ReceiveReject(ctx, from, ref)
		if err != nil || !removed {
			return "ignored: reject of a follow we did not send", err
		}
		return "applied: follow rejected", nil
	}
	f, err := s.Follows.ReceiveAccept(ctx, from, ref)
	if err != nil {
		return "", err
	}
	if f == nil {
		return "ignored: accept of a follow we did not send", nil
	}
	return "applied: follow accepted", nil
}

// applyUpdate refreshes a remote actor's profile when it announces a change.
// The activity was signed by that same actor, so the embedded document is
// as trustworthy as a fetch; without one, the actor is fetched again.
func (s *Server) applyUpdate(ctx context.Context, act *vocab.Activity) (string, error) {
	if act.ObjectIRI != act.Actor {
		return s.applyPostUpdate(ctx, act)
	}
	if act.Object != nil && len(act.Object.Raw) > 0 {
		ra, err := vocab.ParseActor(act.Object.Raw)
		if err != nil {
			return "", model.Errorf(model.EInvalid, "the updated actor is unusable: %v", err)
		}
		if ra.ID != act.Actor {
			return "", model.Errorf(model.EInvalid, "an actor may only update itself")
		}
		if err := s.Fetcher.saveActor(ctx, remoteActorModel(ra, act.Object.Raw), false); err != nil {
			return "", err
		}
		return "applied: actor updated", nil
	}
	if _, err := s.Fetcher.FetchActor(ctx, act.Actor); err != nil {
		return "", err
	}
	return "applied: actor refreshed", nil
}

// applyDelete removes a remote actor that deleted itself, with its follows.
func (s *Server) applyDelete(ctx context.Context, act *vocab.Activity) (string, error) {
	if act.ObjectIRI != act.Actor {
		author, err := s.Fetcher.Actor(ctx, act.Actor)
		if err != nil {
			return "", err
		}
		held, _ := s.Store.PostByIRI(ctx, act.ObjectIRI) // for the networks that re-shared it
		out, err := s.Posts.ReceiveDelete(ctx, author, act.ObjectIRI)
		if err == nil && held != nil && held.AuthorID == author.ID {
			s.reshare(ctx, act, "Delete", author, held, out)
		}
		return out, err
	}
	return s.Posts.ForgetActor(ctx, act.Actor)
}

// localTarget resolves an activity's object to one of our organisations.
func (s *Server) localTarget(ctx context.Context, id string) (*model.Actor, error) {
	username, ok := s.Layout.LocalActorUsername(id)
	if !ok {
		return nil, model.Errorf(model.EInvalid, "%s is not an organisation on this instance", id)
	}
	org, err := s.Orgs.Served(ctx, username)
	if err != nil {
		return nil, err
	}
	return org, nil
}

func hostOf(id string) string {
	if h := hostFromURL(id); h != "" {
		return h
	}
	return fmt.Sprintf("(%s)", id)
}
