package delivery

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// TestEnqueueWritesInboxesVerbatimInOrder: the recipients travel to the
// database as one array (Postgres) or JSON document (SQLite), so quotes,
// braces, commas and backslashes must come back as they went in, each
// inbox once, in the order given, and each host scheduled once with its
// seq bumped per activity.
func TestEnqueueWritesInboxesVerbatimInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newSender(t, st)
		// No dispatcher runs: the rows stay as queued.
		d := New(Config{Store: st, Log: slog.New(slog.DiscardHandler)})
		inboxes := []string{
			`http://b.test/inbox?x="q"&y={1,2}`,
			`http://a.test/users/o'brien/inbox`,
			`http://B.TEST:80/inbox\path`,
			`http://c.test/inbox?z=%22,NULL`,
			`http://a.test/inbox`,
		}
		wantHosts := []string{"b.test", "a.test", "b.test", "c.test", "a.test"}
		for n := range 2 {
			err := st.RunInTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
				return d.EnqueueTx(ctx, tx, s.actor, testActivity(n), false, inboxes)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var rows []outboxRow
		if err := st.DB.NewSelect().Model(&rows).OrderExpr("id").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2*len(inboxes) {
			t.Fatalf("%d rows queued, want %d", len(rows), 2*len(inboxes))
		}
		for i, r := range rows {
			j := i % len(inboxes)
			if r.Inbox != inboxes[j] || r.Host != wantHosts[j] {
				t.Errorf("row %d: %q on %q, want %q on %q", i, r.Inbox, r.Host, inboxes[j], wantHosts[j])
			}
			if r.CreatedAt.IsZero() || time.Since(r.CreatedAt) > time.Hour {
				t.Errorf("row %d: created at %v", i, r.CreatedAt)
			}
		}
		if rows[0].ActivityID == rows[len(inboxes)].ActivityID {
			t.Error("both activities share one outbox_activities row")
		}
		var hosts []outboxHost
		if err := st.DB.NewSelect().Model(&hosts).OrderExpr("host").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, h := range hosts {
			names = append(names, h.Host)
			if h.Seq != 2 || h.NextAt == nil {
				t.Errorf("host %s: seq %d, next_at %v; want seq 2 and due", h.Host, h.Seq, h.NextAt)
			}
		}
		if !slices.Equal(names, []string{"a.test", "b.test", "c.test"}) {
			t.Errorf("hosts scheduled: %v", names)
		}
	})
}
