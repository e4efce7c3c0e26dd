package delivery

import (
	"context"
	"errors"
	"sync"
	"testing"

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
			signer, err := c.get(context.Background(), s.actor.ID)
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
		if _, err := c.get(context.Background(), id); !errors.Is(err, errNoSigner) {
			t.Errorf("actor %d: %v, want errNoSigner", id, err)
		}
	}
}
