package federation

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// One actor's turn: a post before our follow is accepted is not kept, an
// activity that is wrong in the middle is dropped without losing the ones
// around it, and the post after the Accept goes on the timeline: the
// answer "not followed" that the turn remembered is forgotten at the
// Accept.
func TestApplierTurnSeesAFollowAcceptedWithinIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newApplyWorld(t, st, 0)
		actor := "https://r.example/users/x"
		a := &model.Actor{Username: "x", Host: "r.example", IRI: actor, Type: model.ActorPerson,
			Inbox: actor + "/inbox", FetchedAt: time.Now().UTC()}
		if err := st.UpsertRemoteActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		ours := "https://ours.example/users/hscleeds/follows/1"
		f := &model.Follow{FollowerID: w.org.ID, FolloweeID: a.ID, State: model.FollowPending, ActivityIRI: ours}
		if err := st.InsertFollow(ctx, st.DB, f); err != nil {
			t.Fatal(err)
		}
		s := w.server()
		// All four are recorded before the applier starts, so they make
		// one turn.
		receive(t, s, noteActivity(actor, "Create", 0, 0))
		wrong := noteActivity(actor, "Create", 1, 0)
		wrong["object"].(map[string]any)["attributedTo"] = "https://r.example/users/someone-else"
		receive(t, s, wrong)
		receive(t, s, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/accepts/1",
			"type": "Accept", "actor": actor, "object": ours})
		receive(t, s, noteActivity(actor, "Create", 2, 0))
		rows := applyAll(t, &Applier{Server: s, PollEvery: 10 * time.Millisecond}, func() {})
		want := []string{"ignored: not from an account followed here", "dropped: the object is attributed to",
			"applied: follow accepted", "applied: added to the timeline"}
		if len(rows) != len(want) {
			t.Fatalf("%d records, want %d", len(rows), len(want))
		}
		for i, r := range rows {
			if !strings.HasPrefix(r.Outcome, want[i]) {
				t.Errorf("%s: outcome %q, want %q…", r.ActivityIRI, r.Outcome, want[i])
			}
		}
		p, err := st.PostByIRI(ctx, actor+"/statuses/2")
		if err != nil || !p.InTimeline {
			t.Errorf("the post after the Accept: %+v, %v; want it on the timeline", p, err)
		}
		if _, err := st.PostByIRI(ctx, actor+"/statuses/0"); err == nil {
			t.Error("the post before the Accept was kept")
		}
	})
}
