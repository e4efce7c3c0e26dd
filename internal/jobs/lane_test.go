package jobs_test

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// The lane protocol: an append finds out whether it needs a job; a holder
// cannot let go of a lane that grew since it looked; a lane held by a job
// that is no longer live can be taken over.
func TestLaneHoldsAndHandsOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, st); err != nil {
			t.Fatal(err)
		}
		q, err := jobs.New(st, jobs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		const lane jobs.Lane = "test"
		appended := func(keys ...string) []string {
			t.Helper()
			var idle []string
			if err := st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				idle, err = lane.AppendedTx(ctx, tx, keys)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return idle
		}
		job := func() int64 { // a live (available) job
			t.Helper()
			res, err := q.Client().Insert(ctx, pingArgs{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return res.Job.ID
		}
		claim := func(key string, id int64) (int64, bool) {
			t.Helper()
			seq, held, err := lane.Claim(ctx, st.DB, key, id)
			if err != nil {
				t.Fatal(err)
			}
			return seq, held
		}
		release := func(key string, id, seq int64) bool {
			t.Helper()
			ok, err := lane.Release(ctx, st.DB, key, id, seq)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}

		if idle := appended("b", "a", "b"); !slices.Equal(idle, []string{"a", "b"}) {
			t.Fatalf("unheld lanes %v, want a and b", idle)
		}
		j, k := job(), job()
		seq, held := claim("a", j)
		if !held {
			t.Fatal("an unheld lane was not claimed")
		}
		if _, held := claim("a", k); held {
			t.Fatal("a lane held by a live job was taken")
		}
		if idle := appended("a", "b"); !slices.Equal(idle, []string{"b"}) {
			t.Fatalf("unheld lanes %v, want only b", idle)
		}
		if release("a", j, seq) {
			t.Fatal("released a lane appended to since it was claimed")
		}
		seq2, held := claim("a", j)
		if !held || seq2 <= seq {
			t.Fatalf("re-claim: held %v, seq %d after %d", held, seq2, seq)
		}
		if !release("a", j, seq2) {
			t.Fatal("could not release an unchanged lane")
		}
		if idle := appended("a"); !slices.Equal(idle, []string{"a"}) {
			t.Fatalf("a released lane is still held: %v", idle)
		}

		// A holder that is no longer live (here deleted, as River's cleaner
		// does with finished jobs) holds nothing.
		if _, held := claim("a", j); !held {
			t.Fatal("not claimed")
		}
		if _, err := q.Client().JobDelete(ctx, j); err != nil {
			t.Fatal(err)
		}
		if idle := appended("a"); !slices.Equal(idle, []string{"a"}) {
			t.Fatalf("a lane held by a gone job counts as held: %v", idle)
		}
		if _, held := claim("a", k); !held {
			t.Fatal("a lane held by a gone job could not be taken over")
		}
	})
}
