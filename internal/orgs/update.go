package orgs

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Changes are the profile fields an operator may edit; nil leaves a field as it is.
type Changes struct {
	Name                      *string
	Summary                   *string
	Website                   *string
	ManuallyApprovesFollowers *bool
}

// Update edits an organisation's profile and, in the same transaction,
// queues an Update of the actor to every follower, so their servers show the
// new name and summary.
func (s *Service) Update(ctx context.Context, username string, c Changes) (*model.Actor, error) {
	org, err := s.Get(ctx, username)
	if err != nil {
		return nil, err
	}
	if c.Name != nil {
		name := strings.TrimSpace(*c.Name)
		if name == "" || len(name) > 100 {
			return nil, model.Errorf(model.EInvalid, "the name must be 1 to 100 characters long")
		}
		org.Name = name
	}
	if c.Summary != nil {
		if len(*c.Summary) > 2000 {
			return nil, model.Errorf(model.EInvalid, "the summary is %d characters long; keep it to 2000", len(*c.Summary))
		}
		org.Summary = strings.TrimSpace(*c.Summary)
	}
	if c.Website != nil {
		if w := *c.Website; w != "" {
			u, err := url.Parse(w)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return nil, model.Errorf(model.EInvalid, "the website %q is not an http(s) URL", w)
			}
		}
		org.URL = *c.Website
	}
	if c.ManuallyApprovesFollowers != nil {
		org.ManuallyApprovesFollowers = *c.ManuallyApprovesFollowers
	}
	if err := s.saveAndAnnounce(ctx, org, s.Store.UpdateLocalActorProfile); err != nil {
		return nil, fmt.Errorf("update organisation %s: %w", username, err)
	}
	return org, nil
}

// saveAndAnnounce saves a change to an organisation's actor and, in the same
// transaction, queues an Update of the actor to every follower, so their
// servers learn of it (new name, new key) exactly when it is committed.
func (s *Service) saveAndAnnounce(ctx context.Context, org *model.Actor, save func(context.Context, bun.IDB, *model.Actor) error) error {
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := save(ctx, tx, org); err != nil {
			return err
		}
		if s.Send == nil {
			return nil
		}
		return s.Send.SendTx(ctx, tx, model.Outgoing{
			ID: s.NewActivityID(org), Type: "Update", Actor: org, ActorObject: org, ToFollowers: true,
		})
	})
}
