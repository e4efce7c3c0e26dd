package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
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

// procLog is a process's output, read while the process still writes.
type procLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *procLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *procLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// serveAs starts `commonplace serve` listening on listen for the instance
// at domain, so that several processes can serve one database.
func serveAs(t *testing.T, bin, domain, listen, db string) *procLog {
	t.Helper()
	log, _ := serveProc(t, bin, domain, listen, db)
	return log
}

// serveProc is serveAs, returning the process too.
func serveProc(t *testing.T, bin, domain, listen, db string) (*procLog, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--domain", domain, "--listen", listen, "--local-testing", "--db", db,
		"--queue-workers", "3", "--job-timeout", "3s", "--job-rescue-after", "4s", "--log-level", "warn")
	var log procLog
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// A race build of serve on a loaded machine can take a while to
	// migrate and listen; its log says why if it never does.
	deadline := time.Now().Add(60 * time.Second)
	for {
		status := 0
		resp, err := http.Get("http://" + listen + "/readyz")
		if err == nil {
			resp.Body.Close()
			if status = resp.StatusCode; status == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve on %s did not answer /readyz within 60s (last status %d, error %v); its log:\n%s", listen, status, err, &log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &log, cmd
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
	logs := []*procLog{serveAs(t, bin, domain, domain, db), serveAs(t, bin, domain, second, db)}
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

// fanoutFleet is many remote servers' inboxes, each verifying the
// signature with the sender's real key and counting what arrived.
type fanoutFleet struct {
	pub    *rsa.PublicKey
	delays map[string]time.Duration // before answering, by inbox; set up front

	mu       sync.Mutex
	posts    map[string]int       // by inbox URL
	answered map[string]time.Time // when an inbox first answered 202
	bad      []string
}

func newFanoutFleet(pub *rsa.PublicKey) *fanoutFleet {
	return &fanoutFleet{pub: pub, delays: map[string]time.Duration{}, posts: map[string]int{}, answered: map[string]time.Time{}}
}

func (f *fanoutFleet) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var sig *httpsign.Request
	if err == nil {
		sig, err = httpsign.ParseRequest(r, body, time.Now())
	}
	if err == nil {
		err = sig.Verify(f.pub)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.bad = append(f.bad, err.Error())
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	inbox := "http://" + r.Host + r.URL.Path
	f.posts[inbox]++
	f.mu.Unlock()
	select {
	case <-time.After(f.delays[inbox]):
	case <-r.Context().Done(): // the sender hung up (or died) first
		f.mu.Lock()
		return
	}
	f.mu.Lock()
	if f.answered[inbox].IsZero() {
		f.answered[inbox] = time.Now()
	}
	w.WriteHeader(http.StatusAccepted)
}

func (f *fanoutFleet) counts() (map[string]int, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.posts), slices.Clone(f.bad)
}

// Two serve processes on one PostgreSQL database share a fan-out to 700
// inboxes on 700 servers between them, and each inbox gets it exactly
// once: a host is leased to one process at a time, and its rows are
// deleted before the lease is handed back. A process sends to at most 512
// hosts at once and these answer slowly, so both take part.
func TestTwoServersShareAFanOutExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary twice")
	}
	db := storetest.URL(t, store.Postgres)
	bin := binary(t)
	fleet, inboxes := fanoutFollowers(t, bin, db, 700, 500*time.Millisecond)
	// Ports are picked once the fleet's 700 listeners hold theirs: picked
	// before, a freed port could go to one of them, and serve would find
	// it taken (its /readyz answered by a follower's server).
	domain, second := freeAddr(t), freeAddr(t)
	logs := []*procLog{serveAs(t, bin, domain, domain, db), serveAs(t, bin, domain, second, db)}
	t.Cleanup(func() {
		if t.Failed() {
			for i, l := range logs {
				t.Logf("process %d log:\n%s", i+1, l)
			}
		}
	})

	publishUpdate(t, bin, db)
	instancetest.Eventually(t, 60*time.Second, "every inbox to get the Create", func() bool {
		counts, _ := fleet.counts()
		return len(counts) == len(inboxes)
	})
	time.Sleep(2 * time.Second) // room for a second copy, were one to be sent
	counts, bad := fleet.counts()
	if len(bad) > 0 {
		t.Fatalf("%d deliveries failed verification, e.g. %s", len(bad), bad[0])
	}
	for _, inbox := range inboxes {
		if counts[inbox] != 1 {
			t.Errorf("%s got the Create %d times, want once", inbox, counts[inbox])
		}
	}
	d1, d2 := delivered(t, domain), delivered(t, second)
	if d1+d2 != len(inboxes) {
		t.Errorf("the processes counted %d + %d deliveries, want %d in all", d1, d2, len(inboxes))
	}
	if d1 == 0 || d2 == 0 {
		t.Errorf("one process sent everything (%d and %d): the test did not share the fan-out", d1, d2)
	}
	t.Logf("%d inboxes on as many servers, each reached once; process 1 sent %d, process 2 sent %d", len(inboxes), d1, d2)
}

// fanoutFollowers adds the organisation leedsth to db and gives it one
// follower on each of n verifying servers, which answer after a quarter,
// a half, three quarters or all of delay.
func fanoutFollowers(t *testing.T, bin, db string, n int, delay time.Duration) (*fanoutFleet, []string) {
	t.Helper()
	if out, err := exec.Command(bin, "org", "add", "leedsth", "--name", "Leeds Teaching Hospitals", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("org add: %v\n%s", err, out)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	org, err := st.LocalActor(context.Background(), "leedsth")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := keys.ParsePublic(org.PublicKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	fleet := newFanoutFleet(pub)
	var inboxes []string
	now := time.Now().UTC()
	for i := range n {
		srv := httptest.NewServer(http.HandlerFunc(fleet.serve))
		t.Cleanup(srv.Close)
		f := &model.Actor{Username: fmt.Sprintf("f%d", i), Host: strings.TrimPrefix(srv.URL, "http://"),
			IRI: srv.URL + "/users/f", Type: model.ActorPerson, Inbox: srv.URL + "/users/f/inbox"}
		if err := st.CreateActor(context.Background(), f); err != nil {
			t.Fatal(err)
		}
		if err := st.InsertFollow(context.Background(), st.DB, &model.Follow{FollowerID: f.ID, FolloweeID: org.ID,
			ActivityIRI: f.IRI + "#follow", State: model.FollowAccepted, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		inboxes = append(inboxes, f.Inbox)
		fleet.delays[f.Inbox] = delay * time.Duration(1+i%4) / 4
	}
	return fleet, inboxes
}

// publishUpdate publishes an update as leedsth with the CLI.
func publishUpdate(t *testing.T, bin, db string) {
	t.Helper()
	body := filepath.Join(t.TempDir(), "update.md")
	if err := os.WriteFile(body, []byte("Clinic hours change next week."), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "publish", "--org", "leedsth", "--kind", "update", "--file", body, "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("publish: %v\n%s", err, out)
	}
}

// A serve process killed with SIGKILL in the middle of a fan-out loses
// nothing: the other process on the database takes its hosts over once
// their leases run out (--job-rescue-after), and the only inboxes that get
// the activity twice are those whose POST was under way at the kill.
func TestKilledServerLeavesItsFanOutToTheOther(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, runs and kills the real binary")
	}
	db := storetest.URL(t, store.Postgres)
	bin := binary(t)
	fleet, inboxes := fanoutFollowers(t, bin, db, 700, 2*time.Second)
	// Ports are picked once the fleet's 700 listeners hold theirs: picked
	// before, a freed port could go to one of them, and serve would find
	// it taken (its /readyz answered by a follower's server).
	domain, second := freeAddr(t), freeAddr(t)
	log1, victim := serveProc(t, bin, domain, domain, db)
	log2 := serveAs(t, bin, domain, second, db)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("killed process log:\n%s\nsurviving process log:\n%s", log1, log2)
		}
	})

	publishUpdate(t, bin, db)
	instancetest.Eventually(t, 60*time.Second, "the fan-out to be under way", func() bool {
		fleet.mu.Lock()
		defer fleet.mu.Unlock()
		return len(fleet.answered) >= 100
	})
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = victim.Wait()
	killed := time.Now()
	fleet.mu.Lock()
	answeredAtKill := len(fleet.answered)
	fleet.mu.Unlock()
	if answeredAtKill >= len(inboxes) {
		t.Fatal("the fan-out finished before the kill; the test proves nothing")
	}

	instancetest.Eventually(t, 90*time.Second, "every inbox to take the Create", func() bool {
		fleet.mu.Lock()
		defer fleet.mu.Unlock()
		return len(fleet.answered) == len(inboxes)
	})
	time.Sleep(2 * time.Second) // room for a further copy, were one to be sent
	counts, bad := fleet.counts()
	if len(bad) > 0 {
		t.Fatalf("%d deliveries failed verification, e.g. %s", len(bad), bad[0])
	}
	fleet.mu.Lock()
	defer fleet.mu.Unlock()
	dups := 0
	for _, inbox := range inboxes {
		switch n := counts[inbox]; {
		case n > 2:
			t.Errorf("%s got the Create %d times", inbox, n)
		case n == 2:
			dups++
			// Its first POST was cut off by the kill, or answered so
			// shortly before it that the answer was not yet recorded.
			if first := fleet.answered[inbox]; first.Before(killed.Add(-time.Second)) {
				t.Errorf("%s got the Create again though it took it %s before the kill", inbox, killed.Sub(first))
			}
		}
	}
	t.Logf("killed one of two processes with %d of %d inboxes answered; all reached, %d twice (their POSTs were in flight)",
		answeredAtKill, len(inboxes), dups)
}
