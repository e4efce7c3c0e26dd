package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Every statement the inbox's group commit and the applier send is planned
// with an index on a realistically sized database, with tens of thousands
// of processed activities kept for recognising repeats and a backlog
// waiting: none reads the whole table.
func TestInboxApplierQueriesUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 50,000 rows")
	}
	s, _, rec := realisticStore(t)
	var rows []*model.InboxActivity
	for i := range 200 {
		rows = append(rows, inboxRow(fmt.Sprintf("https://r%d.example/users/u", i%20), fmt.Sprint("backlog-", i)))
	}
	var pending []store.PendingActivity
	paths := []planPath{
		{"Group commit", func() error {
			return s.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				_, err := s.RecordInboxActivities(ctx, tx, rows)
				return err
			})
		}},
		{"Scan and lease", func() error {
			var err error
			if pending, err = s.ScanInboxActivities(ctx, "p1", 0, 512); err != nil {
				return err
			}
			if _, err := s.ScanInboxActivities(ctx, "p1", pending[len(pending)/2].ID, 512); err != nil {
				return err
			}
			if _, err = s.LeaseInboxActors(ctx, "p1", []string{pending[0].ActorIRI, pending[1].ActorIRI}, time.Minute); err != nil {
				return err
			}
			_, err = s.PendingInboxActivitiesOf(ctx, []string{pending[0].ActorIRI, pending[1].ActorIRI}, pending[len(pending)-1].ID)
			return err
		}},
		{"Bodies, renewal, outcomes, backlog", func() error {
			if _, err := s.InboxActivityBodies(ctx, []int64{pending[0].ID, pending[1].ID}); err != nil {
				return err
			}
			if err := s.RenewInboxLeases(ctx, "p1", []string{pending[0].ActorIRI}, time.Minute); err != nil {
				return err
			}
			err := s.FinishInboxActivities(ctx, "p1", store.InboxFinish{
				Done:      []store.InboxOutcome{{ID: pending[0].ID, Outcome: "applied"}},
				Postponed: []store.InboxPostponement{{ID: pending[1].ID, ActorIRI: pending[1].ActorIRI, Attempts: 1, Next: time.Now()}},
				Release:   []string{pending[0].ActorIRI}})
			if err != nil {
				return err
			}
			_, err = s.CountPendingInboxActivities(ctx)
			return err
		}},
	}
	checkPaths(t, s, rec, paths)
}
