package posts

import (
	"context"
	"time"
)

// MaxRepliesPerActorPerHour bounds how many replies one remote account may
// add under one post in an hour. Beyond it a thread would only grow by
// flooding, which every reader of the post pays for.
const MaxRepliesPerActorPerHour = 20

// replyLimitReached reports whether the author has already added its
// hour's share of replies under the post.
func (s *Service) replyLimitReached(ctx context.Context, rootID, authorID int64) (bool, error) {
	n, err := s.Store.CountRecentReplies(ctx, rootID, authorID, time.Now().Add(-time.Hour))
	if err != nil {
		return false, err
	}
	return n >= MaxRepliesPerActorPerHour, nil
}
