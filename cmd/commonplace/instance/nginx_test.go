package instance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

const deployNginx = "../../../deploy/nginx.conf"

// nginxBinary finds nginx, skipping the test on a machine without it; in CI
// (CI=true) a missing nginx is a failure, so the proxy test cannot silently
// stop running.
func nginxBinary(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("nginx is not installed; CI must install it (apt-get install -y nginx-light)")
	}
	t.Skip("nginx is not installed; skipping the reverse-proxy test")
	return ""
}

// The shipped deploy/nginx.conf is valid nginx configuration, with real
// certificates in place of certbot's.
func TestDeployNginxConfigIsValid(t *testing.T) {
	bin := nginxBinary(t)
	dir := t.TempDir()
	certPEM := writeCachedCert(t, dir, "social.example.org")
	keyAndCert, err := os.ReadFile(filepath.Join(dir, "social.example.org"))
	if err != nil {
		t.Fatal(err)
	}
	// writeCachedCert wrote key then certificate; nginx wants them apart.
	keyPEM := strings.TrimSuffix(string(keyAndCert), string(certPEM))
	mustWrite(t, filepath.Join(dir, "fullchain.pem"), string(certPEM))
	mustWrite(t, filepath.Join(dir, "privkey.pem"), keyPEM)
	site := strings.ReplaceAll(readDeployNginx(t), "/etc/letsencrypt/live/social.example.org/", dir+"/")
	conf := mainConfig(dir, site)
	mustWrite(t, filepath.Join(dir, "nginx.conf"), conf)
	out, err := exec.Command(bin, "-t", "-q", "-e", "stderr", "-p", dir, "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -t refused deploy/nginx.conf: %v\n%s", err, out)
	}
}

// A Commonplace instance behind nginx configured with the proxy block of
// deploy/nginx.conf: WebFinger works, and a signed inbox POST is verified,
// which needs nginx to pass the Host header through unchanged.
func TestBehindNginx(t *testing.T) {
	bin := nginxBinary(t)
	dir := t.TempDir()

	// nginx's address is the instance's public domain; Commonplace itself
	// listens on another loopback port, as with --listen 127.0.0.1:8080.
	front := freeLoopbackAddr(t)
	backend, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inst := startBehindProxy(t, front, backend)
	inst.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})

	block := proxyBlock(t)
	// The test listens on a port, and nginx's $host drops the port, so here
	// the client's Host header is passed verbatim instead (see docs/proxy.md).
	block = strings.Replace(block, "proxy_set_header Host $host;", "proxy_set_header Host $http_host;", 1)
	site := fmt.Sprintf("upstream commonplace {\n    server %s;\n    keepalive 16;\n}\nserver {\n    listen %s;\n    server_name %s;\n%s\n}\n",
		backend.Addr(), front, strings.Split(front, ":")[0], block)
	mustWrite(t, filepath.Join(dir, "nginx.conf"), mainConfig(dir, site))
	stop := runNginx(t, bin, dir, front)
	defer stop()

	base := "http://" + front
	res, err := http.Get(base + "/.well-known/webfinger?resource=acct:stgemmas@" + front)
	if err != nil {
		t.Fatal(err)
	}
	var jrd struct {
		Subject string
		Links   []struct{ Rel, Href string }
	}
	err = json.NewDecoder(res.Body).Decode(&jrd)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || jrd.Subject != "acct:stgemmas@"+front {
		t.Fatalf("WebFinger through nginx: %d %+v %v", res.StatusCode, jrd, err)
	}
	self := ""
	for _, l := range jrd.Links {
		if l.Rel == "self" {
			self = l.Href
		}
	}
	if self != base+"/users/stgemmas" {
		t.Errorf("WebFinger self link %q, want %q", self, base+"/users/stgemmas")
	}

	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	f := alice.Follow(self)
	if status, msg := alice.Send(t, base+"/users/stgemmas/inbox", f); status != http.StatusAccepted {
		t.Fatalf("signed Follow through nginx: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept of a Follow sent through nginx", func() bool {
		return acceptsOf(alice, f["id"].(string)) == 1
	})

	// A body over Commonplace's own 1 MiB limit reaches Commonplace, which
	// answers it, rather than being cut off by nginx.
	big := make([]byte, 1<<20+10)
	if status, _ := alice.SendRaw(t, base+"/inbox", big, nil); status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized inbox POST through nginx: %d, want 413 from Commonplace", status)
	}
}

func startBehindProxy(t *testing.T, domain string, ln net.Listener) *instancetest.Running {
	t.Helper()
	dbURL := storetest.URL(t, store.SQLite)
	cfg := config.Config{Domain: domain, Listen: ln.Addr().String(), DatabaseURL: dbURL, LocalTesting: true, BehindProxy: true,
		LogFormat: "text", LogLevel: "warn", QueueWorkers: config.DefaultQueueWorkers,
		JobTimeout: config.DefaultJobTimeout, JobRescueAfter: config.DefaultJobRescueAfter}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", domain)
	ctx, cancel := context.WithCancel(context.Background())
	inst, err := instance.OpenTuned(ctx, cfg, log, instancetest.FastTuning)
	if err != nil {
		cancel()
		ln.Close()
		t.Fatalf("open instance: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- inst.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("instance stopped with: %v", err)
		}
		inst.Close()
	})
	return &instancetest.Running{Instance: inst, URL: "http://" + domain, Domain: domain, DBURL: dbURL}
}

// runNginx starts nginx in the foreground and waits until it accepts
// connections on addr; the returned function stops it.
func runNginx(t *testing.T, bin, dir, addr string) func() {
	t.Helper()
	var out strings.Builder
	cmd := exec.Command(bin, "-e", "stderr", "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-g", "daemon off;")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("nginx exited at start: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			t.Fatalf("nginx did not start listening on %s\n%s", addr, out.String())
		}
	}
	return func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("nginx output:\n%s", out.String())
		}
	}
}

// mainConfig wraps a site (server and upstream blocks) in a self-contained
// nginx.conf that keeps every file under dir.
func mainConfig(dir, site string) string {
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n" // workers must reach the temporary directory
	}
	return user + `worker_processes 1;
pid ` + dir + `/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ` + dir + `/body;
    proxy_temp_path ` + dir + `/proxy;
    fastcgi_temp_path ` + dir + `/fastcgi;
    uwsgi_temp_path ` + dir + `/uwsgi;
    scgi_temp_path ` + dir + `/scgi;
` + site + `}
`
}

func readDeployNginx(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(deployNginx)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// proxyBlock is the location block between the BEGIN and END markers of
// deploy/nginx.conf, so the test runs the shipped proxy settings.
func proxyBlock(t *testing.T) string {
	t.Helper()
	conf := readDeployNginx(t)
	begin := strings.Index(conf, "# BEGIN commonplace proxy")
	end := strings.Index(conf, "# END commonplace proxy")
	if begin < 0 || end < begin {
		t.Fatal("deploy/nginx.conf lost its BEGIN/END commonplace proxy markers")
	}
	block := conf[begin:end]
	for _, want := range []string{"proxy_pass http://commonplace;", "proxy_set_header Host $host;",
		"X-Forwarded-For", "X-Forwarded-Proto", "client_max_body_size"} {
		if !strings.Contains(block, want) {
			t.Errorf("deploy/nginx.conf proxy block lacks %q", want)
		}
	}
	return block
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func mustWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
