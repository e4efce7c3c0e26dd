package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

func init() {
	register(benchmark{name: "inbox", summary: "a flood of signed Creates from many loopback servers: accepted/s, applied/s, accept latency, RSS", run: runInbox})
}

type inboxOptions struct {
	env        loadrig.EnvFlags
	sources    int
	inflight   int
	activities int
	keys       int
	timeout    time.Duration
}

func runInbox(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var o inboxOptions
	fs := flag.NewFlagSet("inbox", flag.ContinueOnError)
	o.env.Register(fs)
	fs.IntVar(&o.sources, "sources", 200, "remote servers sending, each on its own loopback address with one actor the org follows")
	fs.IntVar(&o.inflight, "inflight", 16, "requests in flight at once")
	fs.IntVar(&o.activities, "activities", 5000, "signed Creates to send (signed before the clock starts)")
	fs.IntVar(&o.keys, "keys", 8, "distinct RSA keys shared by the sources (each source keeps its own key id)")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "how long to wait for every accepted activity to be applied")
	cfg, err := o.env.Parse(fs, args, "commonplace_bench_inbox", "bench")
	if err != nil {
		return err
	}
	if o.sources < 1 || o.inflight < 1 || o.activities < 1 {
		return errors.New("--sources, --inflight and --activities must be at least 1")
	}
	fmt.Fprintf(out, "inbox: %d signed Creates from %d loopback servers, %d in flight, %s, %d serve process(es)\n",
		o.activities, o.sources, o.inflight, cfg.Dialect, cfg.Servers)
	w, err := loadrig.StartWorld(ctx, loadrig.WorldConfig{Out: out, Env: cfg, Keys: o.keys, Dir: loadrig.OrgFollows,
		Fleet: loadrig.FleetConfig{N: o.sources, Block: 2, Username: "source"}})
	if err != nil {
		return err
	}
	defer w.Close(o.env.Keep, log)
	start := time.Now()
	reqs, err := presign(ctx, w, o.activities)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d followed actors in %s; signed %d Creates in %s before the clock started\n",
		o.sources, w.Seeded.Round(time.Millisecond), len(reqs), time.Since(start).Round(time.Millisecond))
	res, err := flood(ctx, o, w, reqs)
	if err != nil {
		return err
	}
	res.print(out, w)
	return nil
}

// sent is one pre-signed delivery and the source it comes from.
type sent struct {
	loadrig.Signed
	source int
}

// presign signs every Create on all cores. Source i%sources sends the i-th:
// a public Note from an actor the org follows, so it goes on the timeline.
func presign(ctx context.Context, w *loadrig.World, n int) ([]sent, error) {
	inbox := "http://" + w.Domain() + "/inbox"
	published := time.Now().UTC().Format(time.RFC3339)
	reqs := make([]sent, n)
	var next atomic.Int64
	var firstErr atomic.Pointer[error]
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				src := i % len(w.Fleet.Remotes)
				r := w.Fleet.Remotes[src]
				s, err := r.Sign(inbox, floodCreate(r, i, published))
				if err != nil {
					firstErr.CompareAndSwap(nil, &err)
					return
				}
				reqs[i] = sent{Signed: s, source: src}
			}
		})
	}
	wg.Wait()
	if p := firstErr.Load(); p != nil {
		return nil, fmt.Errorf("sign the flood: %w", *p)
	}
	return reqs, ctx.Err()
}

// floodMarker starts every flood note's text, to find them on the pages.
const floodMarker = "Inbox flood note"

func floodCreate(r *loadrig.Remote, i int, published string) map[string]any {
	note := fmt.Sprintf("%s/statuses/%d", r.ActorID, i)
	to, cc := []any{"https://www.w3.org/ns/activitystreams#Public"}, []any{r.ActorID + "/followers"}
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       note + "/activity", "type": "Create", "actor": r.ActorID, "published": published, "to": to, "cc": cc,
		"object": map[string]any{"id": note, "type": "Note", "attributedTo": r.ActorID, "url": note,
			"content":   fmt.Sprintf("<p>%s %d from %s.</p>", floodMarker, i, r.Addr),
			"published": published, "to": to, "cc": cc},
	}
}
