// Package orgs holds the use cases around this instance's organisations:
// creating them and reading their profiles.
package orgs

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Service runs the organisation use cases against a store.
type Service struct {
	Store *store.Store
	// Send federates profile changes; nil in commands that change nothing
	// other servers need to hear about.
	Send model.Sender
	// NewActivityID mints ids for the activities Send carries.
	NewActivityID func(*model.Actor) string
}

// NewOrg is what an operator gives to create an organisation.
type NewOrg struct {
	Username                  string
	Name                      string
	Summary                   string // plain text
	Website                   string // the organisation's own site, optional
	ManuallyApprovesFollowers bool
	// Type is the actor type: model.ActorOrganization when empty, or
	// model.ActorGroup for a network, which shares the username namespace.
	Type string
}

// Usernames follow Mastodon's rule (letters, digits, underscores, with dots
// and dashes inside), lower case only so that a handle has one spelling.
var usernamePattern = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$`)

const maxUsername = 30

// reserved names would clash with paths or with accounts people expect to be
// the server's own.
var reserved = []string{"actor", "admin", "inbox", "instance", "relay", "root", "support", "commonplace"}

// Create validates and stores a new organisation with a fresh key pair.
func (s *Service) Create(ctx context.Context, in NewOrg) (*model.Actor, error) {
	in.Username = strings.TrimSpace(in.Username)
	in.Name = strings.TrimSpace(in.Name)
	if err := validUsername(in.Username); err != nil {
		return nil, err
	}
	if in.Name == "" {
		return nil, model.Errorf(model.EInvalid, "a name is required: pass --name with the organisation's display name")
	}
	if len(in.Name) > 100 {
		return nil, model.Errorf(model.EInvalid, "the name is %d characters long; keep it to 100", len(in.Name))
	}
	if len(in.Summary) > 2000 {
		return nil, model.Errorf(model.EInvalid, "the summary is %d characters long; keep it to 2000", len(in.Summary))
	}
	if in.Website != "" {
		u, err := url.Parse(in.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, model.Errorf(model.EInvalid, "the website %q is not an http(s) URL", in.Website)
		}
	}
	if _, err := s.Store.LocalActor(ctx, in.Username); err == nil {
		return nil, model.Errorf(model.EConflict, "the username %q is already taken on this instance", in.Username)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	pair, err := keys.Generate()
	if err != nil {
		return nil, err
	}
	if in.Type == "" {
		in.Type = model.ActorOrganization
	}
	a := &model.Actor{
		Local:                     true,
		Username:                  in.Username,
		Type:                      in.Type,
		Name:                      in.Name,
		Summary:                   strings.TrimSpace(in.Summary),
		URL:                       in.Website,
		PublicKeyPEM:              pair.PublicPEM,
		PrivateKeyPEM:             pair.PrivatePEM,
		ManuallyApprovesFollowers: in.ManuallyApprovesFollowers,
		Discoverable:              true,
	}
	if err := s.Store.CreateActor(ctx, a); err != nil {
		if store.IsUniqueViolation(err) { // lost a race with another `org add`
			return nil, model.Errorf(model.EConflict, "the username %q is already taken on this instance", in.Username)
		}
		return nil, fmt.Errorf("create %s %s: %w", in.Type, in.Username, err)
	}
	return a, nil
}

func validUsername(u string) error {
	switch {
	case u == "":
		return model.Errorf(model.EInvalid, "a username is required")
	case len(u) > maxUsername:
		return model.Errorf(model.EInvalid, "the username %q is longer than %d characters", u, maxUsername)
	case !usernamePattern.MatchString(u):
		return model.Errorf(model.EInvalid, "the username %q is not valid: use lower-case letters, digits and underscores (dots and dashes only inside)", u)
	case slices.Contains(reserved, u):
		return model.Errorf(model.EInvalid, "the username %q is reserved; choose another", u)
	}
	return nil
}

// Get returns a local organisation by username, or a not-found error that
// can be shown as it is.
func (s *Service) Get(ctx context.Context, username string) (*model.Actor, error) {
	a, err := s.Store.LocalActor(ctx, username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Type != model.ActorOrganization) {
		return nil, model.Errorf(model.ENotFound, "no organisation called %q here", username)
	}
	return a, err
}

// Served returns a local actor that the federation serves by username: an
// organisation or a network (a Group).
func (s *Service) Served(ctx context.Context, username string) (*model.Actor, error) {
	a, err := s.Store.LocalActor(ctx, username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Type != model.ActorOrganization && a.Type != model.ActorGroup) {
		return nil, model.Errorf(model.ENotFound, "no organisation or network called %q here", username)
	}
	return a, err
}
