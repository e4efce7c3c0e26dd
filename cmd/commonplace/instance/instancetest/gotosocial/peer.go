// Package gotosocial runs a real GoToSocial server on loopback for
// interoperability tests, from the peer kit in ../shared/peers/gotosocial,
// and drives its users through the Mastodon-compatible client API.
//
// Tests that need the peer call Start; where the kit is missing they skip
// with one line on a developer's machine and fail under CI=true, so a CI run
// can never pass without having federated with it.
package gotosocial

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/testneeds"
)

// EnvDir names the peer kit's folder (the one holding the gts script).
const EnvDir = "COMMONPLACE_TEST_GOTOSOCIAL"

// Peer is one running GoToSocial instance.
type Peer struct {
	URL  string // http://IP:PORT
	Host string // IP:PORT, the domain its handles use
	dir  string
	kit  string
	cmd  *exec.Cmd
}

// nextIP hands each peer of a test process its own loopback address, as
// GoToSocial needs one host per instance; 127.0.0.1 stays Commonplace's.
var nextIP atomic.Int32

// Start runs a fresh GoToSocial until the test ends and returns once its
// client API answers.
func Start(t testing.TB) *Peer {
	t.Helper()
	kit := kitDir(t)
	bin := gts(t, kit, "bin")
	ip := fmt.Sprintf("127.0.%d.%d", 40+os.Getpid()%100, 10+nextIP.Add(1)%200)
	port := freePort(t, ip)
	p := &Peer{Host: ip + ":" + strconv.Itoa(port), dir: t.TempDir(), kit: kit}
	p.URL = "http://" + p.Host
	if err := os.WriteFile(filepath.Join(p.dir, "config.yaml"), []byte(p.config(ip, port)), 0o600); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(p.dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, "--config-path", filepath.Join(p.dir, "config.yaml"), "server", "start")
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	p.cmd.Env = append(os.Environ(), "GTS_WAZERO_COMPILATION_CACHE="+cacheDir()+"/wazero")
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start GoToSocial: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-exited
		}
		logf.Close()
		if t.Failed() {
			t.Logf("GoToSocial %s log: %s", p.Host, p.LogTail(400))
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(p.URL + "/api/v1/instance")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-exited:
			t.Fatalf("GoToSocial exited during start-up: %s", p.LogTail(20))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("GoToSocial did not answer within 2 minutes: %s", p.LogTail(20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// config is the kit's own loopback configuration, with one change: client
// API rate limits are off, since a test polls timelines far faster than a
// person would and every poll comes from 127.0.0.1.
func (p *Peer) config(ip string, port int) string {
	return fmt.Sprintf(`log-level: "info"
host: "%[1]s:%[2]d"
protocol: "http"
bind-address: "%[1]s"
port: %[2]d
trusted-proxies: ["127.0.0.0/8"]
db-type: "sqlite"
db-address: "%[3]s/sqlite.db"
web-template-base-dir: "%[4]s/web/template/"
web-asset-base-dir: "%[4]s/web/assets/"
instance-federation-mode: "blocklist"
accounts-registration-open: false
storage-backend: "local"
storage-local-base-path: "%[3]s/storage"
letsencrypt-enabled: false
advanced-rate-limit-requests: 0
http-client:
  timeout: "30s"
  allow-ips: ["127.0.0.0/8"]
  block-ips: []
  insecure-outgoing: true
`, ip, port, p.dir, p.kit)
}

// User creates an unlocked user through the kit's script and returns a
// client for it.
func (p *Peer) User(t testing.TB, name string) *Client {
	t.Helper()
	token := gts(t, p.kit, "user", p.dir, name)
	c := &Client{t: t, peer: p, Username: name, token: token}
	c.ID = c.verify()
	return c
}

// Handle is @name@host for one of the peer's users.
func (p *Peer) Handle(name string) string { return "@" + name + "@" + p.Host }

// ActorURL is the ActivityPub id GoToSocial gives a user.
func (p *Peer) ActorURL(name string) string { return p.URL + "/users/" + name }

// LogTail returns the last n lines of the server's log, for failure reports.
func (p *Peer) LogTail(n int) string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "server.log"))
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "\n" + strings.Join(lines, "\n")
}

// kitDir finds the peer kit: $COMMONPLACE_TEST_GOTOSOCIAL, or
// ../shared/peers/gotosocial beside the checkout.
func kitDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(EnvDir)
	if dir == "" {
		if root, err := repoRoot(); err == nil {
			dir = filepath.Join(root, "..", "shared", "peers", "gotosocial")
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "gts")); err != nil {
		testneeds.Missing(t, testneeds.GoToSocial, fmt.Sprintf("peer kit not found at %q; set %s to the folder holding its gts script", dir, EnvDir))
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// gts runs the kit's script and returns what it printed.
func gts(t testing.TB, kit string, args ...string) string {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join(kit, "gts")}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gts %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// cacheDir is where the script unpacks the binary; the compilation cache
// beside it makes every start after the first take seconds.
func cacheDir() string {
	if c := os.Getenv("GTS_CACHE"); c != "" {
		return c
	}
	if x := os.Getenv("XDG_CACHE_HOME"); x != "" {
		return filepath.Join(x, "commonplace-peers")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	return filepath.Join(home, ".cache", "commonplace-peers")
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func freePort(t testing.TB, ip string) int {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("no free port on %s: %v", ip, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// LogContains reports whether the server's log so far has a line holding s,
// for checks of what the peer thought of us that its API does not show.
func (p *Peer) LogContains(s string) bool {
	b, _ := os.ReadFile(filepath.Join(p.dir, "server.log"))
	return strings.Contains(string(b), s)
}
