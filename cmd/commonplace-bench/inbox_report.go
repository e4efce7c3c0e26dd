package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

// floodNotesOnPage counts the flood notes on the combined timeline's first
// page: the check that what the database counts is what people see.
func floodNotesOnPage(ctx context.Context, base string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	if err != nil {
		return 0, fmt.Errorf("timeline request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("get the timeline: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("read the timeline: %w", err)
	}
	return strings.Count(string(body), floodMarker), nil
}

func (r *inboxResult) print(w io.Writer, world *loadrig.World) {
	codes := make([]int, 0, len(r.statuses))
	for c := range r.statuses {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	fmt.Fprintf(w, "answers to %d requests:", r.sent)
	for _, c := range codes {
		fmt.Fprintf(w, " %d×%d", r.statuses[c], c)
	}
	fmt.Fprintf(w, "; no answer: %d", r.failed)
	if r.firstErr != nil {
		fmt.Fprintf(w, " (first: %v)", r.firstErr)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "accepted: %d in %.3f s = %.0f/s", r.accepted, r.acceptWall.Seconds(), float64(r.accepted)/r.acceptWall.Seconds())
	if len(r.acceptedBy) > 1 {
		parts := make([]string, len(r.acceptedBy))
		for i, n := range r.acceptedBy {
			parts[i] = fmt.Sprintf("%.0f/s", float64(n)/r.acceptWall.Seconds())
		}
		fmt.Fprintf(w, " (%s)", strings.Join(parts, " + "))
	}
	fmt.Fprintf(w, "; accept latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		loadrig.Millis(loadrig.Percentile(r.latencies, 50)), loadrig.Millis(loadrig.Percentile(r.latencies, 99)), loadrig.Millis(loadrig.Percentile(r.latencies, 100)))
	state := "all applied"
	if !r.appliedAll {
		state = "TIMED OUT before all were applied"
	}
	fmt.Fprintf(w, "applied (on the timeline): %d in %.3f s from the first request = %.0f/s (%s)\n",
		r.applied, r.applyWall.Seconds(), float64(r.applied)/r.applyWall.Seconds(), state)
	fmt.Fprintf(w, "timeline first page shows %d flood notes\n", r.onPage)
	printInboxCPU(w, "CPU while accepting", r.acceptCPU)
	printInboxCPU(w, "CPU until applied", r.applyCPU)
	if r.accepted > 0 {
		// Per request, CPU does not depend on how busy the machine was.
		k := float64(r.accepted) / 1000
		fmt.Fprintf(w, "CPU per 1,000 accepted, until applied: server %.3f s", r.applyCPU.ServerTotal().Seconds()/k)
		if r.applyCPU.DBOwn > 0 {
			fmt.Fprintf(w, ", this database's PostgreSQL backends %.3f s", r.applyCPU.DBOwn.Seconds()/k)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "server RSS max during the flood: %s\n", loadrig.FormatRSS(r.maxRSS))
	gets := 0
	for _, s := range world.Fleet.Remotes {
		_, g, _ := s.Counts()
		gets += g
	}
	fmt.Fprintf(w, "actor documents the server fetched from the sources: %d\n", gets)
}

func printInboxCPU(w io.Writer, what string, u loadrig.CPUUse) {
	fmt.Fprintf(w, "%s (%.3f s wall): %s\n", what, u.Wall.Seconds(), loadrig.FormatCPU(u))
}
