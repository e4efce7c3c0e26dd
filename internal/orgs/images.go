package orgs

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// SetImage points an organisation's or a network's avatar or header at a
// stored picture's display key and, in the same transaction, queues an
// Update of the actor so followers' servers fetch the new picture.
func (s *Service) SetImage(ctx context.Context, username, kind, key string) (*model.Actor, error) {
	org, err := s.Served(ctx, username)
	if err != nil {
		return nil, err
	}
	save := func(ctx context.Context, db bun.IDB, a *model.Actor) error {
		return s.Store.SetActorImage(ctx, db, a, kind, key)
	}
	if err := s.saveAndAnnounce(ctx, org, save); err != nil {
		return nil, fmt.Errorf("set %s of %s: %w", kind, username, err)
	}
	return org, nil
}
