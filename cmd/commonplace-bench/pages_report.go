package main

import (
	"fmt"
	"io"
	"runtime"
	"time"
)

// pagesGoal is issue 11's bound on every page's p99 server time.
const pagesGoal = 10 * time.Millisecond

func numCPU() int { return runtime.NumCPU() }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func printPagesTable(out io.Writer, dialect string, ts []pageTiming) {
	fmt.Fprintf(out, "%-46s %9s %9s %9s %8s\n", "page ("+dialect+")", "p50", "p99", "max", "bytes")
	for _, t := range ts {
		fmt.Fprintf(out, "%-46s %9s %9s %9s %8d\n", t.page.name, ms(t.p50), ms(t.p99), ms(t.max), t.bytes)
	}
}

// printPagesSummary puts the dialects side by side against the goal.
func printPagesSummary(out io.Writer, rs []pagesResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(out, "\nSummary: p99 server time per page (goal: at most %s)\n%-46s", ms(pagesGoal), "page")
	for _, r := range rs {
		fmt.Fprintf(out, " %12s", r.dialect)
	}
	fmt.Fprintln(out)
	met := true
	for i, t := range rs[0].timings {
		fmt.Fprintf(out, "%-46s", t.page.name)
		for _, r := range rs {
			mark := ""
			if i < len(r.timings) {
				p99 := r.timings[i].p99
				if p99 > pagesGoal {
					mark, met = " !", false
				}
				fmt.Fprintf(out, " %10s%-2s", ms(p99), mark)
			}
		}
		fmt.Fprintln(out)
	}
	if met {
		fmt.Fprintln(out, "every page met the goal")
	} else {
		fmt.Fprintln(out, "pages marked ! missed the goal")
	}
}
