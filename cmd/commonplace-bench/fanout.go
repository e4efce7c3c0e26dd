package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

func init() {
	register(benchmark{name: "fanout", summary: "one post to K followers, each on its own loopback server: latency, exactly once, ratio to the signing floor", run: runFanout})
}

type fanoutOptions struct {
	env       loadrig.EnvFlags
	followers int
	runs      int
	timeout   time.Duration
	settle    time.Duration
	floors    int
}

// fanoutRun is what one publish measured.
type fanoutRun struct {
	floor             loadrig.Floor
	first, last       time.Duration // from the post's creation to the first and the last remote's first arrival
	cliReturned       time.Duration // from the post's creation to the publish command's return
	once, dup, missed int
	complete          bool // every follower got it within the timeout
	arrived           int  // deliveries received, repeats included
	cpu               loadrig.CPUUse
	maxRSS            []int64
}

func runFanout(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var o fanoutOptions
	fs := flag.NewFlagSet("fanout", flag.ContinueOnError)
	o.env.Register(fs)
	fs.IntVar(&o.followers, "followers", 1000, "remote followers, each on its own server and loopback address (shared inbox per server)")
	fs.IntVar(&o.runs, "runs", 1, "posts to publish, one after another, each measured with its own floor")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "how long one post may take to reach every follower")
	fs.IntVar(&o.floors, "floor-tries", 3, "signing floors measured before each post; the fastest counts")
	fs.DurationVar(&o.settle, "settle", 3*time.Second, "after the last follower got the post, how long to wait for duplicates")
	cfg, err := o.env.Parse(fs, args, "commonplace_bench_fanout", "bench")
	if err != nil {
		return err
	}
	if o.followers < 1 || o.runs < 1 {
		return errors.New("--followers and --runs must be at least 1")
	}
	fmt.Fprintf(out, "fanout: %d followers on %d loopback servers, %s, %d serve process(es)\n",
		o.followers, o.followers, cfg.Dialect, cfg.Servers)
	w, err := loadrig.StartWorld(ctx, loadrig.WorldConfig{Out: out, Env: cfg, Keys: 1, Dir: loadrig.FollowOrg,
		Fleet: loadrig.FleetConfig{N: o.followers, Block: 1, Username: "follower"}})
	if err != nil {
		return err
	}
	defer w.Close(o.env.Keep, log)
	fmt.Fprintf(out, "seeded %d accepted follows through the store in %s\n", o.followers, w.Seeded.Round(time.Millisecond))
	var runs []fanoutRun
	for i := range o.runs {
		r, err := fanoutOnce(ctx, o, w, i+1)
		if err != nil {
			return err
		}
		r.print(out, i+1, o.floors)
		runs = append(runs, r)
	}
	printFanoutSummary(out, runs)
	return nil
}

// fanoutOnce measures the floor, publishes one post and waits for it to
// reach every follower.
func fanoutOnce(ctx context.Context, o fanoutOptions, w *loadrig.World, n int) (fanoutRun, error) {
	var r fanoutRun
	var err error
	// About the size of the Create of a short update, as the server sends it.
	if r.floor, err = loadrig.BestFloor(ctx, w.Keys.Pick(0), o.followers, 1500, o.floors); err != nil {
		return r, err
	}
	sampler := loadrig.StartSampler(50*time.Millisecond, w.PIDs()...)
	cpu0 := w.MarkCPU(ctx)
	url, err := w.CLI(ctx, fmt.Sprintf("Fan-out benchmark post %d. #bench", n), "publish", "--org", w.Org, "--kind", "update", "--file", "-")
	returned := time.Now()
	if err != nil {
		sampler.Stop()
		return r, err
	}
	all := w.Fleet.Arrivals.Wait(ctx, url, o.followers, o.timeout)
	cpu1 := w.MarkCPU(ctx)
	r.maxRSS = sampler.Stop()
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	// After a timeout the run still reports what arrived: a miss is a
	// finding, not a failure of the rig.
	r.complete = all
	post, err := w.Store.PostByToken(ctx, path.Base(url))
	if err != nil {
		return r, fmt.Errorf("find the published post: %w", err)
	}
	spread := w.Fleet.Arrivals.Of(url)
	created := post.CreatedAt
	r.cliReturned, r.arrived = returned.Sub(created), spread.Deliveries
	if spread.Remotes > 0 {
		r.first, r.last = spread.First.Sub(created), spread.Last.Sub(created)
	}
	r.cpu = cpu1.Since(cpu0)
	select {
	case <-ctx.Done():
		return r, ctx.Err()
	case <-time.After(o.settle):
	}
	r.once, r.dup, r.missed = w.Fleet.Tally(url)
	return r, nil
}

func (r fanoutRun) print(w io.Writer, n, tries int) {
	k := r.once + r.dup + r.missed
	fmt.Fprintf(w, "run %d: signing floor %.3f s (%d RSA-2048 signatures on %d goroutines, %.0f/s; the fastest of %d tries)\n",
		n, r.floor.Elapsed.Seconds(), r.floor.K, r.floor.Workers, r.floor.PerSecond(), tries)
	switch {
	case r.arrived == 0:
		fmt.Fprintf(w, "  TIMED OUT: no follower got the post (publish command returned %.3f s after its creation)\n", r.cliReturned.Seconds())
	case !r.complete:
		fmt.Fprintf(w, "  TIMED OUT: not every follower got the post; the times below are of those that did\n")
		fallthrough
	default:
		fmt.Fprintf(w, "  from the post's creation: first delivery %.3f s, last delivery %.3f s = %.2f× the floor (publish command returned at %.3f s)\n",
			r.first.Seconds(), r.last.Seconds(), r.floor.Ratio(r.last), r.cliReturned.Seconds())
	}
	fmt.Fprintf(w, "  exactly once: %d of %d servers; more than once: %d; never: %d\n", r.once, k, r.dup, r.missed)
	fmt.Fprintf(w, "  CPU from publish to last delivery (%.3f s wall): %s (the receivers); server %.2f ms per delivery received\n",
		r.cpu.Wall.Seconds(), loadrig.FormatCPU(r.cpu), 1000*r.cpu.ServerTotal().Seconds()/float64(max(r.arrived, 1)))
	fmt.Fprintf(w, "  server RSS max: %s\n", loadrig.FormatRSS(r.maxRSS))
}

func printFanoutSummary(w io.Writer, runs []fanoutRun) {
	if len(runs) < 2 {
		return
	}
	var first, last []time.Duration
	var ratio []float64
	dups, missed := 0, 0
	for _, r := range runs {
		first, last = append(first, r.first), append(last, r.last)
		ratio = append(ratio, r.floor.Ratio(r.last))
		dups, missed = dups+r.dup, missed+r.missed
	}
	fmt.Fprintf(w, "median of %d runs: first delivery %.3f s, last delivery %.3f s, %.2f× the floor; duplicates %d, misses %d in all\n",
		len(runs), loadrig.Median(first).Seconds(), loadrig.Median(last).Seconds(), loadrig.Median(ratio), dups, missed)
}
