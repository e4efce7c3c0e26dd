package federation

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

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
		accepts := map[string]int{}
		for _, q := range sends {
			for _, m := range q.sent {
				if m["type"] == "Accept" {
					accepts[fmt.Sprint(m["object"].(map[string]any)["actor"])]++
				}
			}
		}
		for _, actor := range w.actors {
			if accepts[actor] != 1 {
				t.Errorf("%s was sent %d Accepts, want 1", actor, accepts[actor])
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
	})
}
