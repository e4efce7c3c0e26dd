package federation

import (
	"context"
	"sync"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/wake"
)

// wakeInbox is the channel on which recorded activities wake the applier.
const wakeInbox = wake.Inbox

// Waker wakes workers when work is waiting; *wake.Hub is the one serve
// uses (LISTEN/NOTIFY across processes on PostgreSQL).
type Waker interface {
	Subscribe(channel string) <-chan struct{}
	Notify(channel string)
	NotifyTx(ctx context.Context, db bun.IDB, channel string) error
}

// localWaker wakes subscribers in this process only. It stands in when the
// Server has no Waker (tests that build a Server by hand); the applier then
// finds other processes' work on its timer.
type localWaker struct {
	mu   sync.Mutex
	subs map[string][]chan struct{}
}

func (w *localWaker) Subscribe(channel string) <-chan struct{} {
	c := make(chan struct{}, 1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.subs == nil {
		w.subs = map[string][]chan struct{}{}
	}
	w.subs[channel] = append(w.subs[channel], c)
	return c
}

func (w *localWaker) Notify(channel string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.subs[channel] {
		select {
		case c <- struct{}{}:
		default: // one is already pending
		}
	}
}

// NotifyTx wakes at once; the caller wakes again after its commit.
func (w *localWaker) NotifyTx(context.Context, bun.IDB, string) error { return nil }

func (s *Server) waker() Waker {
	if s.Wake != nil {
		return s.Wake
	}
	return s.inboxState.init().local
}
