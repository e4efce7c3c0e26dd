package follows_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var ctx = context.Background()

// sent records what the use cases hand to the federation layer. It stands
// at the package boundary: delivery itself is tested with real servers in
// the federation and instance tests.
type sent struct {
	mu  sync.Mutex
	out []model.Outgoing
	err error // returned by SendTx, to check that a failed send rolls back
}

func (s *sent) SendTx(_ context.Context, _ bun.Tx, o model.Outgoing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.out = append(s.out, o)
	return nil
}

func (s *sent) last(t *testing.T) model.Outgoing {
	t.Helper()
	if len(s.out) == 0 {
		t.Fatal("nothing was sent")
	}
	return s.out[len(s.out)-1]
}

type fixture struct {
	svc    *follows.Service
	st     *store.Store
	sent   *sent
	org    *model.Actor
	remote *model.Actor
}

func setup(t *testing.T, st *store.Store, manual bool) fixture {
	layout := iri.New("https://hospice.example")
	o := &orgs.Service{Store: st}
	org, err := o.Create(ctx, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's", ManuallyApprovesFollowers: manual})
	if err != nil {
		t.Fatal(err)
	}
	r := &model.Actor{Username: "alice", Host: "mastodon.example", IRI: "https://mastodon.example/users/alice",
		Type: model.ActorPerson, Inbox: "https://mastodon.example/users/alice/inbox", PublicKeyID: "https://mastodon.example/users/alice#main-key", PublicKeyPEM: "pem"}
	if err := st.UpsertRemoteActor(ctx, r); err != nil {
		t.Fatal(err)
	}
	s := &sent{}
	return fixture{svc: &follows.Service{Store: st, Layout: layout, Send: s}, st: st, sent: s, org: org, remote: r}
}

func (f fixture) counts(t *testing.T, id int64) store.FollowCounts {
	t.Helper()
	c, err := f.st.CountFollows(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRemoteFollowIsAcceptedAndUndone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st, false)
		fo, err := f.svc.ReceiveFollow(ctx, f.remote, f.org, "https://mastodon.example/follows/1")
		if err != nil {
			t.Fatal(err)
		}
		if fo.State != model.FollowAccepted || f.counts(t, f.org.ID).Followers != 1 {
			t.Fatalf("follow state %s, counts %+v", fo.State, f.counts(t, f.org.ID))
		}
		acc := f.sent.last(t)
		if acc.Type != "Accept" || acc.Actor.ID != f.org.ID || len(acc.To) != 1 || acc.To[0].ID != f.remote.ID ||
			acc.Follow.ID != "https://mastodon.example/follows/1" || acc.Follow.Actor != f.remote.IRI ||
			acc.Follow.Object != "https://hospice.example/users/stgemmas" {
			t.Errorf("Accept = %+v / %+v", acc, acc.Follow)
		}

		t.Run("RepeatedFollowIsAcceptedAgainNotDuplicated", func(t *testing.T) {
			if _, err := f.svc.ReceiveFollow(ctx, f.remote, f.org, "https://mastodon.example/follows/2"); err != nil {
				t.Fatal(err)
			}
			if f.counts(t, f.org.ID).Followers != 1 || len(f.sent.out) != 2 || f.sent.last(t).Follow.ID != "https://mastodon.example/follows/2" {
				t.Errorf("after a repeated Follow: counts %+v, %d sent", f.counts(t, f.org.ID), len(f.sent.out))
			}
		})
		t.Run("UndoByUnknownIDFallsBackToThePair", func(t *testing.T) {
			if removed, err := f.svc.ReceiveUndoFollow(ctx, f.remote, f.org, "https://mastodon.example/never-seen"); err != nil || !removed {
				t.Fatalf("Undo by the pair: removed %v, %v", removed, err)
			}
			if c := f.counts(t, f.org.ID); c.Followers != 0 {
				t.Errorf("follower still counted after Undo: %+v", c)
			}
			if removed, err := f.svc.ReceiveUndoFollow(ctx, f.remote, f.org, "https://mastodon.example/follows/2"); err != nil || removed {
				t.Errorf("a second Undo is not a no-op: removed %v, %v", removed, err)
			}
		})
	})
}

func TestManualApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st, true)
		fo, err := f.svc.ReceiveFollow(ctx, f.remote, f.org, "https://mastodon.example/follows/1")
		if err != nil {
			t.Fatal(err)
		}
		if fo.State != model.FollowPending || len(f.sent.out) != 0 || f.counts(t, f.org.ID).Followers != 0 {
			t.Fatalf("a follow of a locked organisation: state %s, %d sent", fo.State, len(f.sent.out))
		}
		pending, err := f.svc.Pending(ctx, f.org)
		if err != nil || len(pending) != 1 || pending[0].Follower.IRI != f.remote.IRI {
			t.Fatalf("pending = %v, %v", pending, err)
		}
		if err := f.svc.Approve(ctx, f.org, f.remote); err != nil {
			t.Fatal(err)
		}
		if f.sent.last(t).Type != "Accept" || f.counts(t, f.org.ID).Followers != 1 {
			t.Errorf("approve: sent %+v, counts %+v", f.sent.last(t), f.counts(t, f.org.ID))
		}
		if err := f.svc.Approve(ctx, f.org, f.remote); model.ErrorCode(err) != model.EConflict {
			t.Errorf("approving twice: %v", err)
		}
		if err := f.svc.Reject(ctx, f.org, f.remote); err != nil {
			t.Fatal(err)
		}
		if f.sent.last(t).Type != "Reject" || f.counts(t, f.org.ID).Followers != 0 {
			t.Errorf("reject: sent %+v, counts %+v", f.sent.last(t), f.counts(t, f.org.ID))
		}
		if err := f.svc.Reject(ctx, f.org, f.remote); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("rejecting a request that is gone: %v", err)
		}
	})
}

func TestFollowingARemoteActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st, false)
		fo, err := f.svc.Follow(ctx, f.org, f.remote)
		if err != nil {
			t.Fatal(err)
		}
		out := f.sent.last(t)
		if out.Type != "Follow" || out.ID != fo.ActivityIRI || out.Follow.Object != f.remote.IRI || fo.State != model.FollowPending {
			t.Fatalf("Follow sent %+v, stored %+v", out, fo)
		}
		if f.counts(t, f.org.ID).Following != 0 {
			t.Error("a pending follow counts as following")
		}

		t.Run("AcceptFromSomeoneElseChangesNothing", func(t *testing.T) {
			other := &model.Actor{Username: "mallory", Host: "evil.example", IRI: "https://evil.example/users/mallory", Type: model.ActorPerson, PublicKeyPEM: "pem"}
			if err := st.UpsertRemoteActor(ctx, other); err != nil {
				t.Fatal(err)
			}
			got, err := f.svc.ReceiveAccept(ctx, other, model.FollowRef{ID: fo.ActivityIRI})
			if err != nil || got != nil || f.counts(t, f.org.ID).Following != 0 {
				t.Errorf("forged Accept: %v, %v, %+v", got, err, f.counts(t, f.org.ID))
			}
		})
		t.Run("Accept", func(t *testing.T) {
			got, err := f.svc.ReceiveAccept(ctx, f.remote, model.FollowRef{ID: fo.ActivityIRI})
			if err != nil || got == nil || got.State != model.FollowAccepted || f.counts(t, f.org.ID).Following != 1 {
				t.Fatalf("Accept: %+v, %v", got, err)
			}
		})
		t.Run("AlreadyFollowing", func(t *testing.T) {
			if _, err := f.svc.Follow(ctx, f.org, f.remote); model.ErrorCode(err) != model.EConflict {
				t.Errorf("second follow: %v", err)
			}
		})
		t.Run("Unfollow", func(t *testing.T) {
			if err := f.svc.Unfollow(ctx, f.org, f.remote); err != nil {
				t.Fatal(err)
			}
			undo := f.sent.last(t)
			if undo.Type != "Undo" || undo.Follow.ID != fo.ActivityIRI || f.counts(t, f.org.ID).Following != 0 {
				t.Errorf("Undo = %+v", undo)
			}
			if err := f.svc.Unfollow(ctx, f.org, f.remote); model.ErrorCode(err) != model.ENotFound {
				t.Errorf("unfollowing twice: %v", err)
			}
		})
		t.Run("AcceptByPairWithoutID", func(t *testing.T) {
			fo, err := f.svc.Follow(ctx, f.org, f.remote)
			if err != nil {
				t.Fatal(err)
			}
			ref := model.FollowRef{Actor: "https://hospice.example/users/stgemmas", Object: f.remote.IRI}
			got, err := f.svc.ReceiveAccept(ctx, f.remote, ref)
			if err != nil || got == nil || got.ID != fo.ID {
				t.Errorf("Accept naming the pair: %+v, %v", got, err)
			}
		})
		t.Run("Reject", func(t *testing.T) {
			if removed, err := f.svc.ReceiveReject(ctx, f.remote, model.FollowRef{ID: f.sent.last(t).ID}); err != nil || !removed {
				t.Fatalf("Reject: removed %v, %v", removed, err)
			}
			if _, err := st.FollowBetween(ctx, st.DB, f.org.ID, f.remote.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("follow still stored after Reject: %v", err)
			}
		})
	})
}

// A send that fails rolls the change back: a follow is never recorded without
// its Follow being queued, and vice versa.
func TestFailedSendRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st, false)
		f.sent.err = fmt.Errorf("queue unavailable")
		if _, err := f.svc.Follow(ctx, f.org, f.remote); err == nil {
			t.Fatal("follow succeeded although its Follow could not be queued")
		}
		if _, err := st.FollowBetween(ctx, st.DB, f.org.ID, f.remote.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("follow stored without its Follow: %v", err)
		}
		if _, err := f.svc.ReceiveFollow(ctx, f.remote, f.org, "https://mastodon.example/follows/9"); err == nil {
			t.Fatal("incoming follow recorded although its Accept could not be queued")
		}
		if c := f.counts(t, f.org.ID); c.Followers != 0 {
			t.Errorf("follower counted without an Accept queued: %+v", c)
		}
	})
}
