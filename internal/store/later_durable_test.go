package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func syncCommit(t *testing.T, ctx context.Context, db bun.IDB) string {
	t.Helper()
	var v string
	if err := db.NewRaw("SHOW synchronous_commit").Scan(ctx, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Only writes under WithLaterDurableCommit skip the log flush; everything
// else, the inbox's records and the applier's outcomes among it, waits.
func TestLaterDurableWritesAloneSkipTheFlush(t *testing.T) {
	s := storetest.Open(t, store.Postgres)
	later := store.WithLaterDurableCommit(ctx)
	if got := syncCommit(t, later, s.Writer(later)); got != "off" {
		t.Errorf("marked writer: synchronous_commit = %s, want off", got)
	}
	if got := syncCommit(t, ctx, s.Writer(ctx)); got != "on" {
		t.Errorf("unmarked writer: synchronous_commit = %s, want on", got)
	}
	err := s.InTxLaterDurable(later, func(tx bun.Tx) error {
		if got := syncCommit(t, later, tx); got != "off" {
			t.Errorf("marked transaction: synchronous_commit = %s, want off", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // the pool's connections after the transaction
		if got := syncCommit(t, ctx, s.DB); got != "on" {
			t.Errorf("main pool after a marked transaction: synchronous_commit = %s, want on", got)
		}
	}
	err = s.InTxLaterDurable(ctx, func(tx bun.Tx) error {
		if got := syncCommit(t, ctx, tx); got != "on" {
			t.Errorf("unmarked transaction: synchronous_commit = %s, want on", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A post written through the marked writer is there for every reader.
func TestLaterDurableWriteIsVisible(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := remote(1)
		if err := s.UpsertRemoteActor(ctx, r); err != nil {
			t.Fatal(err)
		}
		later := store.WithLaterDurableCommit(ctx)
		p := &model.Post{AuthorID: r.ID, IRI: r.IRI + "/statuses/1", Kind: model.KindUpdate, APType: "Note",
			ContentHTML: "<p>hello</p>", Published: time.Now(), InTimeline: true}
		if err := s.InsertPost(later, s.Writer(later), p); err != nil {
			t.Fatalf("InsertPost: %v", err)
		}
		got, err := s.PostByIRI(ctx, p.IRI)
		if err != nil || got.ID != p.ID {
			t.Fatalf("PostByIRI = %+v, %v; want id %d", got, err, p.ID)
		}
	})
}

// InsertPost stores a post once and reports a second copy of its IRI as
// ErrPostExists, leaving the first as it was.
func TestInsertPostOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := remote(1)
		if err := s.UpsertRemoteActor(ctx, r); err != nil {
			t.Fatal(err)
		}
		post := func(text string) *model.Post {
			return &model.Post{AuthorID: r.ID, IRI: r.IRI + "/statuses/1", Kind: model.KindUpdate, APType: "Note",
				ContentHTML: text, Published: time.Now()}
		}
		first := post("<p>first</p>")
		if err := s.InsertPost(ctx, s.DB, first); err != nil || first.ID == 0 {
			t.Fatalf("first InsertPost = %v (id %d); want nil and an id", err, first.ID)
		}
		again := post("<p>again</p>")
		if err := s.InsertPost(ctx, s.DB, again); !errors.Is(err, store.ErrPostExists) || again.ID != 0 {
			t.Fatalf("second InsertPost = %v (id %d); want ErrPostExists, no id", err, again.ID)
		}
		got, err := s.PostByIRI(ctx, first.IRI)
		if err != nil || got.ID != first.ID || got.ContentHTML != "<p>first</p>" {
			t.Errorf("stored post = %+v, %v; want the first", got, err)
		}
	})
}

// Under WithLookupMemo, whether an actor is followed is read once and
// remembered until ForgetLookups.
func TestLookupMemoUntilForgotten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("memo")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		r := remote(1)
		if err := s.UpsertRemoteActor(ctx, r); err != nil {
			t.Fatal(err)
		}
		followed := func(ctx context.Context) bool {
			t.Helper()
			ok, err := s.IsFollowedLocally(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		memo := store.WithLookupMemo(ctx)
		if followed(memo) {
			t.Fatal("followed before any follow")
		}
		f := &model.Follow{FollowerID: org.ID, FolloweeID: r.ID, ActivityIRI: "https://x.example/follows/1", State: model.FollowAccepted}
		if err := s.InsertFollow(ctx, s.DB, f); err != nil {
			t.Fatal(err)
		}
		if followed(memo) {
			t.Error("the memo did not keep its first answer")
		}
		if !followed(ctx) {
			t.Error("without a memo the follow is not seen")
		}
		store.ForgetLookups(memo)
		if !followed(memo) {
			t.Error("after ForgetLookups the follow is not seen")
		}
	})
}
