package orgs

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
)

// RotateKey gives an organisation a new key pair, for when the old private
// key may have leaked. The key id stays the same; followers' servers are
// sent an Update of the actor carrying the new public key, in the same
// transaction. Servers that cached the old key fetch the new one when a
// signature fails to verify (Commonplace and Mastodon both do), so
// deliveries go on working; GoToSocial and Misskey may keep the old key
// for a while (docs/keys.md).
func (s *Service) RotateKey(ctx context.Context, username string) (*model.Actor, error) {
	org, err := s.Get(ctx, username)
	if err != nil {
		return nil, err
	}
	pair, err := keys.Generate()
	if err != nil {
		return nil, err
	}
	org.PublicKeyPEM, org.PrivateKeyPEM = pair.PublicPEM, pair.PrivatePEM
	err = s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.UpdateLocalActorKey(ctx, tx, org); err != nil {
			return err
		}
		if s.Send == nil {
			return nil
		}
		return s.Send.SendTx(ctx, tx, model.Outgoing{
			ID: s.NewActivityID(org), Type: "Update", Actor: org, ActorObject: org, ToFollowers: true,
		})
	})
	if err != nil {
		return nil, fmt.Errorf("rotate key of %s: %w", username, err)
	}
	return org, nil
}
