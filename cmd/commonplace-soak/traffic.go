package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

// tally counts the answers the server gave, by status.
type tally struct {
	mu       sync.Mutex
	byStatus map[int]int
	errors   int // requests that got no answer at all
}

func (t *tally) add(status int, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.errors++
		return
	}
	t.byStatus[status]++
}

func (t *tally) fiveXX() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for s, c := range t.byStatus {
		if s >= 500 {
			n += c
		}
	}
	return n
}

// posts are the org's published posts, for likes, replies and page reads.
type posts struct {
	mu   sync.Mutex
	urls []string
	at   []time.Time // when each was published
}

func (p *posts) add(u string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.urls = append(p.urls, u)
	p.at = append(p.at, time.Now())
}

func (p *posts) pick() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.urls) == 0 {
		return "", false
	}
	return p.urls[rand.IntN(len(p.urls))], true
}

func (p *posts) all() ([]string, []time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.urls...), append([]time.Time(nil), p.at...)
}

// loop runs step every pause until the deadline, at most max times, or
// until ctx ends: every request loop is bounded in count and in time.
func loop(ctx context.Context, deadline time.Time, pause time.Duration, max int, step func(i int)) {
	for i := 0; i < max && time.Now().Before(deadline); i++ {
		step(i)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
	}
}

// deliveries sends signed activities from random remotes: replies,
// likes, boosts, and undos of earlier likes.
func deliveries(ctx context.Context, c *http.Client, base string, remotes []*loadrig.Remote, ps *posts, t *tally, seq *counter, deadline time.Time, pause time.Duration) {
	loop(ctx, deadline, pause, 1_000_000, func(int) {
		r := remotes[rand.IntN(len(remotes))]
		target, ok := ps.pick()
		if !ok {
			return
		}
		n := seq.next()
		id := fmt.Sprintf("%s/activities/%d", r.ActorID, n)
		var act map[string]any
		switch n % 4 {
		case 0:
			note := fmt.Sprintf("%s/statuses/%d", r.ActorID, n)
			act = map[string]any{"type": "Create", "object": map[string]any{"id": note, "type": "Note", "attributedTo": r.ActorID,
				"inReplyTo": target, "content": fmt.Sprintf("<p>reply %d</p>", n), "published": time.Now().UTC().Format(time.RFC3339),
				"to": []any{"https://www.w3.org/ns/activitystreams#Public"}}}
		case 1:
			act = map[string]any{"type": "Like", "object": target}
		case 2:
			act = map[string]any{"type": "Announce", "object": target, "to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
		case 3:
			// Withdraws the Like sent two steps ago by whoever sent it,
			// or, if that was someone else, nothing: both are realistic.
			like := fmt.Sprintf("%s/activities/%d", r.ActorID, n-2)
			act = map[string]any{"type": "Undo", "object": map[string]any{"id": like, "type": "Like", "actor": r.ActorID, "object": target}}
		}
		act["@context"], act["id"], act["actor"] = "https://www.w3.org/ns/activitystreams", id, r.ActorID
		status, err := r.Send(ctx, c, base+"/inbox", act)
		t.add(status, err)
	})
}

// reads fetches the public pages, feeds and post pages.
func reads(ctx context.Context, c *http.Client, base string, ps *posts, t *tally, deadline time.Time, pause time.Duration) {
	pages := []string{"/", "/events", "/guidance", "/events/past", "/feed.atom", "/@soak/feed.atom", "/events.ics", "/users/soak", "/tags/soak"}
	loop(ctx, deadline, pause, 1_000_000, func(i int) {
		u := base + pages[i%len(pages)]
		if i%3 == 0 {
			if p, ok := ps.pick(); ok {
				u = p
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			t.add(0, err)
			return
		}
		resp, err := c.Do(req)
		if err != nil {
			t.add(0, err)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		t.add(resp.StatusCode, nil)
	})
}

// publishes posts an update through the CLI every pause; the server fans
// each out to the org's followers.
func publishes(ctx context.Context, env *loadrig.Env, ps *posts, deadline time.Time, pause time.Duration, log *slog.Logger) {
	loop(ctx, deadline, pause, 10_000, func(i int) {
		u, err := env.CLI(ctx, fmt.Sprintf("Soak update %d at %s. #soak", i, time.Now().Format(time.TimeOnly)),
			"publish", "--org", "soak", "--kind", "update", "--file", "-")
		if err != nil {
			log.Warn("publish failed", "err", err)
			return
		}
		ps.add(u)
	})
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) next() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n
}
