package loadrig

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Direction says which way seeded follows go.
type Direction int

const (
	// FollowOrg: every remote follows the org (a fan-out's followers).
	FollowOrg Direction = iota
	// OrgFollows: the org follows every remote, so their posts are kept
	// and shown on the timeline.
	OrgFollows
)

// Seed says what SeedFollows writes.
type Seed struct {
	Store   *store.Store
	Org     string // the local organisation's username
	Domain  string // the instance's host:port, for our Follows' ids
	Dir     Direction
	Workers int // goroutines writing at once
}

// SeedFollows stores every remote as a known actor, with its key already
// confirmed (so the server need not fetch it), and an accepted follow
// between it and the local org, as if the Follow and Accept had happened.
// It writes through the store, on s.Workers goroutines.
func SeedFollows(ctx context.Context, s Seed, remotes []*Remote) error {
	local, err := s.Store.LocalActor(ctx, s.Org)
	if err != nil {
		return fmt.Errorf("seed follows: %w", err)
	}
	jobs := make(chan int)
	workers := max(s.Workers, 1)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := s.one(ctx, local, remotes[i], i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	go func() {
		defer close(jobs)
		for i := range remotes {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		// Drain what the feeder still holds so it ends.
		for range jobs {
		}
		return fmt.Errorf("seed follows: %w", err)
	}
	return ctx.Err()
}

func (s Seed) one(ctx context.Context, local *model.Actor, r *Remote, seq int) error {
	raw, err := json.Marshal(r.ActorDoc())
	if err != nil {
		return fmt.Errorf("encode actor: %w", err)
	}
	now := time.Now().UTC()
	a := &model.Actor{Username: r.Username, Host: r.Addr, IRI: r.ActorID, Type: model.ActorPerson, Name: r.Username,
		Inbox: r.ActorID + "/inbox", Outbox: r.ActorID + "/outbox", Followers: r.ActorID + "/followers",
		Following: r.ActorID + "/following", SharedInbox: r.Base + "/inbox",
		PublicKeyID: r.KeyID, PublicKeyPEM: r.Key.PublicPEM, Discoverable: true,
		Raw: string(raw), FetchedAt: now, KeyFetchedAt: now}
	if err := s.Store.UpsertRemoteActor(ctx, a); err != nil {
		return err
	}
	f := &model.Follow{FollowerID: a.ID, FolloweeID: local.ID, ActivityIRI: r.ActorID + "/follows/seeded", State: model.FollowAccepted}
	if s.Dir == OrgFollows {
		f.FollowerID, f.FolloweeID = local.ID, a.ID
		f.ActivityIRI = fmt.Sprintf("http://%s/users/%s/follows/seeded-%d", s.Domain, s.Org, seq)
	}
	return s.Store.InsertFollow(ctx, s.Store.DB, f)
}
