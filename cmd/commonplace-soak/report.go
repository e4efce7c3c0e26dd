package main

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

// result is what the run measured, and the checks it is held to.
type result struct {
	o                  options
	t                  *tally
	rssStart, rssEnd   int // kB
	qEnd, qDrained     queueDepth
	drained            time.Duration
	missing            int // (post, remote) pairs never delivered
	downAt, upAt       time.Time
	duringOutage       int // posts published while the peer was down
	peerGot, peerAfter int // of those, how many reached it, and after it came back
	peerDupes          int // posts the peer got more than once
}

// peerCheck counts, per post, what reached the peer that went down.
func (r *result) peerCheck(ps *posts, peer *loadrig.Remote) {
	urls, at := ps.all()
	for i, u := range urls {
		a := peer.Arrived(u)
		n, first := a.N, a.First
		if n > 1 {
			r.peerDupes++
		}
		if at[i].Before(r.downAt) || r.upAt.IsZero() || at[i].After(r.upAt) {
			continue
		}
		r.duringOutage++
		if n > 0 {
			r.peerGot++
			if !first.Before(r.upAt) {
				r.peerAfter++
			}
		}
	}
}

// print writes the report and returns whether every check passed.
func (r *result) print(w io.Writer) bool {
	r.t.mu.Lock()
	codes := make([]int, 0, len(r.t.byStatus))
	total := 0
	for c, n := range r.t.byStatus {
		codes = append(codes, c)
		total += n
	}
	sort.Ints(codes)
	fmt.Fprintf(w, "\nSoak: %s of traffic, %d remotes, peer down %s from %s\n", r.o.duration, r.o.remotes, r.o.outage, r.o.outageAt)
	fmt.Fprintf(w, "requests answered: %d, by status:", total)
	for _, c := range codes {
		fmt.Fprintf(w, " %d×%d", c, r.t.byStatus[c])
	}
	fmt.Fprintf(w, "; no answer: %d\n", r.t.errors)
	r.t.mu.Unlock()
	growth := 100 * float64(r.rssEnd-r.rssStart) / float64(r.rssStart)
	fmt.Fprintf(w, "serve RSS: %d kB at start, %d kB at end (%+.1f%%)\n", r.rssStart, r.rssEnd, growth)
	fmt.Fprintf(w, "queue at end of traffic: %d jobs available/retryable, %d outbox deliveries; after %s of drain: %d and %d\n",
		r.qEnd.jobs, r.qEnd.deliveries, r.drained.Round(time.Second), r.qDrained.jobs, r.qDrained.deliveries)
	fmt.Fprintf(w, "posts undelivered to some remote: %d (post, remote) pairs\n", r.missing)
	fmt.Fprintf(w, "peer that went down: %d posts published while it was down; %d reached it, %d of them after it came back; %d posts reached it twice\n",
		r.duringOutage, r.peerGot, r.peerAfter, r.peerDupes)
	checks := []struct {
		name string
		ok   bool
	}{
		{"no 5xx", r.t.fiveXX() == 0},
		{"RSS growth under 10%", growth < 10},
		{"every post reached every remote", r.missing == 0},
		{"every post published during the outage reached the peer after it came back",
			r.duringOutage > 0 && r.peerAfter == r.duringOutage},
	}
	all := true
	for _, c := range checks {
		mark := "PASS"
		if !c.ok {
			mark, all = "FAIL", false
		}
		fmt.Fprintf(w, "%s  %s\n", mark, c.name)
	}
	return all
}
