package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// BenchmarkEnqueueFollowers is the publishing side of a fan-out alone: one
// committed transaction queueing an activity to K followers, each on a
// host of its own, with no dispatcher running. It is what a post's author
// waits for, and what delays the first delivery; its cost per follower
// should not grow with K.
//
//	go test -run '^$' -bench BenchmarkEnqueueFollowers -benchtime 20x ./federation/delivery/
func BenchmarkEnqueueFollowers(b *testing.B) { perDialectAndSize(b, "followers", benchEnqueue) }

func benchEnqueue(b *testing.B, d store.Dialect, k int) {
	st := storetest.Open(b, d)
	s := newSender(b, st)
	inboxes := make([]string, k)
	for i := range inboxes {
		inboxes[i] = fmt.Sprintf("http://127.%d.%d.%d:8080/inbox", 1+i>>16, i>>8&255, i&255)
	}
	addFollowersBulk(b, st, s, inboxes)
	dl := New(Config{Store: st, Log: slog.New(slog.DiscardHandler)})
	queries := &queryCounter{}
	st.DB.AddQueryHook(queries)
	q0 := queries.n.Load()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		err := st.RunInTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
			return dl.EnqueueTx(ctx, tx, s.actor, testActivity(i), true, nil)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*k), "µs/follower")
	b.ReportMetric(float64(queries.n.Load()-q0)/float64(b.N), "queries/op")
}
