package federation

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// followDoc is a remote actor's Follow of the world's organisation.
func (w *applyWorld) followDoc(actor string) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/follows/1",
		"type": "Follow", "actor": actor, "object": w.layout.Actor(w.org.Username)}
}

// acceptsTo counts the Accepts each follower was sent.
func acceptsTo(qs ...*queued) map[string]int {
	n := map[string]int{}
	for _, q := range qs {
		q.mu.Lock()
		for _, m := range q.sent {
			if f, ok := m["object"].(map[string]any); ok && m["type"] == "Accept" {
				if actor, ok := f["actor"].(string); ok {
					n[actor]++
				}
			}
		}
		q.mu.Unlock()
	}
	return n
}

// followedOnceEach checks that every actor's Follow was applied exactly
// once: one Accept each across the outboxes, and every record's outcome
// that of a Follow accepted.
func followedOnceEach(t *testing.T, st *store.Store, actors []string, sends ...*queued) {
	t.Helper()
	got := acceptsTo(sends...)
	for _, actor := range actors {
		if got[actor] != 1 {
			t.Errorf("%s was sent %d Accepts, want 1", actor, got[actor])
		}
	}
	var rows []model.InboxActivity
	if err := st.DB.NewSelect().Model(&rows).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Outcome != "applied: follow accepted" {
			t.Errorf("%s: outcome %q", r.ActivityIRI, r.Outcome)
		}
	}
}

// One applier reads a Follow, and before it leases the actor the other
// applies it and lets the actor go (two serve processes, the first one
// slow between its read and its lease). The lease is then free, but the
// Follow is applied already: the first must not apply it again, or the
// follower gets a second Accept (TestTwoServersShareOneDatabase saw one).
func TestApplierSkipsWhatAnotherAppliedBetweenReadAndLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		const actors = 4
		w := newApplyWorld(t, st, actors)
		first, second := w.server(), w.server()
		var sends []*queued
		for _, s := range []*Server{first, second} {
			q := &queued{}
			s.Follows.Send.(*Outbox).Deliver = q
			sends = append(sends, q)
		}
		// The slow one recorded the Follows, so it holds them parsed in
		// memory and would not need the bodies (gone once processed) to
		// apply them again.
		for _, actor := range w.actors {
			receive(t, second, w.followDoc(actor))
		}

		// The slow applier reads every Follow, then waits.
		read, proceed, again := make(chan struct{}), make(chan struct{}), make(chan struct{})
		var reads int
		var mu sync.Mutex
		slow := &Applier{Server: second, PollEvery: 5 * time.Millisecond}
		slow.scanned = func() {
			mu.Lock()
			reads++
			n := reads
			mu.Unlock()
			switch n {
			case 1:
				close(read)
				<-proceed
			case 2:
				close(again) // the first read's leases and runs are under way
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		stopSlow := slow.Start(ctx)
		<-read

		// Meanwhile the other applies them all and lets the actors go.
		fastCtx, stopFastScan := context.WithCancel(ctx)
		stopFast := (&Applier{Server: first, PollEvery: 5 * time.Millisecond}).Start(fastCtx)
		waitApplied(t, st, 30*time.Second)
		stopFastScan()
		stopFast(context.Background())

		close(proceed)
		select {
		case <-again:
		case <-time.After(30 * time.Second):
			t.Fatal("the slow applier did not finish its first scan")
		}
		cancel()
		stopSlow(context.Background())

		followedOnceEach(t, st, w.actors, sends...)
	})
}

// Two appliers woken together for every record (as LISTEN/NOTIFY wakes
// two serve processes) race for the same actors: each Follow is still
// applied once, so each follower gets one Accept.
func TestTwoAppliersApplyEachFollowOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		const actors = 40
		w := newApplyWorld(t, st, actors)
		shared := &localWaker{}
		servers := []*Server{w.server(), w.server()}
		var sends []*queued
		for _, s := range servers {
			s.Wake = shared
			q := &queued{}
			s.Follows.Send.(*Outbox).Deliver = q
			sends = append(sends, q)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var stops []func(context.Context)
		for _, s := range servers {
			a := &Applier{Server: s, PollEvery: 5 * time.Millisecond}
			stops = append(stops, a.Start(ctx))
		}
		for i, actor := range w.actors {
			receive(t, servers[i%2], map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
				"id": actor + "/follows/1", "type": "Follow", "actor": actor, "object": w.layout.Actor(w.org.Username)})
		}
		waitApplied(t, st, 30*time.Second)
		time.Sleep(100 * time.Millisecond) // room for a second application
		cancel()
		for _, stop := range stops {
			stop(context.Background())
		}
		followedOnceEach(t, st, w.actors, sends...)
	})
}
