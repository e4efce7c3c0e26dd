package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the real commonplace binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "commonplace-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "commonplace")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type server struct {
	cmd *exec.Cmd
	log *bytes.Buffer
}

func startServer(t *testing.T, bin, addr, db string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--domain", addr, "--listen", addr, "--local-testing", "--db", db,
		"--queue-workers", "3", "--job-timeout", "3s", "--job-rescue-after", "4s", "--log-level", "warn")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, log: &log}
	t.Cleanup(func() { _ = s.cmd.Process.Kill(); _ = s.cmd.Wait() })
	instancetest.Eventually(t, 20*time.Second, "the server to answer", func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return s
}

func updatesReceived(remotes []*instancetest.Remote) (withUpdate, duplicates int, ids map[string]bool) {
	ids = map[string]bool{}
	for _, r := range remotes {
		n := 0
		for _, d := range r.Received() {
			if d.Activity["type"] == "Update" {
				n++
				ids[d.Activity["id"].(string)] = true
			}
		}
		if n > 0 {
			withUpdate++
		}
		if n > 1 {
			duplicates += n - 1
		}
	}
	return withUpdate, duplicates, ids
}

// A server killed with SIGKILL in the middle of a fan-out delivers the rest
// after it is started again, and every follower ends up with the activity.
func TestKilledServerFinishesFanOutAfterRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db := "sqlite:" + filepath.Join(t.TempDir(), "trust.db")
	if out, err := exec.Command(bin, "org", "add", "leedsth", "--name", "Leeds Teaching Hospitals", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("org add: %v\n%s", err, out)
	}
	srv := startServer(t, bin, addr, db)

	const followers = 24
	remotes := make([]*instancetest.Remote, followers)
	for i := range remotes {
		remotes[i] = instancetest.NewRemote(t, instancetest.RemoteOptions{Username: fmt.Sprintf("f%d", i)})
		f := remotes[i].Follow("http://" + addr + "/users/leedsth")
		if status, msg := remotes[i].Send(t, "http://"+addr+"/inbox", f); status != http.StatusAccepted {
			t.Fatalf("follow %d: %d %s", i, status, msg)
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

	// Slow followers, each slower than the last: hosts are sent to side by
	// side, so equal delays would let every delivery finish together, and
	// the fan-out takes several seconds only if they finish one by one.
	for i, r := range remotes {
		r.SetDelay(time.Duration(i+1) * 400 * time.Millisecond)
	}
	if out, err := exec.Command(bin, "org", "edit", "leedsth", "--name", "Leeds Teaching Hospitals NHS Trust", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("org edit: %v\n%s", err, out)
	}
	instancetest.Eventually(t, 60*time.Second, "the fan-out to be under way", func() bool {
		n, _, _ := updatesReceived(remotes)
		return n >= 3
	})
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.cmd.Wait()
	before, _, _ := updatesReceived(remotes)
	t.Logf("killed the server with %d of %d followers reached", before, followers)
	if before >= followers {
		t.Fatalf("the fan-out finished before the kill; the test proves nothing")
	}

	startServer(t, bin, addr, db)
	instancetest.Eventually(t, 100*time.Second, "every follower to get the Update after the restart", func() bool {
		n, _, _ := updatesReceived(remotes)
		return n == followers
	})
	_, dups, ids := updatesReceived(remotes)
	if len(ids) != 1 {
		t.Errorf("followers received %d different Update ids, want 1: %v", len(ids), ids)
	}
	t.Logf("after restart all %d followers had the Update; %d duplicate deliveries (receivers de-duplicate by id)", followers, dups)
}
