package federation

import (
	"context"
	"errors"
	"strings"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// reshare has our networks follow through on a remote member's Create,
// Update or Delete of a post, once the activity is applied. A failure is
// logged, not returned: the post is stored, and retrying the whole
// activity would not re-share it any better.
func (s *Server) reshare(ctx context.Context, act *vocab.Activity, verb string, author *model.Actor, p *model.Post, outcome string) {
	if s.Networks == nil || author == nil || p == nil || !strings.HasPrefix(outcome, "applied") {
		return
	}
	err := s.Networks.ReshareRemote(ctx, author, p, model.ActivityRef{ID: act.ID, Type: verb, Actor: act.Actor})
	if err != nil {
		s.Log.Warn("network re-share failed", "activity", act.ID, "err", err)
	}
}

// joinRequest records an organisation's Follow of one of our networks as a
// request to join, for an admin to approve.
func (s *Server) joinRequest(ctx context.Context, followee, follower *model.Actor, outcome string) string {
	if s.Networks == nil || followee.Type != model.ActorGroup {
		return outcome
	}
	requested, err := s.Networks.ReceiveFollow(ctx, followee, follower)
	if err != nil {
		s.Log.Warn("recording a request to join failed", "network", followee.Username, "follower", follower.IRI, "err", err)
	}
	if requested {
		return outcome + "; asked to join the network"
	}
	return outcome
}

// applyGroupAnnounce handles an Announce by a network (a Group) that one of
// our organisations follows, FEP-1b12 style: what it re-shares is a member's
// post, which belongs on our timeline as if we followed the member. The
// post is fetched from its origin (never taken from the Announce, which
// the group cannot sign for), stored once by its id, and updated or removed
// when the group announces an Update or Delete. handled is false when the
// Announce is not a followed group's, and counts as a plain boost.
func (s *Server) applyGroupAnnounce(ctx context.Context, act *vocab.Activity, group *model.Actor) (outcome string, handled bool, err error) {
	if group.Type != model.ActorGroup {
		return "", false, nil
	}
	followed, err := s.Store.IsFollowedLocally(ctx, group.ID)
	if err != nil || !followed {
		return "", false, err
	}
	verb, objectIRI := "Create", act.ObjectIRI
	if o := act.Object; o != nil {
		switch o.Type {
		case "Create", "Update", "Delete":
			verb, objectIRI = o.Type, o.ObjectIRI
		case "Announce", "Like", "Undo", "Follow", "Accept", "Reject", "Add", "Remove", "Block", "Flag":
			return "ignored: a group's Announce of a " + o.Type, true, nil
		}
	}
	if objectIRI == "" || s.Layout.IsLocal(objectIRI) {
		return "", false, nil // our own post: counted as a boost
	}
	if verb == "Delete" {
		out, err := s.groupAnnouncedDelete(ctx, objectIRI)
		return out, true, err
	}
	out, err := s.fetchAnnounced(ctx, objectIRI)
	if err == nil && verb == "Create" && strings.HasPrefix(out, "applied") {
		// The group's boost is counted on the post like anyone's.
		_, err = s.Posts.ReceiveInteraction(ctx, group, model.InteractionAnnounce, objectIRI, act.ID)
	}
	return out, true, err
}

// fetchAnnounced brings in (or refreshes) the post a followed group
// re-shared, as its author's server serves it now.
func (s *Server) fetchAnnounced(ctx context.Context, objectIRI string) (string, error) {
	if held, err := s.Store.PostByIRI(ctx, objectIRI); err == nil && held.Deleted() {
		return "ignored: the post was deleted before", nil
	}
	body, err := s.Fetcher.get(ctx, objectIRI)
	var se *transport.StatusError
	if errors.As(err, &se) && se.Gone() {
		return "ignored: the announced post is gone", nil
	}
	if err != nil {
		return "", err
	}
	o, err := vocab.ParseObject(body)
	if err != nil {
		return "", model.Errorf(model.EInvalid, "the announced object is unusable: %v", err)
	}
	if o.ID != objectIRI || o.AttributedTo == "" || !transport.SameOrigin(o.ID, o.AttributedTo) {
		return "", model.Errorf(model.EInvalid, "the object at %s is not its author's own", objectIRI)
	}
	if !isPublic(&vocab.Activity{}, o) {
		return "ignored: the announced post is not public", nil
	}
	p, mentions, ok := s.remotePost(o)
	if !ok {
		return "ignored: announce of a " + o.Type, nil
	}
	if p.InReplyTo != "" {
		return "ignored: the announced post is a reply", nil
	}
	author, err := s.Fetcher.Actor(ctx, o.AttributedTo)
	if err != nil {
		return "", err
	}
	out, err := s.Posts.ReceiveCreate(ctx, author, posts.Remote{Post: p, Mentions: mentions, SharedByFollowed: true})
	if err == nil {
		s.recordAttachments(ctx, o, p, false)
	}
	return out, err
}

// groupAnnouncedDelete removes our copy of a post a followed group says was
// deleted, once its origin confirms it is gone: the group may not delete a
// member's post, only tell us to look.
func (s *Server) groupAnnouncedDelete(ctx context.Context, objectIRI string) (string, error) {
	p, err := s.Store.PostByIRI(ctx, objectIRI)
	if errors.Is(err, store.ErrNotFound) {
		return "ignored: delete of a post not held here", nil
	}
	if err != nil {
		return "", err
	}
	body, err := s.Fetcher.get(ctx, objectIRI)
	var se *transport.StatusError
	switch {
	case errors.As(err, &se) && se.Gone():
	case err != nil:
		return "", err
	default:
		if o, perr := vocab.ParseObject(body); perr != nil || o.Type != "Tombstone" {
			return "ignored: the announced post still exists", nil
		}
	}
	author, err := s.Store.ActorByID(ctx, p.AuthorID)
	if err != nil {
		return "", err
	}
	return s.Posts.ReceiveDelete(ctx, author, objectIRI)
}
