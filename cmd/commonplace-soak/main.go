// Command commonplace-soak runs mixed traffic against a real `commonplace
// serve` on PostgreSQL for a while and reports whether it held up: no 5xx,
// memory that does not grow, queues that drain, and every post delivered to
// a follower whose server was down for a while once it is back. See
// docs/soak.md. Everything runs on loopback addresses.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
	"github.com/commonplace-social/commonplace/internal/store"
)

type options struct {
	duration, outage, outageAt, drain time.Duration
	remotes                           int
	bin, pgAdmin                      string
	publishEvery                      time.Duration
}

func main() {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "how long the traffic runs")
	flag.DurationVar(&o.outage, "outage", 2*time.Minute, "how long one follower's server is down")
	flag.DurationVar(&o.outageAt, "outage-at", 0, "when the outage starts (default: a fifth into the run)")
	flag.DurationVar(&o.drain, "drain", 8*time.Minute, "after the traffic, how long to wait for deliveries to arrive")
	flag.IntVar(&o.remotes, "remotes", 50, "remote actors, each on its own server and loopback address (at most 200)")
	flag.DurationVar(&o.publishEvery, "publish-every", 5*time.Second, "how often the org publishes")
	flag.StringVar(&o.bin, "bin", "", "commonplace binary to run (default: build ./cmd/commonplace)")
	flag.StringVar(&o.pgAdmin, "pg", loadrig.DefaultPGAdmin, "PostgreSQL URL allowed to create and drop a database")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ok, err := run(ctx, o, log)
	if err != nil {
		log.Error("soak failed", "err", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func (o *options) check() error {
	if o.outageAt == 0 {
		o.outageAt = o.duration / 5
	}
	if o.remotes < 2 || o.remotes > 200 {
		return errors.New("--remotes must be between 2 and 200")
	}
	if o.outageAt+o.outage >= o.duration {
		return fmt.Errorf("the outage (%s from %s) must end before the run does (%s)", o.outage, o.outageAt, o.duration)
	}
	return nil
}

func run(ctx context.Context, o options, log *slog.Logger) (bool, error) {
	if err := o.check(); err != nil {
		return false, err
	}
	env, err := loadrig.StartEnv(ctx, loadrig.EnvConfig{Bin: o.bin, Dialect: store.Postgres, PGAdmin: o.pgAdmin,
		Prefix: "commonplace_soak", Servers: 1, Org: "soak"})
	if err != nil {
		return false, err
	}
	defer func() {
		// The directory stays: it holds the server's log.
		if err := env.Close(true); err != nil {
			log.Warn("could not clean up after the soak", "err", err)
		}
	}()
	inst := env.Servers[0]
	log.Info("serving", "base", inst.Base, "log", inst.LogPath)
	pool, err := loadrig.NewKeyPool(8)
	if err != nil {
		return false, err
	}
	// 127.0.1.1, 127.0.1.2, …: the 255th address of block 0 onwards.
	fleet, err := loadrig.NewFleet(loadrig.FleetConfig{N: o.remotes, Block: 0, Offset: 254, Username: "soak", Keys: pool})
	if err != nil {
		return false, err
	}
	defer fleet.Close()
	remotes := fleet.Remotes
	client := &http.Client{Timeout: 30 * time.Second}
	if err := follow(ctx, client, inst.Base, remotes); err != nil {
		return false, err
	}
	log.Info("all remotes follow the org", "remotes", len(remotes))
	return soak(ctx, o, env, remotes, client, log)
}

// follow makes every remote follow the org and waits for the Accepts.
func follow(ctx context.Context, c *http.Client, base string, remotes []*loadrig.Remote) error {
	for _, r := range remotes {
		act := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.ActorID + "/follows/1",
			"type": "Follow", "actor": r.ActorID, "object": base + "/users/soak"}
		if status, err := r.Send(ctx, c, base+"/inbox", act); err != nil || status != http.StatusAccepted {
			return fmt.Errorf("follow from %s: %d %v", r.Addr, status, err)
		}
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		all := true
		for _, r := range remotes {
			all = all && r.IsAccepted()
		}
		if all {
			return nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return errNotAccepted
}

var errNotAccepted = errors.New("follows were not all accepted")

// soak runs the traffic, the outage and the drain, then reports.
func soak(ctx context.Context, o options, env *loadrig.Env, remotes []*loadrig.Remote, client *http.Client, log *slog.Logger) (bool, error) {
	inst := env.Servers[0]
	ps := &posts{}
	if u, err := env.CLI(ctx, "The first post. #soak", "publish", "--org", "soak", "--kind", "update", "--file", "-"); err != nil {
		return false, err
	} else {
		ps.add(u)
	}
	rssStart, err := rssKB(inst)
	if err != nil {
		return false, err
	}
	start := time.Now()
	deadline := start.Add(o.duration)
	t := &tally{byStatus: map[int]int{}}
	var seq counter
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { deliveries(ctx, client, inst.Base, remotes[1:], ps, t, &seq, deadline, 100*time.Millisecond) })
		wg.Go(func() { reads(ctx, client, inst.Base, ps, t, deadline, 100*time.Millisecond) })
	}
	wg.Go(func() { publishes(ctx, env, ps, deadline, o.publishEvery, log) })
	peer := remotes[0]
	var downAt, upAt time.Time
	wg.Go(func() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(o.outageAt):
		}
		downAt = time.Now()
		peer.Down()
		log.Info("peer down", "peer", peer.Addr)
		select {
		case <-ctx.Done():
		case <-time.After(o.outage):
		}
		upAt = time.Now()
		if err := peer.Up(); err != nil {
			log.Error("peer could not come back", "err", err)
		}
		log.Info("peer back", "peer", peer.Addr)
	})
	wg.Wait()
	rssEnd, err := rssKB(inst)
	if err != nil {
		return false, err
	}
	qEnd, err := queueDepthOf(ctx, env)
	if err != nil {
		return false, err
	}
	urls, _ := ps.all()
	log.Info("traffic over; waiting for deliveries", "posts", len(urls))
	drainStart := time.Now()
	missing := waitDelivered(ctx, ps, remotes, o.drain)
	qDrained, err := queueDepthOf(ctx, env)
	if err != nil {
		return false, err
	}
	r := result{o: o, t: t, rssStart: rssStart, rssEnd: rssEnd, qEnd: qEnd, qDrained: qDrained,
		drained: time.Since(drainStart), missing: missing, downAt: downAt, upAt: upAt}
	r.peerCheck(ps, peer)
	return r.print(os.Stdout), nil
}

// waitDelivered waits until every post's Create reached every remote, or
// the timeout passes, and returns how many (post, remote) pairs are missing.
func waitDelivered(ctx context.Context, ps *posts, remotes []*loadrig.Remote, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for {
		urls, _ := ps.all()
		missing := 0
		for _, u := range urls {
			for _, r := range remotes {
				if r.Arrived(u).N == 0 {
					missing++
				}
			}
		}
		if missing == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return missing
		}
		time.Sleep(2 * time.Second)
	}
}
