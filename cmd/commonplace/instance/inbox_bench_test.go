package instance_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// BenchmarkInboxVerifyAndRecord measures what a receiving instance does per
// delivery: parse and check the signature headers and Digest, verify the RSA
// signature with the (cached) sender key, parse the activity and record it
// once (in a commit shared with the deliveries arriving with it; the applier
// runs alongside), over real loopback HTTP. The requests are
// signed before the timer starts, so the sender's signing cost (about 1 ms
// each) is not counted. "parallel" sends from 8 connections at once.
func BenchmarkInboxVerifyAndRecord(b *testing.B) {
	for _, d := range storetest.Dialects {
		for _, conc := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/clients=%d", d, conc), func(b *testing.B) { benchInbox(b, d, conc) })
		}
	}
}

func benchInbox(b *testing.B, d store.Dialect, clients int) {
	// Production queue timings: a 20 ms test poll interval makes River's
	// job fetches contend with the inbox's inserts on PostgreSQL. The
	// per-host limit is off: one sender here stands for many.
	a := instancetest.StartConfigured(b, d, instance.Tuning{}, func(c *config.Config) { c.InboxRate = 0 })
	a.AddOrg(b, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
	alice := instancetest.NewRemote(b, instancetest.RemoteOptions{Username: "alice"})
	inbox := a.URL + "/inbox"
	like := func(i int) []byte {
		body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": fmt.Sprintf("%s/likes/%d-%d", alice.ActorID, b.N, i), "type": "Like", "actor": alice.ActorID,
			"object": a.URL + "/users/leedsth/posts/1"})
		return body
	}
	// The first delivery makes the instance fetch and store alice's key.
	if status, msg := alice.SendRaw(b, inbox, like(-1), nil); status != http.StatusAccepted {
		b.Fatalf("warm-up: %d %s", status, msg)
	}
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = alice.Signed(b, inbox, like(i))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var next atomic.Int64
	var failed atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(reqs)) {
					return
				}
				resp, err := client.Do(reqs[i])
				if err != nil || resp.StatusCode != http.StatusAccepted {
					failed.Add(1)
				}
				if resp != nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d deliveries were not accepted", n, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}
