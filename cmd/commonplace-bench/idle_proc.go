package main

import (
	"fmt"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

// memory is one reading of a process's memory, in bytes. RSS is anonymous
// memory (the Go heap, stacks, SQLite's caches) plus mapped file pages,
// nearly all of them the binary's own (and libc's in a cgo build); the
// kernel maps a binary 64 KiB at a time, so the file part follows how much
// of the binary start-up and serving touch.
type memory struct {
	RSS, Peak, Anon, File int64
}

func readMemory(pid int) (memory, error) {
	s, err := loadrig.ReadProc(pid)
	if err != nil {
		return memory{}, err
	}
	return memory{RSS: s.RSS, Peak: s.PeakRSS, Anon: s.Anon, File: s.File}, nil
}

func (m memory) String() string {
	return fmt.Sprintf("%5.1f MiB (anon %4.1f + file %4.1f; peak %5.1f)", mib(m.RSS), mib(m.Anon), mib(m.File), mib(m.Peak))
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
