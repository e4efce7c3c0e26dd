package instance_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/federation"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// An activity recorded and queued as an apply job by a version before the
// applier (as an upgraded database holds them) is still applied, once,
// and its old job completes without error.
func TestInboxAppliesActivitiesQueuedBeforeTheApplier(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			bg := context.Background()
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
			// Alice is known, as she would be after her first delivery.
			if _, err := a.Fetcher.FetchActor(bg, alice.ActorID); err != nil {
				t.Fatal(err)
			}
			follow := alice.Follow(a.URL + "/users/leedsth")
			body, err := json.Marshal(follow)
			if err != nil {
				t.Fatal(err)
			}
			row := &model.InboxActivity{ActivityIRI: follow["id"].(string), Type: "Follow", ActorIRI: alice.ActorID, Raw: string(body)}
			if _, err := a.Store.RecordInboxActivity(bg, a.Store.DB, row); err != nil {
				t.Fatal(err)
			}
			if err := a.Queue.Insert(bg, federation.ApplyArgs{InboxActivityID: row.ID}, nil); err != nil {
				t.Fatal(err)
			}
			instancetest.Eventually(t, wait, "the Follow to be applied and its old job to complete", func() bool {
				var state string
				err := a.Store.DB.NewSelect().Table("river_job").Column("state").Where("kind = ?", "inbox_apply").Scan(bg, &state)
				got, rerr := a.Store.InboxActivity(bg, row.ID)
				return err == nil && rerr == nil && state == "completed" && !got.ProcessedAt.IsZero()
			})
			got, err := a.Store.InboxActivity(bg, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != "applied: follow accepted" {
				t.Errorf("outcome %q", got.Outcome)
			}
			if c, err := a.Store.CountFollows(bg, org.ID); err != nil || c.Followers != 1 {
				t.Errorf("followers %+v (%v), want 1", c, err)
			}
		})
	}
}
