package testneeds

import (
	"os"
	"testing"
)

// Skips are counted per service under the first reason given, and the
// summary has one line per service.
func TestSummaryCountsSkipsPerService(t *testing.T) {
	t.Setenv("CI", "")
	os.Unsetenv("CI") // t.Setenv restores it afterwards
	for range 3 {
		t.Run("pg", func(t *testing.T) { Missing(t, PostgreSQL, "role commonplace missing") })
	}
	t.Run("chromium", func(t *testing.T) { Missing(t, Chromium, "not installed") })
	got := Summary()
	want := []string{"Chromium tests skipped (1): not installed", "PostgreSQL tests skipped (3): role commonplace missing"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	if dir := packageDir(); dir != "internal/testneeds" {
		t.Errorf("packageDir() = %q", dir)
	}
	if info, err := os.Stat(markerFile()); err != nil || info.Size() == 0 {
		t.Errorf("no fresh file marks the run uncacheable: %v", err)
	}
}
