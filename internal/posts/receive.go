package posts

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Remote is a post as another server sent it, already sanitised and
// bounded by the federation layer.
type Remote struct {
	Post     *model.Post // IRI, APType, Kind (if the sender said), content, times, tags
	Mentions []string    // ids of actors the post mentions
	// SharedByFollowed says a network (a Group) that we follow re-shared
	// the post: it belongs on the timeline as if we followed its author.
	SharedByFollowed bool
}

// The outcomes of ReceiveCreate that stored a new post.
const (
	ReceivedToTimeline = "applied: added to the timeline"
	ReceivedAsComment  = "applied: stored as a comment"
)

// ReceiveCreate decides what a remote post is to this instance and stores
// it: a comment when it replies to one of our posts (or to a comment we
// hold), a timeline entry when one of our organisations follows its author,
// a comment without a thread when it mentions one of our organisations;
// anything else is not stored. A post we already hold is updated instead.
func (s *Service) ReceiveCreate(ctx context.Context, author *model.Actor, in Remote) (string, error) {
	p := in.Post
	p.AuthorID, p.Author, p.Local = author.ID, author, false
	if out, done, err := s.receiveNewTimelinePost(ctx, author, in); done || err != nil {
		return out, err
	}
	if out, held, err := s.receiveHeld(ctx, author, in); held || err != nil {
		return out, err
	}
	root, err := s.threadRoot(ctx, p.InReplyTo)
	if err != nil {
		return "", err
	}
	switch {
	case root != nil:
		full, err := s.replyLimitReached(ctx, root.ID, author.ID)
		if err != nil {
			return "", err
		}
		if full {
			return "ignored: reply limit", nil
		}
		p.Kind, p.ThreadRootID = model.KindComment, root.ID
	case p.InReplyTo == "" && slices.Contains(model.PublishedKinds, p.Kind):
		followed, err := s.Store.IsFollowedLocally(ctx, author.ID)
		if err != nil {
			return "", err
		}
		if followed || in.SharedByFollowed {
			p.InTimeline = true
			break
		}
		fallthrough
	default:
		if !s.mentionsUs(in.Mentions) {
			return "ignored: not from an account followed here, and not a reply or mention", nil
		}
		p.Kind = model.KindComment
	}
	if p.ThreadRootID == 0 && len(p.Tags) == 0 {
		// One statement, atomic on its own: no transaction round trips,
		// and SQLite needs no statement journal outside one.
		err = s.Store.InsertPost(ctx, s.Store.Writer(ctx), p)
	} else {
		err = s.Store.InTxLaterDurable(ctx, func(tx bun.Tx) error {
			if p.ThreadRootID != 0 {
				return s.Store.InsertComment(ctx, tx, p)
			}
			return s.Store.InsertPost(ctx, tx, p)
		})
	}
	if errors.Is(err, store.ErrPostExists) {
		// Another path (the applier, a backfill, a fetch) stored it since
		// our look-up: from here it is a post we hold.
		out, _, err := s.receiveHeld(ctx, author, in)
		return out, err
	}
	if err != nil {
		return "", fmt.Errorf("store remote post %s: %w", p.IRI, err)
	}
	if p.InTimeline {
		return ReceivedToTimeline, nil
	}
	return ReceivedAsComment, nil
}

// receiveHeld handles a Create of a post we already hold: its author's
// update, unless it was deleted. held is false when we hold no copy.
func (s *Service) receiveHeld(ctx context.Context, author *model.Actor, in Remote) (out string, held bool, err error) {
	existing, err := s.Store.PostOwnerByIRI(ctx, in.Post.IRI)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if existing.AuthorID != author.ID {
		return "", true, model.Errorf(model.EInvalid, "%s already belongs to another author", in.Post.IRI)
	}
	if !existing.DeletedAt.IsZero() {
		return "ignored: the post was deleted before", true, nil
	}
	out, err = s.ReceiveUpdate(ctx, author, in)
	return out, true, err
}

// threadRoot finds the post of ours that a reply belongs under: the post it
// answers, or that post's own root when it answers a comment.
func (s *Service) threadRoot(ctx context.Context, inReplyTo string) (*model.Post, error) {
	if inReplyTo == "" {
		return nil, nil
	}
	var parent *model.Post
	var err error
	if _, token, ok := s.Layout.PostToken(inReplyTo); ok {
		parent, err = s.Store.PostByToken(ctx, token)
	} else {
		parent, err = s.Store.PostByIRI(ctx, inReplyTo)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if parent.ThreadRootID != 0 {
		return s.Store.PostByID(ctx, parent.ThreadRootID)
	}
	if parent.Deleted() {
		return nil, nil
	}
	return parent, nil
}

func (s *Service) mentionsUs(ids []string) bool {
	for _, id := range ids {
		if _, ok := s.Layout.LocalActorUsername(id); ok {
			return true
		}
	}
	return false
}

// ReceiveUpdate replaces our copy of a remote post with its new version.
// Only the author may change it.
func (s *Service) ReceiveUpdate(ctx context.Context, author *model.Actor, in Remote) (string, error) {
	existing, err := s.Store.PostByIRI(ctx, in.Post.IRI)
	if errors.Is(err, store.ErrNotFound) {
		return "ignored: update of a post not held here", nil
	}
	if err != nil {
		return "", err
	}
	if existing.AuthorID != author.ID {
		return "", model.Errorf(model.EInvalid, "only the author may update %s", in.Post.IRI)
	}
	if existing.Deleted() {
		return "ignored: the post was deleted", nil
	}
	if in.Post.Updated.Before(existing.Updated) {
		// A copy read before the author's latest edit, arriving after it
		// (a backfill of the outbox racing the edit's Update): keep ours.
		return "ignored: older than the version held", nil
	}
	p := in.Post
	p.ID, p.AuthorID, p.Author, p.Local = existing.ID, author.ID, author, false
	p.ThreadRootID, p.InTimeline, p.Published = existing.ThreadRootID, existing.InTimeline, existing.Published
	if existing.Kind == model.KindComment {
		p.Kind = model.KindComment
	}
	if err := s.Store.InTxLaterDurable(ctx, func(tx bun.Tx) error { return s.Store.UpdatePost(ctx, tx, p) }); err != nil {
		return "", err
	}
	return "applied: post updated", nil
}

// ReceiveDelete removes our copy of a remote post (a tombstone stays, so a
// late Create of it is not stored again). Only the author may delete it.
func (s *Service) ReceiveDelete(ctx context.Context, author *model.Actor, postIRI string) (string, error) {
	existing, err := s.Store.PostByIRI(ctx, postIRI)
	if errors.Is(err, store.ErrNotFound) {
		return "ignored: delete of a post not held here", nil
	}
	if err != nil {
		return "", err
	}
	if existing.AuthorID != author.ID {
		return "", model.Errorf(model.EInvalid, "only the author may delete %s", postIRI)
	}
	if existing.Deleted() {
		return "ignored: already deleted", nil
	}
	if err := s.removeRemote(ctx, existing); err != nil {
		return "", err
	}
	return "applied: post deleted", nil
}

// ReceiveNoLongerPublic takes a remote post off our pages when its author
// makes it followers-only or direct: every page here is public, so a copy
// we may no longer show is removed as a Delete would remove it. Only the
// author may do this.
func (s *Service) ReceiveNoLongerPublic(ctx context.Context, author *model.Actor, postIRI string) (string, error) {
	existing, err := s.Store.PostByIRI(ctx, postIRI)
	if errors.Is(err, store.ErrNotFound) {
		return "ignored: not addressed to the public", nil
	}
	if err != nil {
		return "", err
	}
	if existing.AuthorID != author.ID {
		return "", model.Errorf(model.EInvalid, "only the author may change who sees %s", postIRI)
	}
	if existing.Deleted() {
		return "ignored: the post was deleted", nil
	}
	if err := s.removeRemote(ctx, existing); err != nil {
		return "", err
	}
	return "applied: no longer public, taken off our pages", nil
}

// removeRemote leaves a tombstone of a remote post, so a late Create of it
// is not stored again, and takes it off its thread's count.
func (s *Service) removeRemote(ctx context.Context, p *model.Post) error {
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		_, err := s.Store.RemoveComment(ctx, tx, p)
		return err
	})
}

// ReceiveInteraction counts a like or boost of a post we hold.
func (s *Service) ReceiveInteraction(ctx context.Context, actor *model.Actor, typ, objectIRI, activityIRI string) (string, error) {
	var p *model.Post
	var err error
	if _, token, ok := s.Layout.PostToken(objectIRI); ok {
		p, err = s.Store.PostByToken(ctx, token)
	} else {
		p, err = s.Store.PostByIRI(ctx, objectIRI)
	}
	if errors.Is(err, store.ErrNotFound) {
		return "ignored: " + typ + " of a post not held here", nil
	}
	if err != nil {
		return "", err
	}
	if p.Deleted() {
		return "ignored: " + typ + " of a deleted post", nil
	}
	added, err := s.Store.AddInteraction(ctx, &model.Interaction{PostID: p.ID, ActorID: actor.ID, Type: typ, ActivityIRI: activityIRI})
	if err != nil {
		return "", err
	}
	if !added {
		return "ignored: already counted", nil
	}
	return "applied: " + typ + " counted", nil
}

// UndoInteraction withdraws a like or boost by the activity that made it.
func (s *Service) UndoInteraction(ctx context.Context, actor *model.Actor, activityIRI string) (string, error) {
	removed, err := s.Store.RemoveInteraction(ctx, actor.ID, activityIRI)
	if err != nil {
		return "", err
	}
	if !removed {
		return "ignored: nothing to undo", nil
	}
	return "applied: interaction withdrawn", nil
}

// ForgetActor removes a remote actor that deleted itself, with its follows,
// comments, likes and boosts, and takes them off the counts of our posts.
func (s *Service) ForgetActor(ctx context.Context, actorIRI string) (string, error) {
	actor, err := s.Store.RemoteActorByIRI(ctx, actorIRI)
	if errors.Is(err, store.ErrNotFound) {
		return "ignored: an actor not known here", nil
	}
	if err != nil {
		return "", err
	}
	err = s.Store.InTx(ctx, func(tx bun.Tx) error { return s.Store.ForgetRemoteActor(ctx, tx, actor) })
	if err != nil {
		return "", fmt.Errorf("forget actor %s: %w", actorIRI, err)
	}
	return "applied: actor deleted", nil
}
