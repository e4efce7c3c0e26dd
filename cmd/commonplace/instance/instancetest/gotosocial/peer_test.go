package gotosocial

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that notes Fatal and Skip instead of stopping.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.fatal = fmt.Sprint(args...) }
func (r *recorder) Skip(args ...any)  { r.skip = fmt.Sprint(args...) }

// A missing peer kit skips with one line on a developer's machine, and
// fails the test under CI, so CI can never pass without the real peer.
func TestMissingKitSkipsLocallyAndFailsInCI(t *testing.T) {
	t.Setenv(EnvDir, t.TempDir())
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	kitDir(r)
	if r.skip == "" || r.fatal != "" || strings.Contains(r.skip, "\n") || !strings.Contains(r.skip, EnvDir) {
		t.Errorf("outside CI: skip %q, fatal %q; want one line naming %s", r.skip, r.fatal, EnvDir)
	}
	t.Setenv("CI", "true")
	r = &recorder{TB: t}
	kitDir(r)
	if r.fatal == "" || r.skip != "" {
		t.Errorf("under CI: skip %q, fatal %q; want a failure", r.skip, r.fatal)
	}
}
