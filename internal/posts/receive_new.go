package posts

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// receiveNewTimelinePost stores the commonest remote post, a new top-level
// post without tags by an author followed here, in one statement that also
// finds out whether it was new. done is false when the post is not that
// case (it is a reply, has tags, or its author is not followed) or is
// already stored: ReceiveCreate's general path decides then.
func (s *Service) receiveNewTimelinePost(ctx context.Context, author *model.Actor, in Remote) (out string, done bool, err error) {
	p := in.Post
	if p.InReplyTo != "" || len(p.Tags) > 0 || !slices.Contains(model.PublishedKinds, p.Kind) {
		return "", false, nil
	}
	if !in.SharedByFollowed {
		followed, err := s.Store.IsFollowedLocally(ctx, author.ID)
		if err != nil || !followed {
			return "", false, err
		}
	}
	p.InTimeline = true
	// One statement, atomic on its own: no transaction round trips, and
	// SQLite needs no statement journal outside one.
	err = s.Store.InsertPost(ctx, s.Store.Writer(ctx), p)
	if errors.Is(err, store.ErrPostExists) {
		p.InTimeline = false
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store remote post %s: %w", p.IRI, err)
	}
	return ReceivedToTimeline, true, nil
}
