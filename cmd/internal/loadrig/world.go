package loadrig

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
)

// World is a run's Env with a fleet of remotes seeded as followers of its
// org, or as accounts the org follows.
type World struct {
	*Env
	Fleet  *Fleet
	Keys   *KeyPool
	Seeded time.Duration // how long seeding the follows took
}

// WorldConfig says what to start and seed.
type WorldConfig struct {
	Out io.Writer // where the machine line, and any note on it, go

	Env   EnvConfig // Org must be set
	Fleet FleetConfig
	Keys  int // distinct keys the fleet shares
	Dir   Direction
}

// StartWorld starts the Env, the fleet, and seeds the follows through the
// store (in parallel on PostgreSQL; SQLite takes one writer at a time).
func StartWorld(ctx context.Context, c WorldConfig) (_ *World, err error) {
	if c.Out == nil {
		c.Out = io.Discard
	}
	fmt.Fprintf(c.Out, "machine: %s\n", Machine())
	env, err := StartEnv(ctx, c.Env)
	if err != nil {
		return nil, err
	}
	w := &World{Env: env}
	defer func() {
		if err != nil {
			w.Close(true, nil)
		}
	}()
	if w.Keys, err = NewKeyPool(c.Keys); err != nil {
		return nil, err
	}
	c.Fleet.Keys = w.Keys
	if w.Fleet, err = NewFleet(c.Fleet); err != nil {
		return nil, err
	}
	workers := 1
	if c.Env.Dialect == store.Postgres {
		workers = 8
	}
	start := time.Now()
	seed := Seed{Store: env.Store, Org: env.Org, Domain: env.Domain(), Dir: c.Dir, Workers: workers}
	if err := SeedFollows(ctx, seed, w.Fleet.Remotes); err != nil {
		return nil, err
	}
	w.Seeded = time.Since(start)
	fmt.Fprint(c.Out, w.SharedNote(ctx))
	return w, nil
}

// Close stops the fleet and the Env; problems are logged, as a run's
// figures are already out by then.
func (w *World) Close(keepDir bool, log *slog.Logger) {
	if w.Fleet != nil {
		w.Fleet.Close()
	}
	err := w.Env.Close(keepDir)
	if log == nil {
		return
	}
	if err != nil {
		log.Warn("clean-up", "err", err)
	}
	if keepDir {
		log.Warn("serve logs kept", "dir", w.Dir)
	}
}
