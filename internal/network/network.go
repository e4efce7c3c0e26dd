// Package network holds the use cases of networks: local Group actors whose
// members are organisations, here or on other servers, and which re-share
// their members' public posts to the network's own followers (FEP-1b12).
package network

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Service runs the network use cases.
type Service struct {
	Store  *store.Store
	Layout iri.Layout
	// Follows makes the network follow its remote members, so that their
	// posts reach it to be re-shared.
	Follows *follows.Service
	// Resolve finds a remote actor by handle or URL (the federation
	// fetcher's Resolve); internal code cannot import federation.
	Resolve func(ctx context.Context, handleOrURL string) (*model.Actor, error)
	// Send carries the network's Announces of remote members' posts.
	Send model.Sender
}

// NewNetwork is what an operator gives to create a network.
type NewNetwork struct {
	Username string
	Name     string
	Summary  string // plain text
}

// Member is one organisation of a network, or one asking to join.
type Member struct {
	Actor *model.Actor
	State string // model.NetworkStateMember or model.NetworkStateRequested
	Since time.Time
}

// Create stores a new network: a Group actor with its own key pair, under
// the same username rules as organisations (and in the same namespace).
// People who follow it are accepted at once.
func (s *Service) Create(ctx context.Context, in NewNetwork) (*model.Actor, error) {
	return (&orgs.Service{Store: s.Store}).Create(ctx, orgs.NewOrg{
		Username: in.Username, Name: in.Name, Summary: in.Summary, Type: model.ActorGroup,
	})
}

// Get returns a local network by username.
func (s *Service) Get(ctx context.Context, username string) (*model.Actor, error) {
	a, err := s.Store.LocalActor(ctx, username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Type != model.ActorGroup) {
		return nil, model.Errorf(model.ENotFound, "no network called %q here", username)
	}
	return a, err
}

// List returns this instance's networks, oldest first.
func (s *Service) List(ctx context.Context) ([]*model.Actor, error) {
	return s.Store.LocalNetworks(ctx)
}

// AddMember makes an organisation a member of the network (approving it if
// it had asked). A remote member is followed by the network, since its
// posts only reach us through that follow.
func (s *Service) AddMember(ctx context.Context, network *model.Actor, orgRef string) (*model.Actor, error) {
	org, err := s.memberActor(ctx, network, orgRef)
	if err != nil {
		return nil, err
	}
	if err := s.Store.InTx(ctx, func(tx bun.Tx) error {
		inserted, err := s.Store.AddNetworkMember(ctx, tx, network.ID, org.ID, model.NetworkStateMember)
		if err != nil || inserted {
			return err
		}
		_, err = s.Store.SetNetworkMemberState(ctx, tx, network.ID, org.ID, model.NetworkStateMember)
		return err
	}); err != nil {
		return nil, err
	}
	return org, s.followMember(ctx, network, org)
}

// RemoveMember ends a membership or drops a request; the network stops
// following a remote member.
func (s *Service) RemoveMember(ctx context.Context, network *model.Actor, orgRef string) (*model.Actor, error) {
	org, err := s.memberActor(ctx, network, orgRef)
	if err != nil {
		return nil, err
	}
	removed, err := s.Store.RemoveNetworkMember(ctx, s.Store.DB, network.ID, org.ID)
	if err != nil {
		return nil, err
	}
	if !removed {
		return nil, model.Errorf(model.ENotFound, "%s is not a member of %s", orgRef, network.Username)
	}
	if !org.Local {
		if err := s.Follows.Unfollow(ctx, network, org); err != nil && model.ErrorCode(err) != model.ENotFound {
			return org, fmt.Errorf("stop following %s: %w", org.IRI, err)
		}
	}
	return org, nil
}

// Members lists the network's approved members, oldest first.
func (s *Service) Members(ctx context.Context, network *model.Actor) ([]Member, error) {
	return s.list(ctx, network, model.NetworkStateMember)
}

// Requests lists the organisations waiting for approval, oldest first.
func (s *Service) Requests(ctx context.Context, network *model.Actor) ([]Member, error) {
	return s.list(ctx, network, model.NetworkStateRequested)
}

func (s *Service) list(ctx context.Context, network *model.Actor, state string) ([]Member, error) {
	rows, err := s.Store.NetworkMembers(ctx, network.ID, state)
	if err != nil {
		return nil, err
	}
	out := make([]Member, len(rows))
	for i, r := range rows {
		out[i] = Member{Actor: r.Member, State: r.State, Since: r.CreatedAt}
	}
	return out, nil
}

// Approve turns a request into a membership; the network follows a remote
// organisation back so that its posts arrive.
func (s *Service) Approve(ctx context.Context, network *model.Actor, orgRef string) (*model.Actor, error) {
	org, err := s.requester(ctx, network, orgRef)
	if err != nil {
		return nil, err
	}
	if _, err := s.Store.SetNetworkMemberState(ctx, s.Store.DB, network.ID, org.ID, model.NetworkStateMember); err != nil {
		return nil, err
	}
	return org, s.followMember(ctx, network, org)
}

// Reject drops a request. The organisation stays a follower of the network:
// reading it is open to anyone.
func (s *Service) Reject(ctx context.Context, network *model.Actor, orgRef string) (*model.Actor, error) {
	org, err := s.requester(ctx, network, orgRef)
	if err != nil {
		return nil, err
	}
	_, err = s.Store.RemoveNetworkMember(ctx, s.Store.DB, network.ID, org.ID)
	return org, err
}

// requester finds the organisation behind a pending request.
func (s *Service) requester(ctx context.Context, network *model.Actor, orgRef string) (*model.Actor, error) {
	org, err := s.memberActor(ctx, network, orgRef)
	if err != nil {
		return nil, err
	}
	m, err := s.Store.NetworkMembership(ctx, s.Store.DB, network.ID, org.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.State != model.NetworkStateRequested) {
		return nil, model.Errorf(model.ENotFound, "%s has not asked to join %s", orgRef, network.Username)
	}
	return org, err
}

// followMember makes the network follow a remote member; an existing follow
// is fine.
func (s *Service) followMember(ctx context.Context, network, org *model.Actor) error {
	if org.Local {
		return nil
	}
	if _, err := s.Follows.Follow(ctx, network, org); err != nil && model.ErrorCode(err) != model.EConflict {
		return fmt.Errorf("follow %s from %s: %w", org.IRI, network.Username, err)
	}
	return nil
}

// memberActor finds the organisation an operator named: a local username,
// a handle (@user@host or user@host) or an actor URL. Names on this instance
// are looked up here; others are resolved over the network.
func (s *Service) memberActor(ctx context.Context, network *model.Actor, ref string) (*model.Actor, error) {
	ref = strings.TrimSpace(ref)
	local, isLocal := s.localUsername(ref)
	if !isLocal {
		if s.Resolve == nil {
			return nil, model.Errorf(model.EInvalid, "%q is not on this instance, and this command cannot look up other servers", ref)
		}
		a, err := s.Resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		if !a.Local { // an operator may add any account: many organisations run a Person on Mastodon
			return a, nil
		}
		local = a.Username
	}
	a, err := s.Store.LocalActor(ctx, local)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Type != model.ActorOrganization) {
		if err == nil && a.ID == network.ID {
			return nil, model.Errorf(model.EInvalid, "a network cannot be a member of itself")
		}
		return nil, model.Errorf(model.ENotFound, "no organisation called %q here", local)
	}
	return a, err
}

// localUsername reports whether ref names an actor on this instance, and
// which.
func (s *Service) localUsername(ref string) (string, bool) {
	if strings.Contains(ref, "://") {
		return s.Layout.LocalActorUsername(ref)
	}
	user, host, ok := strings.Cut(strings.TrimPrefix(ref, "@"), "@")
	if !ok {
		return ref, true
	}
	return user, strings.EqualFold(host, s.Layout.Host())
}
