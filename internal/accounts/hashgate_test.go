package accounts

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// With every slot taken, a check waits only as long as its request, then
// reports ErrBusy instead of adding another 19 MiB.
func TestGateGivesUpWithTheRequest(t *testing.T) {
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	defer func() {
		for range cap(hashSlots) {
			<-hashSlots
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err := gated(ctx, func() { ran = true })
	if !errors.Is(err, ErrBusy) || ran {
		t.Fatalf("gated with no free slot: %v, ran=%v", err, ran)
	}
	if _, err := verifyPassword(ctx, "x", dummyHash); !errors.Is(err, ErrBusy) {
		t.Fatalf("verifyPassword with no free slot: %v", err)
	}
}

func TestGateBoundsConcurrency(t *testing.T) {
	var running, peak atomic.Int64
	var wg sync.WaitGroup
	for range 5 * cap(hashSlots) {
		wg.Go(func() {
			err := gated(context.Background(), func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > int64(cap(hashSlots)) || p < 1 {
		t.Errorf("peak %d with %d slots", p, cap(hashSlots))
	}
}
