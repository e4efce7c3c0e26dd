package delivery

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

const (
	// activityCacheSize is how many activities are kept in memory before
	// ones not used for activityIdle are let go.
	activityCacheSize = 1024
	activityIdle      = time.Minute
)

// errActivityGone marks a delivery whose activity row no longer exists.
var errActivityGone = errors.New("queued activity not found")

func errNoActivity(err error) bool { return errors.Is(err, errActivityGone) }

// activityCache holds the queued activities being sent, read once each
// however many inboxes they go to.
type activityCache struct {
	db *bun.DB
	// warm reads a sender's key after an activity of theirs was loaded,
	// once for all its deliveries rather than in each.
	warm func(ctx context.Context, senderID int64, after time.Time)

	mu      sync.Mutex
	entries map[int64]*activityEntry
}

// activityEntry is filled in once; ready is closed when it is.
type activityEntry struct {
	ready    chan struct{}
	senderID int64
	body     []byte
	err      error
	used     time.Time
	// loadedAt is just after the row was read, so after the transaction
	// that queued it committed: its sender's key must be read after this.
	loadedAt time.Time
}

func newActivityCache(db *bun.DB, warm func(context.Context, int64, time.Time)) *activityCache {
	return &activityCache{db: db, warm: warm, entries: make(map[int64]*activityEntry)}
}

// get returns activity id, reading it if no one has.
func (c *activityCache) get(ctx context.Context, id int64) (*activityEntry, error) {
	c.mu.Lock()
	e, ok := c.entries[id]
	if ok {
		e.used = time.Now()
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, fmt.Errorf("activity %d: %w", id, ctx.Err())
		}
		if e.err != nil {
			return nil, e.err
		}
		return e, nil
	}
	c.mu.Unlock()
	loaded, err := c.load(ctx, map[int64]bool{id: true})
	if err != nil {
		return nil, err
	}
	if e = loaded[id]; e == nil { // someone else was reading it meanwhile
		return c.get(ctx, id)
	}
	if e.err != nil {
		return nil, e.err
	}
	return e, nil
}

// preload reads the activities among ids not yet held, in one query.
// A failed read is not kept: the next get tries again.
func (c *activityCache) preload(ctx context.Context, ids map[int64]bool) error {
	_, err := c.load(ctx, ids)
	return err
}

// load is preload, returning the entries it read (or failed to).
func (c *activityCache) load(ctx context.Context, ids map[int64]bool) (map[int64]*activityEntry, error) {
	c.mu.Lock()
	c.evict()
	var missing []int64
	mine := make(map[int64]*activityEntry)
	for id := range ids {
		if _, ok := c.entries[id]; !ok {
			e := &activityEntry{ready: make(chan struct{}), used: time.Now()}
			c.entries[id] = e
			mine[id] = e
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return nil, nil
	}
	slices.Sort(missing)
	var rows []outboxActivity
	err := c.db.NewSelect().Model(&rows).Where("id IN (?)", bun.In(missing)).Scan(ctx)
	loadedAt := time.Now()
	found := make(map[int64]bool, len(rows))
	senders := make(map[int64]bool)
	for _, r := range rows {
		e := mine[r.ID]
		e.senderID, e.body, e.loadedAt = r.SenderID, []byte(r.Activity), loadedAt
		found[r.ID] = true
		senders[r.SenderID] = true
	}
	for id := range senders {
		c.warm(ctx, id, loadedAt)
	}
	c.mu.Lock()
	for id, e := range mine {
		switch {
		case err != nil:
			e.err = fmt.Errorf("read activity %d: %w", id, err)
			delete(c.entries, id)
		case !found[id]:
			e.err = fmt.Errorf("activity %d: %w", id, errActivityGone)
			delete(c.entries, id)
		}
		close(e.ready)
	}
	c.mu.Unlock()
	if err != nil {
		return mine, fmt.Errorf("read %d activities: %w", len(missing), err)
	}
	return mine, nil
}

// evict lets go of activities not used lately once the cache is full.
// The caller holds c.mu.
func (c *activityCache) evict() {
	if len(c.entries) < activityCacheSize {
		return
	}
	for id, e := range c.entries {
		select {
		case <-e.ready:
			if time.Since(e.used) > activityIdle {
				delete(c.entries, id)
			}
		default:
		}
	}
}
