package delivery

import (
	"context"
	"sync"
)

// perHostConcurrency bounds the POSTs in flight from this process to one
// host, so a big fan-out to one server does not look like an attack and a
// slow server cannot take every worker.
const perHostConcurrency = 4

// hostLimiter is a counting semaphore per host. A host's entry exists only
// while someone holds or waits for one of its slots.
type hostLimiter struct {
	perHost int

	mu    sync.Mutex
	hosts map[string]*hostSlots
}

type hostSlots struct {
	sem   chan struct{}
	users int // holders and waiters; the entry is dropped at zero
}

func newHostLimiter(perHost int) *hostLimiter {
	return &hostLimiter{perHost: perHost, hosts: make(map[string]*hostSlots)}
}

// acquire waits for a slot for host until ctx is done. The returned
// release must be called exactly once.
func (l *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	s := l.hosts[host]
	if s == nil {
		s = &hostSlots{sem: make(chan struct{}, l.perHost)}
		l.hosts[host] = s
	}
	s.users++
	l.mu.Unlock()

	select {
	case s.sem <- struct{}{}:
		return func() {
			<-s.sem
			l.leave(host, s)
		}, nil
	case <-ctx.Done():
		l.leave(host, s)
		return nil, ctx.Err()
	}
}

func (l *hostLimiter) leave(host string, s *hostSlots) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.users--; s.users == 0 {
		delete(l.hosts, host)
	}
}

// tracked counts the hosts with an entry, for tests of the clean-up.
func (l *hostLimiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hosts)
}
