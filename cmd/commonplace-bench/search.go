package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// The search benchmark (issue 14, goal 4): /search's server time for a mix
// of queries people type, on the pages benchmark's million posts (its
// seeding, reused), on PostgreSQL and SQLite.
//
//	commonplace-bench search [--posts 1000000] [--dialect postgres|sqlite|both] [--requests 200] [--keep] [--database URL]
//
// The seeded text draws on about 80 words, so every word is in most posts:
// the single-word and common-word queries are the hard case, not the
// easy one. A post's number, in its text, is the rare word.
func init() {
	register(benchmark{name: "search", summary: "server time of /search over 1,000,000 posts, on Postgres and SQLite", run: runSearch})
}

// searchGoal is issue 14's bound on search's p99 on PostgreSQL.
const searchGoal = 50 * time.Millisecond

func runSearch(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	o := pagesOptions{}
	check := seededFlags(fs, &o, "query")
	reuse := fs.String("database", "", "time a database seeded before (by pages or search with --keep) instead of seeding one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	if *reuse != "" {
		o.dialects = o.dialects[:1]
	}
	var results []pagesResult
	for _, d := range o.dialects {
		r, err := searchOnDialect(ctx, o, d, *reuse, out, log)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		results = append(results, r)
	}
	printSearchSummary(out, results)
	return nil
}

func searchOnDialect(ctx context.Context, o pagesOptions, d store.Dialect, reuse string, out io.Writer, log *slog.Logger) (pagesResult, error) {
	dbURL := reuse
	if reuse == "" {
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
		dbURL = db.url
	}
	site, err := openPagesSite(ctx, dbURL, log)
	if err != nil {
		return pagesResult{}, err
	}
	defer site.close()
	if reuse == "" {
		started := time.Now()
		if _, err := seedPages(ctx, site, o.posts); err != nil {
			return pagesResult{}, fmt.Errorf("seed: %w", err)
		}
		fmt.Fprintf(out, "\n== %s: seeded %d posts in %s\n", d, o.posts, time.Since(started).Round(time.Second))
		if err := settle(ctx, site.store(), d, false); err != nil {
			return pagesResult{}, err
		}
	}
	n, err := site.store().DB.NewSelect().Model((*model.Post)(nil)).Count(ctx)
	if err != nil {
		return pagesResult{}, err
	}
	queries, err := searchQueries(ctx, site.store(), int(n))
	if err != nil {
		return pagesResult{}, err
	}
	for _, q := range queries {
		rec, _ := serve(site.handler, site.host, q.path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), q.want) {
			return pagesResult{}, fmt.Errorf("%s: GET %s = %d, without %q", q.name, q.path, rec.Code, q.want)
		}
	}
	load0 := loadAverage()
	timings, err := timePages(ctx, site.handler, queries, o.warmup, o.requests, site.host)
	if err != nil {
		return pagesResult{}, err
	}
	fmt.Fprintf(out, "\n== %s, %d posts: %d timed requests per query, round robin after %d warm-up rounds; load average before %s, after %s (%d cores, shared)\n",
		d, n, o.requests, o.warmup, load0, loadAverage(), numCPU())
	printPagesTable(out, string(d), timings)
	return pagesResult{dialect: d, timings: timings}, nil
}

// searchQueries are the timed searches, each with text its results page
// must show.
func searchQueries(ctx context.Context, s *store.Store, posts int) ([]pageKind, error) {
	hospice, err := s.LocalActor(ctx, "org1") // "St Gemma's Hospice" in the seed
	if err != nil {
		return nil, err
	}
	path := func(q string, extra ...string) string {
		v := url.Values{"q": {q}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return "/search?" + v.Encode()
	}
	// A post number from the middle of the seeded range, in one post's
	// title or text.
	rare := fmt.Sprint(posts / 3)
	return []pageKind{
		{name: "single word", path: path("volunteers"), want: "20 results"},
		{name: "phrase", path: path(`"social media"`), want: "20 results"},
		{name: "two words", path: path("consent privacy"), want: "20 results"},
		{name: "with organisation filter", path: path("wellbeing", "org", fmt.Sprint(hospice.ID)), want: "20 results"},
		{name: "with kind filter (guidance)", path: path("training", "kind", model.KindGuidance), want: "20 results"},
		{name: "with tag and kind filters", path: path("festival", "tag", "tweetmeet", "kind", model.KindEvent), want: "result"},
		{name: "with tag filter (common tag)", path: path("festival", "tag", "hscleeds"), want: "20 results"},
		{name: "rare word with common tag", path: path(rare, "tag", "hscleeds"), want: "result"},
		{name: "rare word (one post)", path: path(rare), want: "1 result"},
		{name: "common word", path: path("leeds"), want: "20 results"},
		{name: "word or word", path: path("dinner or venue"), want: "20 results"},
		{name: "page 5", path: path("hospital", "page", "5"), want: "81 to 100"},
		{name: "no match", path: path("zyzzyva"), want: "No results"},
	}, nil
}

func printSearchSummary(out io.Writer, rs []pagesResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(out, "\nSummary: p99 server time of /search (goal on PostgreSQL: at most %s)\n%-46s", ms(searchGoal), "query")
	for _, r := range rs {
		fmt.Fprintf(out, " %12s", r.dialect)
	}
	fmt.Fprintln(out)
	for i, t := range rs[0].timings {
		fmt.Fprintf(out, "%-46s", t.page.name)
		for _, r := range rs {
			mark := ""
			if r.timings[i].p99 > searchGoal {
				mark = " !"
			}
			fmt.Fprintf(out, " %10s%-2s", ms(r.timings[i].p99), mark)
		}
		fmt.Fprintln(out)
	}
}
