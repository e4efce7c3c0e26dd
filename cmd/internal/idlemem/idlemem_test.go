package idlemem

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

func TestQuietnessFiresOnceWhenAllocationsSlow(t *testing.T) {
	var q quietness
	steps := []struct {
		total uint64
		want  bool
	}{
		{10 << 20, false},                // first reading: start-up counts as busy
		{10<<20 + 4096, true},            // quiet now
		{10<<20 + 8192, false},           // still quiet: already released
		{30 << 20, false},                // busy
		{30<<20 + quietAllocs - 1, true}, // quiet again
	}
	for i, s := range steps {
		if got := q.turnedQuiet(s.total); got != s.want {
			t.Fatalf("step %d (total %d): turnedQuiet = %v, want %v", i, s.total, got, s.want)
		}
	}
}

// TestDefaultGCPercentYieldsToGOGC: serve's default applies only when the
// operator has not chosen a GOGC of their own.
func TestDefaultGCPercentYieldsToGOGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "")
	if got := SetDefaultGCPercent(); got != DefaultGCPercent {
		t.Errorf("without GOGC: %d%%, want %d%%", got, DefaultGCPercent)
	}
	debug.SetGCPercent(150) // as the runtime does for GOGC=150 at start-up
	t.Setenv("GOGC", "150")
	if got := SetDefaultGCPercent(); got != 150 {
		t.Errorf("with GOGC=150: %d%%, want it left at 150%%", got)
	}
}

// TestDropExecutablePages releases this test binary's mapped pages and
// checks that its resident file pages fell and that code still runs.
func TestDropExecutablePages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	before := rssFile(t)
	released, err := dropExecutablePages()
	if err != nil {
		t.Fatal(err)
	}
	after := rssFile(t)
	if released <= 0 || after >= before {
		t.Fatalf("released %d bytes; RssFile %d before, %d after", released, before, after)
	}
	// Code and constant data come back from the page cache on demand.
	if got := strconv.Itoa(12345) + strings.Repeat("x", 2); got != "12345xx" {
		t.Fatalf("after the release, got %q", got)
	}
}

func rssFile(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			return kilobytes(v)
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}
