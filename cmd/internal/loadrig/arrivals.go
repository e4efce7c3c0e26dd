package loadrig

import (
	"context"
	"sync"
	"time"
)

// Arrivals tallies, across a fleet, how each object's Creates arrived:
// how many remotes have it, and when the first and the last of them first
// got it. A fleet shares one, so waiting for a fan-out costs one lock per
// delivery instead of a scan of every remote.
type Arrivals struct {
	mu      sync.Mutex
	objects map[string]*Spread
	changed chan struct{} // closed and replaced on every first arrival
}

// Spread is one object's arrivals across a fleet.
type Spread struct {
	Remotes    int       // remotes that got it at least once
	Deliveries int       // every delivery, repeats included
	First      time.Time // the earliest arrival
	Last       time.Time // the latest first arrival at a remote
}

func newArrivals() *Arrivals {
	return &Arrivals{objects: map[string]*Spread{}, changed: make(chan struct{})}
}

func (a *Arrivals) add(object string, firstHere bool, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.objects[object]
	if s == nil {
		s = &Spread{First: at}
		a.objects[object] = s
	}
	s.Deliveries++
	if firstHere {
		s.Remotes++
		if at.After(s.Last) {
			s.Last = at
		}
		close(a.changed)
		a.changed = make(chan struct{})
	}
}

// Of is the spread of object so far.
func (a *Arrivals) Of(object string) Spread {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s := a.objects[object]; s != nil {
		return *s
	}
	return Spread{}
}

// Wait blocks until object has reached want remotes, ctx ends or timeout
// passes, and reports whether it reached them all.
func (a *Arrivals) Wait(ctx context.Context, object string, want int, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		a.mu.Lock()
		reached, ch := 0, a.changed
		if s := a.objects[object]; s != nil {
			reached = s.Remotes
		}
		a.mu.Unlock()
		if reached >= want {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return false
		}
	}
}
