package orgs

import (
	"context"
	"fmt"

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
	if err := s.saveAndAnnounce(ctx, org, s.Store.UpdateLocalActorKey); err != nil {
		return nil, fmt.Errorf("rotate key of %s: %w", username, err)
	}
	return org, nil
}
