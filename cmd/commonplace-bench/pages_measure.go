package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"time"
)

// pageTiming is one page's server times.
type pageTiming struct {
	page     pageKind
	bytes    int
	times    []time.Duration // sorted
	p50, p99 time.Duration
	max      time.Duration
}

// serve calls the handler as the HTTP server would and times it: the
// server's time, without the network or a client.
func serve(h http.Handler, host, path string) (*httptest.ResponseRecorder, time.Duration) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	req.RemoteAddr = "192.0.2.1:40000"
	rec := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(rec, req)
	return rec, time.Since(start)
}

func linkCursor(body, key string) string {
	m := regexp.MustCompile(`[?&;]` + key + `=([0-9]+\.[0-9]+)`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// checkPages loads each page once and checks that it shows what it should
// and links on to where it should, then follows the timeline's own "older"
// links from the first page, to show that the cursors built here are the
// ones readers reach.
func checkPages(ctx context.Context, site *pagesSite, pages []pageKind, out io.Writer) error {
	fmt.Fprintln(out, "Cursors: a deep page's cursor is the one the page before it links to, i.e. the (time, id) of the item just")
	fmt.Fprintln(out, "before it, read with an untimed OFFSET query in the page's own order. Each page was checked to show the")
	fmt.Fprintln(out, "expected first item and to link on with exactly the cursor of the item a page further:")
	for _, p := range pages {
		rec, _ := serve(site.handler, site.host, p.path)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			return fmt.Errorf("%s: GET %s = %d", p.name, p.path, rec.Code)
		}
		if !strings.Contains(body, p.want) && !strings.Contains(body, html.EscapeString(p.want)) {
			return fmt.Errorf("%s: GET %s does not show %q", p.name, p.path, p.want)
		}
		if p.next != "" {
			if got := linkCursor(body, p.nextKey); got != p.next {
				return fmt.Errorf("%s: GET %s links on with %s=%q, want %q", p.name, p.path, p.nextKey, got, p.next)
			}
		}
		if p.depth > 0 {
			fmt.Fprintf(out, "  %-44s %s\n", p.name, p.path)
		}
	}
	const hops = 50
	path := "/"
	for range hops {
		rec, _ := serve(site.handler, site.host, path)
		c := linkCursor(rec.Body.String(), "before")
		if c == "" {
			return fmt.Errorf("the timeline page at %s has no older link", path)
		}
		path = "/?before=" + c
	}
	it, err := listOrder{where: timelineWhere, at: "p.published", desc: true}.item(ctx, site.store(), hops*perPage-1)
	if err != nil {
		return err
	}
	if want := "/?before=" + cursorOf(it); path != want {
		return fmt.Errorf("following %d older links reached %s, but the cursor built for depth %d is %s", hops, path, hops*perPage, want)
	}
	fmt.Fprintf(out, "  following the timeline's older link %d times from / reached %s, the cursor built for %d back\n", hops, path, hops*perPage)
	return nil
}

// timePages requests every page once per round, warm-up rounds first, so
// that the machine's other load falls on all pages alike.
func timePages(ctx context.Context, h http.Handler, pages []pageKind, warmup, rounds int, host string) ([]pageTiming, error) {
	ts := make([]pageTiming, len(pages))
	for i := range ts {
		ts[i].page = pages[i]
	}
	for r := range warmup + rounds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i, p := range pages {
			rec, d := serve(h, host, p.path)
			if rec.Code != http.StatusOK {
				return nil, fmt.Errorf("%s: GET %s = %d", p.name, p.path, rec.Code)
			}
			if r >= warmup {
				ts[i].times = append(ts[i].times, d)
				ts[i].bytes = rec.Body.Len()
			}
		}
	}
	for i := range ts {
		t := &ts[i]
		slices.Sort(t.times)
		t.p50, t.p99, t.max = quantile(t.times, 0.50), quantile(t.times, 0.99), t.times[len(t.times)-1]
	}
	return ts, nil
}

// quantile is the nearest-rank quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(float64(len(sorted))*q+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
