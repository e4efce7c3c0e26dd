// Package idlemem keeps a serve process small while it has little to do.
//
// At rest most of a Go server's resident memory is not its live data: it is
// heap the garbage collector keeps for the next burst (up to twice the live
// heap) and the pages of the executable that start-up touched once
// (package initialisers, migrations, template parsing) and never needs
// again. Both come back on demand, so once the process turns quiet this
// package hands them to the kernel.
package idlemem

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

const (
	// DefaultLimit is the soft memory limit serve runs with unless
	// GOMEMLIMIT says otherwise. Under the inbox flood the Go runtime uses
	// about 40 MiB, so the limit does not bind in normal work; it makes the
	// collector work harder, rather than let the heap double, as a process
	// nears it. It is soft: no allocation fails above it.
	DefaultLimit = 80 << 20

	// DefaultGCPercent is the heap growth serve allows between collections
	// unless GOGC says otherwise: twice Go's default. Under the inbox flood
	// a collection per 100% growth cost the serve process 5–20% of its CPU
	// more (measured back to back with commonplace-bench inbox), for 13 MiB
	// less at peak (59 against 72 MiB, under the 100 MiB goal). At rest it
	// changes nothing, since Run hands freed heap back, and DefaultLimit
	// still makes the collector run sooner as the process nears it.
	DefaultGCPercent = 200

	// checkEvery is how often the process looks whether it has turned quiet.
	checkEvery = 5 * time.Second
	// quietAllocs is the most a process may allocate in checkEvery and
	// count as quiet. At rest serve allocates about 40 KB a second (its
	// pollers); one page load or delivery is tens of KB, a flood megabytes.
	quietAllocs = 1 << 20
)

// SetDefaultLimit applies DefaultLimit unless the operator set GOMEMLIMIT,
// and reports the limit in force.
func SetDefaultLimit() int64 {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultLimit)
	}
	return debug.SetMemoryLimit(-1)
}

// SetDefaultGCPercent applies DefaultGCPercent unless the operator set
// GOGC, and reports the percentage in force.
func SetDefaultGCPercent() int {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultGCPercent)
	}
	current := debug.SetGCPercent(-1)
	debug.SetGCPercent(current)
	return current
}

// Run watches the process until ctx ends. Each time it turns quiet (the
// first time being the end of start-up) it returns freed heap to the
// kernel and lets go of the executable's pages; work after that brings
// back only the pages it touches.
func Run(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(checkEvery)
	defer t.Stop()
	var q quietness
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !q.turnedQuiet(allocatedBytes()) {
			continue
		}
		debug.FreeOSMemory()
		if n, err := dropExecutablePages(); err != nil {
			log.Debug("idle memory: could not release the executable's pages", "err", err)
		} else {
			log.Debug("idle memory: released", "executable_bytes", n)
		}
	}
}

// quietness tells, from the running total of allocated bytes, when the
// process goes from busy to quiet. It starts busy: start-up is work.
type quietness struct {
	last  uint64
	quiet bool
	seen  bool
}

func (q *quietness) turnedQuiet(total uint64) bool {
	quiet := q.seen && total-q.last < quietAllocs
	turned := quiet && !q.quiet
	q.last, q.quiet, q.seen = total, quiet, true
	return turned
}

var allocSample = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}

func allocatedBytes() uint64 {
	metrics.Read(allocSample)
	if allocSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return allocSample[0].Value.Uint64()
}
