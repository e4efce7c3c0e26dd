package loadrig

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Server is one `commonplace serve` process under test.
type Server struct {
	Bin     string
	DB      string // database URL
	Domain  string // the public host:port its ids use
	Listen  string // where this process listens
	Base    string // http://Listen
	LogPath string

	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has ended
}

// ServerConfig says how to start a serve process.
type ServerConfig struct {
	Bin, DB string
	// Domain is the instance's public host:port; empty means this process's
	// own address. Several processes on one database share one domain.
	Domain string
	LogDir string
	Name   string   // names the log file, e.g. "serve-1"
	Args   []string // further serve flags
}

// serverPackage is built by import path, so that a build works from any
// directory inside the module.
const serverPackage = "github.com/commonplace-social/commonplace/cmd/commonplace"

// BuildServer builds the commonplace command into dir; run inside the module.
func BuildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "commonplace")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, serverPackage)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build the server (run inside the repository, or pass --bin): %w", err)
	}
	return bin, nil
}

// freeAddr picks a loopback port nobody listens on at this moment.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// StartServer runs serve in local-testing mode (so loopback peers are
// allowed) on a free loopback port and waits until /readyz answers.
func StartServer(ctx context.Context, c ServerConfig) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	if c.Domain == "" {
		c.Domain = addr
	}
	if c.Name == "" {
		c.Name = "serve"
	}
	s := &Server{Bin: c.Bin, DB: c.DB, Domain: c.Domain, Listen: addr, Base: "http://" + addr,
		LogPath: filepath.Join(c.LogDir, c.Name+".log"), exited: make(chan struct{})}
	logf, err := os.Create(s.LogPath)
	if err != nil {
		return nil, fmt.Errorf("create the serve log: %w", err)
	}
	args := append([]string{"serve", "--domain", c.Domain, "--listen", addr, "--local-testing", "--db", c.DB, "--log-level", "warn"}, c.Args...)
	s.cmd = exec.Command(c.Bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s serve: %w", c.Bin, err)
	}
	go func() {
		_ = s.cmd.Wait()
		logf.Close()
		close(s.exited)
	}()
	if err := s.waitReady(ctx, time.Minute); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) waitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.Base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited:
			return fmt.Errorf("serve exited before it was ready; see %s", s.LogPath)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("serve did not become ready within %s; see %s", within, s.LogPath)
}

// PID is the serve process's id, for sampling it.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop sends SIGTERM and, after 15 seconds, kills.
func (s *Server) Stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// CLI runs a commonplace subcommand on the server's database and returns
// what it printed.
func (s *Server) CLI(ctx context.Context, stdin string, args ...string) (string, error) {
	return CLI(ctx, s.Bin, s.DB, stdin, args...)
}

// CLI runs `bin args… --db db` with stdin and returns its trimmed output.
func CLI(ctx context.Context, bin, db, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--db", db)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("commonplace %s: %w: %s", args[0], err, ee.Stderr)
		}
		return "", fmt.Errorf("commonplace %s: %w", args[0], err)
	}
	return strings.TrimSpace(string(out)), nil
}
