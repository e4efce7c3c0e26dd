package federation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
	"github.com/commonplace-social/commonplace/internal/search"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Lookup is search.Remote: what an admin's search for a handle or URL
// names elsewhere. A handle or an actor's URL gives the account; a post's
// URL gives the post and its author, and the post is stored as if it had
// been delivered (posts.Service.ReceiveCreate decides whether it may be
// kept). Every fetch goes through the Fetcher, so private addresses are
// refused outside local-testing mode.
func (s *Server) Lookup(ctx context.Context, ref string) (search.Found, error) {
	if !strings.HasPrefix(ref, "https://") && !strings.HasPrefix(ref, "http://") {
		a, err := s.Fetcher.Resolve(ctx, ref)
		return search.Found{Actor: a}, err
	}
	if err := remoteurl.CheckID(ref, s.Fetcher.secure()); err != nil {
		return search.Found{}, model.Errorf(model.EInvalid, "refusing to look up %s: %v", ref, err)
	}
	ref = remoteurl.Clean(ref)
	if s.Layout.IsLocal(ref) {
		return search.Found{}, model.Errorf(model.EInvalid, "%s is on this site: search for its words instead", ref)
	}
	doc, err := s.Fetcher.getAt(ctx, ref, true)
	if err != nil {
		return search.Found{}, fmt.Errorf("look up %s: %w", ref, err)
	}
	if _, err := vocab.ParseActor(doc.Body); err == nil {
		a, err := s.Fetcher.storeActor(ctx, doc, "")
		return search.Found{Actor: a}, err
	} else if !errors.Is(err, vocab.ErrUnsupportedType) {
		return search.Found{}, fmt.Errorf("look up %s: %w", ref, err)
	}
	return s.lookupPost(ctx, doc)
}

// lookupPost stores a fetched post when this instance may keep it: when
// its author is followed here, or it answers one of our posts.
func (s *Server) lookupPost(ctx context.Context, doc *transport.Document) (search.Found, error) {
	obj, err := vocab.ParseObject(doc.Body)
	if err != nil {
		return search.Found{}, model.Errorf(model.EInvalid, "%s is neither an account nor a post", doc.ID)
	}
	p, mentions, ok := s.remotePost(obj)
	if !ok {
		return search.Found{}, model.Errorf(model.EInvalid, "%s is a %s, neither an account nor a post", obj.ID, obj.Type)
	}
	if obj.AttributedTo == "" || !transport.SameOrigin(obj.ID, obj.AttributedTo) {
		return search.Found{}, model.Errorf(model.EInvalid, "the post at %s names no author on its own server", obj.ID)
	}
	if !isPublic(&vocab.Activity{}, obj) {
		return search.Found{}, model.Errorf(model.EInvalid, "the post at %s is not public", obj.ID)
	}
	author, err := s.Fetcher.Actor(ctx, obj.AttributedTo)
	if err != nil {
		return search.Found{}, fmt.Errorf("look up the author of %s: %w", obj.ID, err)
	}
	p.Author = author
	out, err := s.Posts.ReceiveCreate(ctx, author, posts.Remote{Post: p, Mentions: mentions})
	if err != nil {
		return search.Found{}, fmt.Errorf("store %s: %w", obj.ID, err)
	}
	// Kept now, or before (then it was updated, or left as it was).
	stored, err := s.Store.PostByIRI(ctx, obj.ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && stored.Deleted() {
		p.ID = 0 // not kept: the page offers to follow its author
		return search.Found{Actor: author, Post: p}, nil
	}
	if err != nil {
		return search.Found{}, fmt.Errorf("read back %s: %w", obj.ID, err)
	}
	if strings.HasPrefix(out, "applied") {
		s.recordAttachments(ctx, obj, stored, false)
	}
	return search.Found{Actor: author, Post: stored}, nil
}
