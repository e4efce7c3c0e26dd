package accounts

import (
	"context"
	"errors"

	"github.com/commonplace-social/commonplace/internal/store"
)

// SessionWrites reports whether the live session with this token belongs to
// an account that writes as the actor. It only reads (an expired session
// is simply not counted), so public pages can ask it on every request.
func (s *Service) SessionWrites(ctx context.Context, token string, actorID int64) (bool, error) {
	if token == "" {
		return false, nil
	}
	ok, err := s.Store.SessionWritesAs(ctx, hashToken(token), s.now(), actorID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return ok, err
}
