package loadrig

import (
	"context"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
)

// The whole rig, end to end: a real serve process on SQLite, three
// followers seeded through the store, one post published with the CLI and
// fanned out to each of them exactly once.
func TestWorldFansOutOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w, err := StartWorld(ctx, WorldConfig{Keys: 1, Dir: FollowOrg,
		Env:   EnvConfig{Dialect: store.SQLite, Prefix: "loadrig_test", Org: "bench"},
		Fleet: FleetConfig{N: 3, Block: 8, Username: "follower"}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(false, nil)
	before := w.MarkCPU(ctx)
	url, err := w.CLI(ctx, "A post for the rig's test.", "publish", "--org", "bench", "--kind", "update", "--file", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Fleet.Arrivals.Wait(ctx, url, 3, time.Minute) {
		t.Fatalf("the post reached %d of 3 followers", w.Fleet.Arrivals.Of(url).Remotes)
	}
	if once, dup, missed := w.Fleet.Tally(url); once != 3 || dup != 0 || missed != 0 {
		t.Errorf("once %d, more %d, never %d", once, dup, missed)
	}
	use := w.MarkCPU(ctx).Since(before)
	if use.Wall <= 0 || len(use.Servers) != 1 {
		t.Errorf("CPU use %+v", use)
	}
	if p, err := ReadProc(w.Servers[0].PID()); err != nil || p.RSS == 0 {
		t.Errorf("serve RSS %d, %v", p.RSS, err)
	}
}
