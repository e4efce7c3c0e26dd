package wake

import (
	"context"
	"os"
	"time"
)

// walWatchEvery is how often the SQLite write-ahead log is looked at. A
// stat is a few microseconds, so checking 50 times a second costs nothing
// measurable, and it bounds how late a CLI command's work is noticed: a
// post published by `commonplace publish` starts out to its followers
// 10 ms after its commit on average (25 ms at the 50 ms this once was).
const walWatchEvery = 20 * time.Millisecond

// watchWAL wakes every subscriber whenever the write-ahead log changes
// (size or modification time), until ctx ends. Every commit on the file,
// by any process, appends to the log, so another process's commit wakes
// the workers here. This process's own commits do too, which only adds a
// wake-up that coalesces with the one its NotifyTx already gave.
func (h *Hub) watchWAL(ctx context.Context, wal string) {
	t := time.NewTicker(walWatchEvery)
	defer t.Stop()
	var lastSize int64
	var lastMod time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fi, err := os.Stat(wal)
		if err != nil {
			continue // no log yet (or it was just checkpointed away)
		}
		if fi.Size() == lastSize && fi.ModTime().Equal(lastMod) {
			continue
		}
		first := lastMod.IsZero()
		lastSize, lastMod = fi.Size(), fi.ModTime()
		if !first {
			h.notifyAll()
		}
	}
}

// notifyAll wakes the subscribers of every channel.
func (h *Hub) notifyAll() {
	h.mu.Lock()
	channels := make([]string, 0, len(h.subs))
	for c := range h.subs {
		channels = append(channels, c)
	}
	h.mu.Unlock()
	for _, c := range channels {
		h.Notify(c)
	}
}
