package delivery

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
	"github.com/commonplace-social/commonplace/migrations"
)

// migrationSteps reads one migration's statements.
func migrationSteps(t *testing.T, st *store.Store, name string) []string {
	t.Helper()
	files := migrations.SQLite()
	if st.Dialect == store.Postgres {
		files = migrations.Postgres()
	}
	b, err := fs.ReadFile(files, name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(b), "--bun:split")
}

func execAll(t *testing.T, st *store.Store, steps []string) {
	t.Helper()
	for _, q := range steps {
		if _, err := st.DB.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Deliveries pending when the database is upgraded, each row carrying its
// whole activity, are carried over: the activity stored once, its rows
// pointing at it, and each host due; the dispatcher then sends them in
// their old order.
func TestUpgradeCarriesPendingDeliveriesOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		const name = "20261210000010_outbox_activities"
		execAll(t, st, migrationSteps(t, st, name+".tx.down.sql"))
		s := newSender(t, st)
		r := newReceiver(t, s)
		host, err := inboxHost(r.inbox("/inbox"))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		old := []struct{ inbox, activity string }{
			{r.inbox("/inbox"), string(verbActivity("Create", 1))},
			{r.inbox("/users/x/inbox"), string(verbActivity("Create", 1))},
			{r.inbox("/inbox"), string(verbActivity("Update", 1))},
		}
		for _, o := range old {
			if _, err := st.DB.NewRaw(`INSERT INTO outbox_deliveries (host, inbox, sender_id, activity, created_at)
				VALUES (?, ?, ?, ?, ?)`, host, o.inbox, s.actor.ID, o.activity, now).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		execAll(t, st, migrationSteps(t, st, name+".tx.up.sql"))

		var acts []outboxActivity
		if err := st.DB.NewSelect().Model(&acts).OrderExpr("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(acts) != 2 {
			t.Fatalf("%d activities after the upgrade, want 2", len(acts))
		}
		var rows []outboxRow
		if err := st.DB.NewSelect().Model(&rows).OrderExpr("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		byID := map[int64]string{acts[0].ID: acts[0].Activity, acts[1].ID: acts[1].Activity}
		for i, row := range rows {
			if row.Inbox != old[i].inbox || byID[row.ActivityID] != old[i].activity {
				t.Errorf("row %d: %s %q, want %s %q", i, row.Inbox, byID[row.ActivityID], old[i].inbox, old[i].activity)
			}
		}

		in := startInstance(t, st, instanceOpts{})
		in.waitDrained(t, 60*time.Second)
		got := r.arrivals(t, "/inbox", "/users/x/inbox")
		want := []string{"http://sender.test/activities/Create-1", "http://sender.test/activities/Create-1", "http://sender.test/activities/Update-1"}
		if !slices.Equal(got, want) {
			t.Errorf("after the upgrade, arrived %v, want %v", got, want)
		}
	})
}
