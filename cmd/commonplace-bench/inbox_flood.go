package main

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
	"github.com/commonplace-social/commonplace/internal/model"
)

// inboxResult is what one flood measured.
type inboxResult struct {
	sent       int
	statuses   map[int]int
	failed     int   // requests with no answer
	firstErr   error // the first of those
	latencies  []time.Duration
	acceptedBy []int // 202s per serve process
	accepted   int

	acceptWall, applyWall time.Duration // from the first request to the last answer, and to the last applied
	applied               int
	appliedAll            bool
	acceptCPU, applyCPU   loadrig.CPUUse
	maxRSS                []int64
	onPage                int // flood notes on the timeline's first page at the end
}

// flood sends the pre-signed requests, o.inflight at a time, each from its
// source's own address, then waits until every accepted one is applied.
func flood(ctx context.Context, o inboxOptions, w *loadrig.World, reqs []sent) (*inboxResult, error) {
	env := w.Env
	clients := make([]*http.Client, len(w.Fleet.Remotes))
	for i, r := range w.Fleet.Remotes {
		clients[i] = r.Client(env.Servers[i%len(env.Servers)].Listen, o.inflight)
	}
	res := &inboxResult{sent: len(reqs), statuses: map[int]int{}, acceptedBy: make([]int, len(env.Servers))}
	latency := make([]time.Duration, len(reqs))
	status := make([]int, len(reqs))
	var mu sync.Mutex
	var next atomic.Int64
	sampler := loadrig.StartSampler(50*time.Millisecond, env.PIDs()...)
	cpu0 := w.MarkCPU(ctx)
	start := time.Now()
	var wg sync.WaitGroup
	for range o.inflight {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(reqs) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				t := time.Now()
				code, err := reqs[i].Do(ctx, clients[reqs[i].source])
				latency[i], status[i] = time.Since(t), code
				if err != nil {
					mu.Lock()
					if res.firstErr == nil {
						res.firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	res.acceptWall = time.Since(start)
	res.acceptCPU = w.MarkCPU(ctx).Since(cpu0)
	if ctx.Err() != nil {
		sampler.Stop()
		return nil, ctx.Err()
	}
	for i, code := range status {
		if code == 0 {
			res.failed++
			continue
		}
		res.statuses[code]++
		if code == http.StatusAccepted {
			res.accepted++
			res.acceptedBy[reqs[i].source%len(env.Servers)]++
			res.latencies = append(res.latencies, latency[i])
		}
	}
	err := waitApplied(ctx, o, env, res, start, cpu0)
	res.maxRSS = sampler.Stop()
	if err != nil {
		return nil, err
	}
	res.onPage, err = floodNotesOnPage(ctx, env.Servers[0].Base)
	return res, err
}

// waitApplied polls the database every 20 ms until as many flood notes are
// on the timeline as were accepted. "Applied" means visible on the pages:
// a remote post the timeline query shows (in the timeline, not deleted).
func waitApplied(ctx context.Context, o inboxOptions, env *loadrig.Env, res *inboxResult, start time.Time, cpu0 loadrig.CPUMark) error {
	deadline := time.Now().Add(o.timeout)
	for {
		n, err := env.Store.DB.NewSelect().Model((*model.Post)(nil)).
			Where("NOT local").Where("in_timeline").Where("deleted_at IS NULL").Count(ctx)
		if err != nil {
			return err
		}
		at := time.Now()
		res.applied = int(n)
		if res.applied >= res.accepted || at.After(deadline) {
			res.appliedAll = res.applied >= res.accepted
			res.applyWall, res.applyCPU = at.Sub(start), env.MarkCPU(ctx).Since(cpu0)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
