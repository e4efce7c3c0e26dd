package instance_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Activities from one actor are applied in the order they arrived: a
// remote account accepts our organisation's Follow and at once sends
// posts, and every post counts as from a followed account, so it shows
// on the timeline rather than being ignored.
func TestOrderReceivedActivitiesApplyInArrivalOrder(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			const accounts, perAccount = 10, 3
			remotes := make([]*instancetest.Remote, accounts)
			follows := make([]map[string]any, accounts)
			for i := range remotes {
				remotes[i], follows[i] = followRemote(t, a, org, fmt.Sprintf("r%d", i))
			}
			for i, r := range remotes {
				accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.NewID("accepts"),
					"type": "Accept", "actor": r.ActorID, "object": follows[i]}
				if status, msg := r.Send(t, a.URL+"/inbox", accept); status != http.StatusAccepted {
					t.Fatalf("Accept: %d %s", status, msg)
				}
				for j := range perAccount {
					note := fmt.Sprintf("%s/statuses/%d", r.ActorID, j)
					create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": note + "/activity",
						"type": "Create", "actor": r.ActorID, "to": []any{"https://www.w3.org/ns/activitystreams#Public"},
						"object": map[string]any{"id": note, "type": "Note", "attributedTo": r.ActorID,
							"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "content": fmt.Sprintf("<p>Post %d</p>", j),
							"published": time.Now().UTC().Format(time.RFC3339)}}
					if status, msg := r.Send(t, a.URL+"/inbox", create); status != http.StatusAccepted {
						t.Fatalf("Create: %d %s", status, msg)
					}
				}
			}
			var outcomes []string
			instancetest.Eventually(t, wait, "every activity to be applied", func() bool {
				outcomes = nil
				err := a.Store.DB.NewSelect().Table("inbox_activities").Column("outcome").
					Where("type = 'Create'").Where("processed_at IS NOT NULL").Scan(bg, &outcomes)
				return err == nil && len(outcomes) == accounts*perAccount
			})
			for _, o := range outcomes {
				// A retried Create may find its post stored ("post updated").
				if !strings.HasPrefix(o, "applied") {
					t.Errorf("a Create sent right after its author's Accept was applied as %q", o)
				}
			}
			page, err := a.Store.Timeline(bg, store.TimelineFilter{}, nil, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Posts) != accounts*perAccount {
				t.Errorf("%d posts on the timeline, want %d", len(page.Posts), accounts*perAccount)
			}
		})
	}
}
