package delivery

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestSignerIsLoadedOnceAndReused(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s := newSender(t, st)
	var mu sync.Mutex
	loads := 0
	c := newSignerCache(st, func(a *model.Actor) string {
		mu.Lock()
		loads++
		mu.Unlock()
		return keyIDOf(a)
	})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			signer, err := c.get(context.Background(), s.actor.ID, time.Time{})
			if err != nil || signer.KeyID() != s.keyID {
				t.Errorf("signer %v, err %v", signer, err)
			}
		})
	}
	wg.Wait()
	if loads != 1 {
		t.Errorf("key loaded %d times for 20 concurrent deliveries, want once", loads)
	}
}

func TestSenderThatCannotSign(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	remote := &model.Actor{Username: "r", Host: "remote.test", IRI: "http://remote.test/users/r", Type: model.ActorPerson}
	if err := st.CreateActor(context.Background(), remote); err != nil {
		t.Fatal(err)
	}
	c := newSignerCache(st, keyIDOf)
	for _, id := range []int64{remote.ID, 424242} {
		if _, err := c.get(context.Background(), id, time.Time{}); !errors.Is(err, errNoSigner) {
			t.Errorf("actor %d: %v, want errNoSigner", id, err)
		}
	}
}

// An activity queued right after the sender's key changed (an Update after
// a rotation) is signed with the new key, although a signer for the old
// one was cached a moment before.
func TestActivityQueuedAfterRotationUsesTheNewKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		in := startInstance(t, st, instanceOpts{})
		before := newReceiver(t, s)
		in.enqueue(t, s, testActivity(1), false, before.inbox("/inbox"))
		in.waitDrained(t, 30*time.Second)

		pair, err := keys.Generate()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB.NewUpdate().Model(s.actor).Set("public_key_pem = ?, private_key_pem = ?", pair.PublicPEM, pair.PrivatePEM).
			WherePK().Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		pub, err := keys.ParsePublic(pair.PublicPEM)
		if err != nil {
			t.Fatal(err)
		}
		after := newUnstartedReceiver(s)
		after.pub = pub
		after.srv.Start()
		t.Cleanup(after.srv.Close)
		in.enqueue(t, s, testActivity(2), false, after.inbox("/inbox"))
		in.waitDrained(t, 30*time.Second)
		if counts, bad := after.snapshot(); len(bad) > 0 || counts["/inbox"] != 1 {
			t.Errorf("after the rotation: %v posts, rejected %v", counts, bad)
		}
	})
}
