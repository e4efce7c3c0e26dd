package loadrig

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
)

func TestLoopbackIP(t *testing.T) {
	for _, c := range []struct {
		block, i int
		want     string
	}{{1, 0, "127.1.0.1"}, {1, 253, "127.1.0.254"}, {1, 254, "127.1.1.1"}, {0, 254, "127.0.1.1"}, {2, 999, "127.2.3.238"}} {
		if got := LoopbackIP(c.block, c.i); got != c.want {
			t.Errorf("LoopbackIP(%d, %d) = %s, want %s", c.block, c.i, got, c.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 1: time.Millisecond} {
		if got := Percentile(ds, p); got != want {
			t.Errorf("p%v = %s, want %s", p, got, want)
		}
	}
	if ds[0] != 100*time.Millisecond {
		t.Error("Percentile reordered its input")
	}
}

func TestReadProcOfItself(t *testing.T) {
	busy := time.Now()
	for time.Since(busy) < 50*time.Millisecond {
	}
	p, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if p.RSS <= 0 || p.PeakRSS < p.RSS || p.Anon <= 0 || p.File <= 0 || p.Anon+p.File > p.RSS {
		t.Errorf("RSS %d (anon %d, file %d), peak %d", p.RSS, p.Anon, p.File, p.PeakRSS)
	}
	if p.CPU <= 0 || SelfCPU() <= 0 {
		t.Errorf("CPU from /proc %s, from getrusage %s, after 50 ms of spinning", p.CPU, SelfCPU())
	}
}

// A fleet counts what arrives, once and again, and its remotes sign what
// they send so that our own verifier accepts it.
func TestFleetCountsAndSigns(t *testing.T) {
	pool, err := NewKeyPool(1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFleet(FleetConfig{N: 3, Block: 9, Username: "t", Keys: pool})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, b := f.Remotes[0], f.Remotes[1]
	if a.IP() != "127.9.0.1" || b.IP() != "127.9.0.2" {
		t.Fatalf("addresses %s and %s", a.IP(), b.IP())
	}
	obj := "http://127.0.0.1/users/bench/posts/1"
	create := map[string]any{"type": "Create", "object": map[string]any{"id": obj}}
	ctx := context.Background()
	for _, to := range []*Remote{a, b, b} {
		if code, err := a.Send(ctx, a.Client("", 1), to.Base+"/inbox", create); err != nil || code != http.StatusAccepted {
			t.Fatalf("send to %s: %d %v", to.Addr, code, err)
		}
	}
	if !f.Arrivals.Wait(ctx, obj, 2, time.Second) {
		t.Fatal("the fleet did not see two remotes get the object")
	}
	if once, dup, missed := f.Tally(obj); once != 1 || dup != 1 || missed != 1 {
		t.Errorf("once %d, dup %d, missed %d; want 1 each", once, dup, missed)
	}
	if s := f.Arrivals.Of(obj); s.Remotes != 2 || s.Deliveries != 3 || s.Last.Before(s.First) {
		t.Errorf("spread %+v", s)
	}

	s, err := a.Sign("http://127.0.0.1:1/inbox", create)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL, nil)
	req.Header = s.Header
	parsed, err := httpsign.ParseRequest(req, s.Body, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pub, err := keys.ParsePublic(a.Key.PublicPEM)
	if err != nil {
		t.Fatal(err)
	}
	if err := parsed.Verify(pub); err != nil || parsed.KeyID() != a.KeyID {
		t.Errorf("verify: %v, key id %s", err, parsed.KeyID())
	}
	resp, err := http.Get(a.ActorID)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unsigned GET of the actor got %d, want 401", resp.StatusCode)
	}
}

func TestSigningFloor(t *testing.T) {
	pool, err := NewKeyPool(1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := SigningFloor(context.Background(), pool.Pick(0), 20, 100)
	if err != nil {
		t.Fatal(err)
	}
	if f.K != 20 || f.Elapsed <= 0 || f.CPU <= 0 || f.Workers < 1 {
		t.Errorf("floor %+v", f)
	}
}
