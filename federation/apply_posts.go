package federation

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// applyCreate stores a post, a comment or a mention, as posts.ReceiveCreate
// decides. The object must be embedded and attributed to the sender: we do
// not store what someone says another account wrote.
func (s *Server) applyCreate(ctx context.Context, act *vocab.Activity) (string, error) {
	o := act.Object
	if o == nil {
		return "ignored: a Create without an embedded object", nil
	}
	if o.AttributedTo != "" && o.AttributedTo != act.Actor {
		return "", model.Errorf(model.EInvalid, "the object is attributed to %s, not to the sender", o.AttributedTo)
	}
	if !transport.SameOrigin(o.ID, act.Actor) {
		return "", model.Errorf(model.EInvalid, "the object id %s is not on the sender's server", o.ID)
	}
	if !isPublic(act, o) {
		// Our pages are public: a followers-only or direct post must not end
		// up on them, even though it was delivered to one of our accounts.
		return "ignored: not addressed to the public", nil
	}
	p, mentions, ok := s.remotePost(o)
	if !ok {
		return "ignored: Create of a " + o.Type, nil
	}
	author, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	result, err := s.Posts.ReceiveCreate(ctx, author, posts.Remote{Post: p, Mentions: mentions})
	if err == nil {
		s.recordAttachments(ctx, o, p, result == posts.ReceivedToTimeline || result == posts.ReceivedAsComment)
		s.reshare(ctx, act, "Create", author, p, result)
	}
	return result, err
}

func (s *Server) applyPostUpdate(ctx context.Context, act *vocab.Activity) (string, error) {
	o := act.Object
	if o == nil {
		return "ignored: an Update without an embedded object", nil
	}
	if o.AttributedTo != "" && o.AttributedTo != act.Actor {
		return "", model.Errorf(model.EInvalid, "the object is attributed to %s, not to the sender", o.AttributedTo)
	}
	p, mentions, ok := s.remotePost(o)
	if !ok {
		return "ignored: Update of a " + o.Type, nil
	}
	author, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	if !isPublic(act, o) {
		// The author narrowed who may see it; our pages are public, so our
		// copy goes, as if deleted, and so do our networks' boosts of it.
		held, _ := s.Store.PostByIRI(ctx, o.ID)
		out, err := s.Posts.ReceiveNoLongerPublic(ctx, author, o.ID)
		if err == nil && held != nil {
			s.reshare(ctx, act, "Delete", author, held, out)
		}
		return out, err
	}
	result, err := s.Posts.ReceiveUpdate(ctx, author, posts.Remote{Post: p, Mentions: mentions})
	if err == nil {
		s.recordAttachments(ctx, o, p, false)
		s.reshare(ctx, act, "Update", author, p, result)
	}
	return result, err
}

func (s *Server) applyInteraction(ctx context.Context, act *vocab.Activity) (string, error) {
	typ := model.InteractionLike
	if act.Type == "Announce" {
		typ = model.InteractionAnnounce
	}
	actor, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	if act.Type == "Announce" {
		// A followed network's re-share brings the member's post in.
		if out, handled, err := s.applyGroupAnnounce(ctx, act, actor); handled || err != nil {
			return out, err
		}
	}
	return s.Posts.ReceiveInteraction(ctx, actor, typ, act.ObjectIRI, act.ID)
}

// BackfillArgs asks for a newly followed actor's recent posts.
type BackfillArgs struct {
	ActorIRI string `json:"actor_iri"`
}

// Kind names the job type.
func (BackfillArgs) Kind() string { return "federation.backfill" }

func (s *Server) queueBackfill(ctx context.Context, actorIRI string) error {
	if s.Jobs == nil {
		return nil
	}
	return s.Jobs.Insert(ctx, BackfillArgs{ActorIRI: actorIRI}, &river.InsertOpts{MaxAttempts: 5})
}

// publicAddresses are the spellings of the Public collection in use
// (Mastodon accepts all three).
var publicAddresses = map[string]bool{vocab.PublicIRI: true, "as:Public": true, "Public": true}

// isPublic reports whether a post is addressed to the public (in to or cc,
// which covers "unlisted" too). The object's own addressing decides: it is
// what the author chose for the post, and a Create or Update addressed more
// widely than its object must not make a private post public. Only an object
// that carries no addressing at all (some servers leave it to the activity,
// as AS2 allows) takes its activity's.
func isPublic(act *vocab.Activity, o *vocab.Object) bool {
	lists := [][]string{o.To, o.Cc}
	if len(o.To) == 0 && len(o.Cc) == 0 {
		lists = [][]string{act.To, act.Cc}
	}
	for _, list := range lists {
		for _, a := range list {
			if publicAddresses[a] {
				return true
			}
		}
	}
	return false
}
