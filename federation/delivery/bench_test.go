package delivery

import (
	"context"
	"fmt"
	"testing"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// BenchmarkFanoutDeliver1000 is one activity to 1,000 followers with
// distinct inboxes on 10 loopback servers, through the dispatcher on
// SQLite: 1,000 queued rows, 1,000 RSA signatures, 1,000 verified POSTs.
// One op is the whole fan-out, from commit to last receipt. (Many hosts:
// BenchmarkFanoutHosts.)
func BenchmarkFanoutDeliver1000(b *testing.B) {
	const servers, perServer = 10, 100
	st := storetest.Open(b, store.SQLite)
	s := newSender(b, st)
	var receivers []*receiver
	for i := range servers {
		r := newReceiver(b, s)
		receivers = append(receivers, r)
		for j := range perServer {
			addFollower(b, st, s, fmt.Sprintf("s%du%d", i, j), r.inbox(fmt.Sprintf("/users/u%d/inbox", j)), "", model.FollowAccepted)
		}
	}
	posts := func() int {
		n := 0
		for _, r := range receivers {
			counts, bad := r.snapshot()
			if len(bad) > 0 {
				b.Fatalf("rejected deliveries: %v", bad[0])
			}
			for _, c := range counts {
				n += c
			}
		}
		return n
	}
	in := startInstance(b, st, instanceOpts{})

	b.ResetTimer()
	for i := range b.N {
		in.enqueue(b, s, testActivity(i), true)
		want := (i + 1) * servers * perServer
		eventually(b, 300e9, func() bool { return posts() >= want }, func() string { return fmt.Sprintf("%d of %d posts", posts(), want) })
	}
	b.ReportMetric(float64(b.N*servers*perServer)/b.Elapsed().Seconds(), "deliveries/s")
}

// BenchmarkDeliverOne is one delivery: "direct" is a legacy delivery
// job's own cost (host check, cached signer, per-host slot, RSA signature,
// POST to a verifying loopback server, host health), "queued" the whole
// way from commit through the wake-up, the dispatcher and the recording of
// the outcome.
func BenchmarkDeliverOne(b *testing.B) {
	st := storetest.Open(b, store.SQLite)
	s := newSender(b, st)
	r := newReceiver(b, s)
	in := startInstance(b, st, instanceOpts{})
	activity := testActivity(1)

	b.Run("direct", func(b *testing.B) {
		args := DeliverArgs{SenderID: s.actor.ID, Inbox: r.inbox("/direct"), Activity: activity}
		for b.Loop() {
			if err := in.d.deliver(context.Background(), args, attempt{number: 1, max: 1}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("queued", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n++
			in.enqueue(b, s, activity, false, r.inbox("/queued"))
			eventually(b, 60e9, func() bool { return len(r.got("/queued")) >= n }, func() string { return "not delivered" })
		}
	})
}
