package loadrig

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
)

// Floor is the signing floor: how long this machine needs just to make K
// RSA-2048 signatures of deliveries, on all cores, through the signing code
// our server uses (httpsign). A fan-out of K deliveries cannot end sooner.
type Floor struct {
	K       int
	Workers int
	Elapsed time.Duration
	CPU     time.Duration // this process's CPU while signing
}

// PerSecond is the signatures a second at the floor.
func (f Floor) PerSecond() float64 { return float64(f.K) / f.Elapsed.Seconds() }

// Ratio is d as a multiple of the floor.
func (f Floor) Ratio(d time.Duration) float64 { return d.Seconds() / f.Elapsed.Seconds() }

// SigningFloor signs k POSTs of a bodyLen-byte body, to k distinct inboxes,
// on GOMAXPROCS goroutines, and times it. The requests are built before the
// clock starts; only Sign is timed, as only signing is the floor.
func SigningFloor(ctx context.Context, pair keys.Pair, k, bodyLen int) (Floor, error) {
	signer, err := httpsign.NewSigner("http://127.0.0.1/users/floor#main-key", pair.PrivatePEM)
	if err != nil {
		return Floor{}, err
	}
	body := bytes.Repeat([]byte("x"), bodyLen)
	reqs := make([]*http.Request, k)
	for i := range reqs {
		u := fmt.Sprintf("http://%s/inbox", LoopbackIP(1, i))
		if reqs[i], err = http.NewRequest(http.MethodPost, u, nil); err != nil {
			return Floor{}, fmt.Errorf("floor request: %w", err)
		}
		reqs[i].Header.Set("Content-Type", "application/activity+json")
	}
	// One signature first, so no one-time set-up is timed.
	if err := signer.Sign(reqs[0].Clone(ctx), body); err != nil {
		return Floor{}, err
	}
	workers := runtime.GOMAXPROCS(0)
	var next atomic.Int64
	var firstErr atomic.Pointer[error]
	var wg sync.WaitGroup
	cpu0, start := SelfCPU(), time.Now()
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(k) && ctx.Err() == nil; i = next.Add(1) - 1 {
				if err := signer.Sign(reqs[i], body); err != nil {
					firstErr.CompareAndSwap(nil, &err)
					return
				}
			}
		})
	}
	wg.Wait()
	f := Floor{K: k, Workers: workers, Elapsed: time.Since(start), CPU: SelfCPU() - cpu0}
	if p := firstErr.Load(); p != nil {
		return f, fmt.Errorf("signing floor: %w", *p)
	}
	return f, ctx.Err()
}

// BestFloor is the fastest of tries floors: on a shared machine the floor
// measures what the machine can do, so the run least disturbed is nearest.
func BestFloor(ctx context.Context, pair keys.Pair, k, bodyLen, tries int) (Floor, error) {
	var best Floor
	for i := range max(tries, 1) {
		f, err := SigningFloor(ctx, pair, k, bodyLen)
		if err != nil {
			return f, err
		}
		if i == 0 || f.Elapsed < best.Elapsed {
			best = f
		}
	}
	return best, nil
}
