package accounts

import (
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// ErrBusy is returned when a password could not be checked because too many
// were being checked already; the request may be tried again shortly.
var ErrBusy = errors.New("accounts: too many passwords being checked at once")

// hashWait is the longest a login waits for an argon2 slot: past it, the
// visitor is better told to retry than kept on a hanging page.
const hashWait = 10 * time.Second

// hashSlots bounds concurrent argon2 computations. Each one takes ~19 MiB
// for its duration, so a burst of logins would otherwise cost memory in
// proportion to the burst; twice GOMAXPROCS keeps every core busy.
var hashSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

// MaxConcurrentHashes is how many argon2 computations may run at once.
func MaxConcurrentHashes() int { return cap(hashSlots) }

// HashStats counts argon2 computations in this process, for tests that
// check that refused logins cost nothing and that the bound holds.
type HashStats struct {
	Total, Running, Peak int64
}

var hashStats struct{ total, running, peak atomic.Int64 }

// PasswordHashes reports the argon2 computations so far.
func PasswordHashes() HashStats {
	return HashStats{Total: hashStats.total.Load(), Running: hashStats.running.Load(), Peak: hashStats.peak.Load()}
}

// gated runs fn, one argon2 computation, once a slot is free. It gives up
// with ErrBusy when ctx ends or hashWait passes first.
func gated(ctx context.Context, fn func()) error {
	wait := time.NewTimer(hashWait)
	defer wait.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return errors.Join(ErrBusy, ctx.Err())
	case <-wait.C:
		return ErrBusy
	}
	defer func() { <-hashSlots }()
	hashStats.total.Add(1)
	n := hashStats.running.Add(1)
	defer func() {
		if hashStats.running.Add(-1) == 0 {
			go releaseHashMemory()
		}
	}()
	for p := hashStats.peak.Load(); n > p && !hashStats.peak.CompareAndSwap(p, n); p = hashStats.peak.Load() {
	}
	fn()
	return nil
}

// releaseHashMemory hands the argon2 scratch memory back to the system once
// the last running hash is done. Left to the garbage collector, 19 MiB per
// concurrent login (the heap target doubles past it) stayed resident for
// minutes on an idle server, twice what the server needs otherwise. A
// collection of the small heap left costs far less than the hash did.
func releaseHashMemory() {
	if hashStats.running.Load() == 0 {
		debug.FreeOSMemory()
	}
}
