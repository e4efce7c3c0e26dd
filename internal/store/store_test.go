package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var ctx = context.Background()

func localOrg(username string) *model.Actor {
	return &model.Actor{Local: true, Username: username, Type: model.ActorOrganization, Name: username,
		PublicKeyPEM: "pub", PrivateKeyPEM: "priv", Discoverable: true}
}

func remote(n int) *model.Actor {
	iri := fmt.Sprintf("https://m%d.example/users/u%d", n, n)
	return &model.Actor{Username: fmt.Sprintf("u%d", n), Host: fmt.Sprintf("m%d.example", n), IRI: iri,
		Type: model.ActorPerson, Inbox: iri + "/inbox", PublicKeyID: iri + "#main-key", PublicKeyPEM: "pub"}
}

func TestMigrateIsRepeatable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v again", applied)
		}
	})
}

func TestLocalActors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := localOrg("leedsth")
		if err := s.CreateActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 {
			t.Fatal("ID not filled in")
		}
		got, err := s.LocalActor(ctx, "leedsth")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.PrivateKeyPEM != "priv" || !got.Local || got.CreatedAt.IsZero() {
			t.Errorf("LocalActor = %+v", got)
		}
		t.Run("UsernameTaken", func(t *testing.T) {
			err := s.CreateActor(ctx, localOrg("leedsth"))
			if !store.IsUniqueViolation(err) {
				t.Errorf("duplicate username: err = %v, want a unique violation", err)
			}
		})
		t.Run("NotFound", func(t *testing.T) {
			_, err := s.LocalActor(ctx, "nobody")
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
		t.Run("RemoteWithSameUsernameIsSeparate", func(t *testing.T) {
			r := remote(1)
			r.Username = "leedsth"
			if err := s.UpsertRemoteActor(ctx, r); err != nil {
				t.Fatal(err)
			}
			n, err := s.CountLocalActors(ctx, model.ActorOrganization)
			if err != nil || n != 1 {
				t.Errorf("CountLocalActors = %d, %v; want 1", n, err)
			}
		})
	})
}

func TestUpsertRemoteActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := remote(7)
		if err := s.UpsertRemoteActor(ctx, r); err != nil {
			t.Fatal(err)
		}
		again := remote(7)
		again.Name = "Renamed"
		again.PublicKeyPEM = "rotated"
		if err := s.UpsertRemoteActor(ctx, again); err != nil {
			t.Fatal(err)
		}
		if again.ID != r.ID {
			t.Errorf("upsert gave a new id %d, want %d", again.ID, r.ID)
		}
		got, err := s.RemoteActorByIRI(ctx, r.IRI)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Renamed" || got.PublicKeyPEM != "rotated" {
			t.Errorf("upsert did not replace fields: %+v", got)
		}
	})
}

func TestFollowsCountAndPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("hospice")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			r := remote(i)
			if err := s.UpsertRemoteActor(ctx, r); err != nil {
				t.Fatal(err)
			}
			state := model.FollowAccepted
			if i == 4 {
				state = model.FollowPending
			}
			f := &model.Follow{FollowerID: r.ID, FolloweeID: org.ID, ActivityIRI: r.IRI + "/follow", State: state}
			if _, err := s.DB.NewInsert().Model(f).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		c, err := s.CountFollows(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Followers != 4 || c.Following != 0 {
			t.Errorf("counts = %+v, want 4 followers (the pending one excluded)", c)
		}
		p1, err := s.Followers(ctx, org.ID, 0, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(p1.Follows) != 3 || p1.NextBefore == 0 {
			t.Fatalf("page 1 = %d items, next %d", len(p1.Follows), p1.NextBefore)
		}
		if p1.Follows[0].Follower.IRI != remote(3).IRI {
			t.Errorf("newest follower first: got %s", p1.Follows[0].Follower.IRI)
		}
		p2, err := s.Followers(ctx, org.ID, p1.NextBefore, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(p2.Follows) != 1 || p2.NextBefore != 0 || p2.Follows[0].Follower.IRI != remote(0).IRI {
			t.Errorf("page 2 = %+v", p2)
		}
	})
}

func TestSettingOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, ok, err := s.Setting(ctx, "domain"); ok || err != nil {
			t.Fatalf("unset setting: ok=%v err=%v", ok, err)
		}
		v, err := s.SetSettingOnce(ctx, "domain", "a.example")
		if err != nil || v != "a.example" {
			t.Fatalf("first set = %q, %v", v, err)
		}
		v, err = s.SetSettingOnce(ctx, "domain", "b.example")
		if err != nil || v != "a.example" {
			t.Errorf("second set = %q, %v; the first value must stay", v, err)
		}
	})
}

func TestOpenErrorsAreOneSentence(t *testing.T) {
	_, err := store.Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("unreachable postgres opened")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "cannot reach the database at 127.0.0.1:1/none: ") {
		t.Errorf("error = %q", msg)
	}
	for _, bad := range []string{"secret", "\n"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q contains %q", msg, bad)
		}
	}
}

// A lookup of a remote actor racing an incoming activity from it must not
// fail: both upserts of the same actor succeed and leave one row.
func TestConcurrentUpsertsOfOneActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var wg sync.WaitGroup
		errs := make([]error, 200)
		for round := range 20 { // the race is a narrow window: try it many times
			for i := range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[round*10+i] = s.UpsertRemoteActor(ctx, remote(100+round))
				}()
			}
			wg.Wait()
		}
		for _, err := range errs {
			if err != nil {
				t.Errorf("concurrent upsert: %v", err)
			}
		}
		if a, err := s.RemoteActorByKeyID(ctx, remote(105).PublicKeyID); err != nil || a.IRI != remote(105).IRI {
			t.Errorf("by key id: %v, %v", a, err)
		}
	})
}
