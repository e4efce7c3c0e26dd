package delivery

import (
	"sync"
	"time"
)

const (
	// slowAfter slow batches in a row make a host consistently slow: it
	// then gets one POST at a time and a pause after each, growing by
	// slowPause per further slow batch up to maxSlowPause, so that it
	// neither holds this process's slots nor gets hammered.
	slowAfter    = 3
	slowPause    = 10 * time.Second
	maxSlowPause = 5 * time.Minute
	// maxPaced bounds the hosts remembered; the oldest are forgotten.
	maxPaced = 10_000
)

// pace remembers, per host, how many batches in a row answered slowly.
// It is per process: a host's pause is written to outbox_hosts, so every
// process honours it, but the count starts afresh elsewhere.
type pace struct {
	slowAnswer time.Duration // a POST taking longer is slow

	mu   sync.Mutex
	slow map[string]paceEntry
}

type paceEntry struct {
	streak int
	at     time.Time
}

func newPace(slowAnswer time.Duration) *pace {
	return &pace{slowAnswer: slowAnswer, slow: make(map[string]paceEntry)}
}

// concurrency is how many POSTs a host may have in flight at once.
func (p *pace) concurrency(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.slow[host].streak >= slowAfter {
		return 1
	}
	return perHostConcurrency
}

// observe notes how long a host's batch took at worst and returns how long
// the host should now pause (zero: not at all).
func (p *pace) observe(host string, slowest time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if slowest < p.slowAnswer {
		delete(p.slow, host)
		return 0
	}
	e := p.slow[host]
	e.streak++
	e.at = time.Now()
	if len(p.slow) >= maxPaced {
		p.forgetOldest()
	}
	p.slow[host] = e
	if e.streak < slowAfter {
		return 0
	}
	return min(time.Duration(e.streak-slowAfter+1)*slowPause, maxSlowPause)
}

func (p *pace) forgetOldest() {
	var oldest string
	var at time.Time
	for h, e := range p.slow {
		if oldest == "" || e.at.Before(at) {
			oldest, at = h, e.at
		}
	}
	delete(p.slow, oldest)
}
