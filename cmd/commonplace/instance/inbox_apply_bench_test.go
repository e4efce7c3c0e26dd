package instance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
	"github.com/commonplace-social/commonplace/internal/wake"
)

// BenchmarkInboxApply measures the applier alone: b.N public Creates from
// 200 followed remote actors are recorded straight into the inbox table
// (in commits of 64, as the inbox's group commit would), and the clock runs
// until every one is applied and on the timeline. No
// network, no signatures: what it measures is reading the records,
// storing the posts and recording the outcomes. Its figure is applied/s.
func BenchmarkInboxApply(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) { benchApply(b, d) })
	}
}

func benchApply(b *testing.B, d store.Dialect) {
	const actors = 200
	bg := context.Background()
	a := instancetest.StartConfigured(b, d, instance.Tuning{}, func(c *config.Config) { c.InboxRate = 0 })
	org := a.AddOrg(b, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
	ids := make([]string, actors)
	for i := range ids {
		id := fmt.Sprintf("https://r%d.example/users/u%d", i, i)
		r := &model.Actor{Username: fmt.Sprintf("u%d", i), Host: fmt.Sprintf("r%d.example", i), IRI: id,
			Type: model.ActorPerson, Inbox: id + "/inbox", FetchedAt: time.Now().UTC()}
		if err := a.Store.UpsertRemoteActor(bg, r); err != nil {
			b.Fatal(err)
		}
		f := &model.Follow{FollowerID: org.ID, FolloweeID: r.ID, State: model.FollowAccepted, ActivityIRI: id + "#followed"}
		if err := a.Store.InsertFollow(bg, a.Store.DB, f); err != nil {
			b.Fatal(err)
		}
		ids[i] = id
	}
	rows := make([]*model.InboxActivity, b.N)
	for i := range rows {
		actor := ids[i%actors]
		note := fmt.Sprintf("%s/statuses/%d-%d", actor, b.N, i)
		public := []any{"https://www.w3.org/ns/activitystreams#Public"}
		body, err := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": note + "/activity", "type": "Create", "actor": actor, "to": public,
			"object": map[string]any{"id": note, "type": "Note", "attributedTo": actor, "to": public,
				"content": fmt.Sprintf("<p>Applied note %d</p>", i), "published": "2026-11-30T10:00:00Z"}})
		if err != nil {
			b.Fatal(err)
		}
		rows[i] = &model.InboxActivity{ActivityIRI: note + "/activity", Type: "Create", ActorIRI: actor, Raw: string(body)}
	}
	before := countTimeline(b, a.Store)
	b.ResetTimer()
	// Recorded as the inbox would, a wake-up after each commit; recording
	// takes a small part of the time.
	for start := 0; start < len(rows); start += 64 {
		err := a.Store.RunInTx(bg, func(ctx context.Context, tx bun.Tx) error {
			_, err := a.Store.RecordInboxActivities(ctx, tx, rows[start:min(start+64, len(rows))])
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		a.Wake.Notify(wake.Inbox)
	}
	for {
		n, err := a.Store.CountPendingInboxActivities(bg)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	if got := countTimeline(b, a.Store) - before; got != b.N {
		b.Fatalf("%d posts on the timeline after applying %d Creates", got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applied/s")
}

func countTimeline(b *testing.B, st *store.Store) int {
	n, err := st.DB.NewSelect().Table("posts").Where("in_timeline").Count(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return int(n)
}
