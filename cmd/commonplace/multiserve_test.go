package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveAs starts `commonplace serve` listening on listen for the instance
// at domain, so that several processes can serve one database.
func serveAs(t *testing.T, bin, domain, listen, db string) *bytes.Buffer {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--domain", domain, "--listen", listen, "--local-testing", "--db", db,
		"--queue-workers", "3", "--job-timeout", "3s", "--job-rescue-after", "4s", "--log-level", "warn")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	instancetest.Eventually(t, 20*time.Second, "serve on "+listen+" to answer", func() bool {
		resp, err := http.Get("http://" + listen + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return &log
}

var deliveredLine = regexp.MustCompile(`(?m)^commonplace_deliveries_total\{outcome="delivered"\} (\d+)$`)

// delivered reads a process's count of successful deliveries from its
// /metrics (the test client is on loopback).
func delivered(t *testing.T, listen string) int {
	t.Helper()
	resp, err := http.Get("http://" + listen + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := deliveredLine.FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// Two serve processes on one PostgreSQL database share the job queue: a
// fan-out reaches every follower once, whichever process works each job.
func TestTwoServersShareOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary twice")
	}
	db := storetest.URL(t, store.Postgres)
	bin := binary(t)
	domain, second := freeAddr(t), freeAddr(t)
	if out, err := exec.Command(bin, "org", "add", "leedsth", "--name", "Leeds Teaching Hospitals", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("org add: %v\n%s", err, out)
	}
	logs := []*bytes.Buffer{serveAs(t, bin, domain, domain, db), serveAs(t, bin, domain, second, db)}
	t.Cleanup(func() {
		if t.Failed() {
			for i, l := range logs {
				t.Logf("process %d log:\n%s", i+1, l)
			}
		}
	})

	const followers = 10
	remotes := make([]*instancetest.Remote, followers)
	for i := range remotes {
		remotes[i] = instancetest.NewRemote(t, instancetest.RemoteOptions{Username: fmt.Sprintf("f%d", i)})
		via := []string{domain, second}[i%2]
		f := remotes[i].Follow("http://" + domain + "/users/leedsth")
		if status, msg := remotes[i].Send(t, "http://"+via+"/inbox", f); status != http.StatusAccepted {
			t.Fatalf("follow %d via %s: %d %s", i, via, status, msg)
		}
	}
	instancetest.Eventually(t, 60*time.Second, "every follower's Accept", func() bool {
		for _, r := range remotes {
			if len(r.Received()) == 0 {
				return false
			}
		}
		return true
	})

	body := filepath.Join(t.TempDir(), "update.md")
	if err := os.WriteFile(body, []byte("Clinic hours change next week. #Leeds"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "publish", "--org", "leedsth", "--kind", "update", "--file", body, "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	creates := func(r *instancetest.Remote) (ids []string) {
		for _, d := range r.Received() {
			if d.Activity["type"] == "Create" {
				ids = append(ids, d.Activity["id"].(string))
			}
		}
		return ids
	}
	instancetest.Eventually(t, 60*time.Second, "every follower's Create", func() bool {
		for _, r := range remotes {
			if len(creates(r)) == 0 {
				return false
			}
		}
		return true
	})
	time.Sleep(2 * time.Second) // room for a second copy, if the queue were to hand a job out twice

	ids := map[string]bool{}
	dups, posts := 0, 0
	for i, r := range remotes {
		got := creates(r)
		if len(got) != 1 {
			t.Errorf("follower %d received the Create %d times: %v", i, len(got), got)
			dups += len(got) - 1
		}
		for _, id := range got {
			ids[id] = true
		}
		posts += r.Attempts()
	}
	if len(ids) != 1 {
		t.Errorf("followers received %d different Create ids, want 1: %v", len(ids), ids)
	}
	if posts != 2*followers {
		t.Errorf("followers saw %d inbox POSTs, want %d (one Accept and one Create each)", posts, 2*followers)
	}
	d1, d2 := delivered(t, domain), delivered(t, second)
	if d1+d2 != 2*followers {
		t.Errorf("the processes counted %d + %d deliveries, want %d in all", d1, d2, 2*followers)
	}
	t.Logf("%d followers, %d inbox POSTs, %d duplicate Creates; deliveries worked: process 1 %d, process 2 %d",
		followers, posts, dups, d1, d2)
}
