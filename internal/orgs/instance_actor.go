package orgs

import (
	"context"
	"errors"
	"fmt"

	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// InstanceActorUsername is the instance actor's preferredUsername and the
// name WebFinger knows it by. GoToSocial, and Mastodon in secure mode, check
// a signed GET by looking its signer up as preferredUsername@host, and
// refuse names outside [A-Za-z0-9._-]; the host with its port would fail
// both. It is reserved (see reserved), so no organisation can take it.
const InstanceActorUsername = "actor"

// InstanceActor returns the Application actor that signs this server's own
// fetches, creating it on first use. GoToSocial, and Mastodon in secure mode,
// refuse unsigned GETs, so even reading a remote actor needs a key.
func (s *Service) InstanceActor(ctx context.Context) (*model.Actor, error) {
	a, err := s.Store.LocalActor(ctx, InstanceActorUsername)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	pair, err := keys.Generate()
	if err != nil {
		return nil, err
	}
	a = &model.Actor{
		Local: true, Username: InstanceActorUsername, Type: model.ActorApplication,
		Name: "Commonplace instance", Summary: "This server's own account. It signs requests and follows nobody.",
		PublicKeyPEM: pair.PublicPEM, PrivateKeyPEM: pair.PrivatePEM, ManuallyApprovesFollowers: true,
	}
	if err := s.Store.CreateActor(ctx, a); err != nil {
		if store.IsUniqueViolation(err) { // another process created it first
			return s.Store.LocalActor(ctx, InstanceActorUsername)
		}
		return nil, fmt.Errorf("create instance actor: %w", err)
	}
	return a, nil
}
