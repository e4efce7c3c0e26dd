package accounts

import (
	"sync"
	"time"
)

// Limiter slows password guessing without letting a guesser lock anyone
// out. Failures count against the pair of client address and email, with
// a wait from the PairFree-th on that doubles with each further one: someone guessing at an
// account from elsewhere never slows its owner, who logs in from their own
// address. A looser count per address, in fixed windows, stops one address
// from trying a few passwords on each of many accounts.
//
// It lives in memory: a restart forgets it, and each server process of a
// cluster counts on its own, which still caps guessing at a small multiple.
type Limiter struct {
	PairFree    int           // failures a pair may make before it must wait
	BackoffBase time.Duration // the wait after PairFree failures; doubled after each further one
	BackoffMax  time.Duration // the longest wait
	Remember    time.Duration // a quiet pair's failures are forgotten after this
	AddrMax     int           // failures one address may make in AddrWindow
	AddrWindow  time.Duration
	Now         func() time.Time // for tests; time.Now when nil

	mu    sync.Mutex
	pairs map[pairKey]pairState
	addrs map[string]window
}

type pairKey struct{ addr, email string }

type pairState struct {
	fails int
	last  time.Time
}

type window struct {
	start time.Time
	n     int
}

// maxTracked bounds each map; past it, entries that no longer hold anyone
// back are dropped first.
const maxTracked = 10_000

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Wait returns how long the address must wait before trying this email
// again; zero means it may try now. Call it before checking the password,
// so refused attempts cost no hashing.
func (l *Limiter) Wait(addr, email string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	if p, ok := l.pairs[pairKey{addr, email}]; ok {
		wait = max(wait, p.last.Add(l.backoff(p.fails)).Sub(now))
	}
	if w, ok := l.addrs[addr]; ok && w.n >= l.AddrMax {
		wait = max(wait, w.start.Add(l.AddrWindow).Sub(now))
	}
	return max(wait, 0)
}

// Fail counts a wrong password from addr for email.
func (l *Limiter) Fail(addr, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.pairs == nil {
		l.pairs, l.addrs = map[pairKey]pairState{}, map[string]window{}
	}
	if len(l.pairs) >= maxTracked || len(l.addrs) >= maxTracked {
		l.sweep(now)
	}
	k := pairKey{addr, email}
	p := l.pairs[k]
	if now.Sub(p.last) >= l.Remember {
		p.fails = 0
	}
	p.fails++
	p.last = now
	l.pairs[k] = p
	w := l.addrs[addr]
	if now.Sub(w.start) >= l.AddrWindow {
		w = window{start: now}
	}
	w.n++
	l.addrs[addr] = w
}

// Succeed forgets the pair's failures after a correct password. The
// address's count stays: one account of its own must not let an address
// reset its guessing at others.
func (l *Limiter) Succeed(addr, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.pairs, pairKey{addr, email})
}

// backoff is the wait after the given number of failures.
func (l *Limiter) backoff(fails int) time.Duration {
	over := fails - l.PairFree
	if over < 0 {
		return 0
	}
	if over > 30 {
		return l.BackoffMax
	}
	return min(l.BackoffBase<<over, l.BackoffMax)
}

// sweep drops what is forgotten; if a flood still fills a map, it drops
// entries that are not making anyone wait right now.
func (l *Limiter) sweep(now time.Time) {
	// Decided once, not per entry: trimming only down to the limit would
	// sweep again on the very next failure.
	pairsFull, addrsFull := len(l.pairs) >= maxTracked, len(l.addrs) >= maxTracked
	for k, p := range l.pairs {
		if now.Sub(p.last) >= l.Remember || (pairsFull && !now.Before(p.last.Add(l.backoff(p.fails)))) {
			delete(l.pairs, k)
		}
	}
	for k, w := range l.addrs {
		if now.Sub(w.start) >= l.AddrWindow || (addrsFull && w.n < l.AddrMax) {
			delete(l.addrs, k)
		}
	}
}
