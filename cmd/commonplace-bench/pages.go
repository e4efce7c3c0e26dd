package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
)

// The pages benchmark (issue 11, goal 4): every list page people read,
// first pages and pages deep into each list, on a database with a million
// timeline posts, on Postgres and on SQLite.
//
//	commonplace-bench pages [--posts 1000000] [--dialect postgres|sqlite|both] [--requests 200] [--keep]
//
// Server time is the time the instance's own handler takes to answer,
// called in-process, so neither a client nor the network is in it.
func init() {
	register(benchmark{name: "pages", summary: "server time of every read page with 1,000,000 posts, on Postgres and SQLite", run: runPages})
}

// pagesOptions are the pages benchmark's flags.
type pagesOptions struct {
	posts    int
	dialects []store.Dialect
	requests int
	warmup   int
	admin    string
	keep     bool
	analyze  bool // ANALYZE the SQLite file too (serve never does)
}

// runPages seeds a fresh database per dialect through the store, builds the
// same HTTP handler `serve` uses, and times each page kind in-process.
func runPages(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("pages", flag.ContinueOnError)
	o := pagesOptions{}
	check := seededFlags(fs, &o, "page kind")
	fs.BoolVar(&o.analyze, "sqlite-analyze", false, "run ANALYZE on the SQLite file after seeding (a served instance never does)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	var results []pagesResult
	for _, d := range o.dialects {
		r, err := pagesOnDialect(ctx, o, d, out, log)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		results = append(results, r)
	}
	printPagesSummary(out, results)
	return nil
}

// seededFlags declares on fs the flags that pages and search share (what to
// seed, where, how many timed requests per unit); the returned check, called
// after fs.Parse, reads --dialect into o and rejects too few posts or requests.
func seededFlags(fs *flag.FlagSet, o *pagesOptions, unit string) (check func() error) {
	fs.IntVar(&o.posts, "posts", 1_000_000, "timeline posts to seed")
	dialect := fs.String("dialect", "both", "postgres, sqlite or both")
	fs.IntVar(&o.requests, "requests", 200, "timed requests per "+unit)
	fs.IntVar(&o.warmup, "warmup", 20, "untimed requests per "+unit+" first")
	fs.StringVar(&o.admin, "admin-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"Postgres URL allowed to create and drop a database for the run")
	fs.BoolVar(&o.keep, "keep", false, "keep the seeded database and print where it is")
	return func() error {
		dialects, err := parseDialects(*dialect)
		if err != nil {
			return err
		}
		o.dialects = dialects
		if o.posts < 10_000 {
			return errors.New("--posts must be at least 10000, so that the deep pages are deep")
		}
		if o.requests < 100 {
			return errors.New("--requests must be at least 100 for a p99 to mean anything")
		}
		return nil
	}
}

// pagesResult is one dialect's figures.
type pagesResult struct {
	dialect store.Dialect
	timings []pageTiming
}

func pagesOnDialect(ctx context.Context, o pagesOptions, d store.Dialect, out io.Writer, log *slog.Logger) (pagesResult, error) {
	db, err := freshDatabase(ctx, d, o.admin)
	if err != nil {
		return pagesResult{}, err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(out, "kept the %s database: %s\n", d, db.url)
			return
		}
		if err := db.drop(); err != nil {
			log.Warn("dropping the benchmark database", "err", err)
		}
	}()
	site, err := openPagesSite(ctx, db.url, log)
	if err != nil {
		return pagesResult{}, err
	}
	defer site.close()

	started := time.Now()
	seeded, err := seedPages(ctx, site, o.posts)
	if err != nil {
		return pagesResult{}, fmt.Errorf("seed: %w", err)
	}
	seedTime := time.Since(started)
	if err := settle(ctx, site.store(), d, o.analyze); err != nil {
		return pagesResult{}, err
	}
	fmt.Fprintf(out, "\n== %s: seeded %d timeline posts (%d tagged #%s, %d events, %d guidance, %d comments on one post) in %s\n",
		d, o.posts, seeded.commonTagCount, seeded.commonTag, seeded.events, seeded.guidance, seeded.comments, seedTime.Round(time.Second))

	pages, err := buildPageKinds(ctx, site, seeded)
	if err != nil {
		return pagesResult{}, fmt.Errorf("work out the pages: %w", err)
	}
	if err := checkPages(ctx, site, pages, out); err != nil {
		return pagesResult{}, err
	}
	load0 := loadAverage()
	timings, err := timePages(ctx, site.handler, pages, o.warmup, o.requests, site.host)
	if err != nil {
		return pagesResult{}, err
	}
	fmt.Fprintf(out, "%d timed requests per page, round robin over the pages after %d warm-up rounds; load average before %s, after %s (%d cores, shared)\n",
		o.requests, o.warmup, load0, loadAverage(), numCPU())
	printPagesTable(out, string(d), timings)
	return pagesResult{dialect: d, timings: timings}, nil
}

// loadAverage is the 1-, 5- and 15-minute load, to say how busy the
// machine was while the pages were timed.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// parseDialects reads a --dialect of postgres, sqlite or both.
func parseDialects(dialect string) ([]store.Dialect, error) {
	switch dialect {
	case "both":
		return []store.Dialect{store.Postgres, store.SQLite}, nil
	case "postgres", "sqlite":
		return []store.Dialect{store.Dialect(dialect)}, nil
	default:
		return nil, fmt.Errorf("--dialect must be postgres, sqlite or both, not %q", dialect)
	}
}
