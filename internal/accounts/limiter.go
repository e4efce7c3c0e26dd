package accounts

import (
	"sync"
	"time"
)

// Limiter counts failures per key (an IP address, an email) in fixed
// windows, to slow down password guessing. It lives in memory: a restart
// forgets it, and each server process of a cluster counts on its own, which
// still caps guessing at a small multiple of the limit.
type Limiter struct {
	Max    int
	Window time.Duration
	Now    func() time.Time // for tests; time.Now when nil

	mu   sync.Mutex
	hits map[string]window
}

type window struct {
	start time.Time
	n     int
}

// NewLimiter allows max failures per key in each window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window}
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Blocked reports whether any of the keys has used up its failures.
func (l *Limiter) Blocked(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		if w, ok := l.hits[k]; ok && now.Sub(w.start) < l.Window && w.n >= l.Max {
			return true
		}
	}
	return false
}

// Fail counts one failure against each key.
func (l *Limiter) Fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.hits == nil {
		l.hits = map[string]window{}
	}
	if len(l.hits) > 10_000 {
		l.sweep(now)
	}
	for _, k := range keys {
		w := l.hits[k]
		if now.Sub(w.start) >= l.Window {
			w = window{start: now}
		}
		w.n++
		l.hits[k] = w
	}
}

// Reset forgets a key's failures, after a successful login.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

// sweep drops finished windows so the map stays small under a flood.
func (l *Limiter) sweep(now time.Time) {
	for k, w := range l.hits {
		if now.Sub(w.start) >= l.Window {
			delete(l.hits, k)
		}
	}
}
