// Command commonplace-bench measures Commonplace against load it makes
// itself: fleets of remote servers, each on its own loopback address, with
// real signatures, and a `commonplace serve` process (or two) on a database
// of its own. Each benchmark prints its figures and, where a floor exists
// (the time this machine needs for the signatures alone), the ratio to it.
// docs/performance.md has the figures and how to reproduce them.
//
//	commonplace-bench fanout|inbox|pages|idle [flags]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// benchmark is one subcommand; each registers itself from its own file.
type benchmark struct {
	name, summary string
	run           func(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error
}

var benchmarks = map[string]benchmark{}

func register(b benchmark) { benchmarks[b.name] = b }

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if len(os.Args) < 2 || benchmarks[os.Args[1]].run == nil {
		usage(os.Stderr)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := benchmarks[os.Args[1]]
	if err := b.run(ctx, os.Args[2:], os.Stdout, log); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "commonplace-bench %s: %v\n", b.name, err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: commonplace-bench BENCHMARK [flags]   (BENCHMARK -h for its flags)")
	names := make([]string, 0, len(benchmarks))
	for n := range benchmarks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, benchmarks[n].summary)
	}
}
