package loadrig

import (
	"sync"
	"time"
)

// Sampler reads processes' RSS every interval while a measurement runs, to
// report the largest it saw; CPU needs no sampling (Mark reads the totals).
type Sampler struct {
	pids []int
	stop chan struct{}
	done chan struct{}

	mu     sync.Mutex
	maxRSS []int64
	errs   int
}

// StartSampler begins sampling pids every interval.
func StartSampler(interval time.Duration, pids ...int) *Sampler {
	s := &Sampler{pids: pids, stop: make(chan struct{}), done: make(chan struct{}), maxRSS: make([]int64, len(pids))}
	go s.loop(interval)
	return s
}

func (s *Sampler) loop(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.sample()
		select {
		case <-s.stop:
			s.sample()
			return
		case <-t.C:
		}
	}
}

func (s *Sampler) sample() {
	for i, pid := range s.pids {
		p, err := ReadProc(pid)
		s.mu.Lock()
		if err != nil {
			s.errs++
		} else if p.RSS > s.maxRSS[i] {
			s.maxRSS[i] = p.RSS
		}
		s.mu.Unlock()
	}
}

// Stop ends the sampling and returns each process's largest RSS, in bytes.
func (s *Sampler) Stop() []int64 {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.maxRSS...)
}
