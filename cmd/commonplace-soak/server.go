package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// instance is the `commonplace serve` process under test, on a database
// of its own.
type instance struct {
	bin     string
	dbURL   string
	base    string // http://127.0.0.1:PORT
	cmd     *exec.Cmd
	exited  chan struct{} // closed once the process has ended
	logPath string
}

// buildBinary builds ./cmd/commonplace into dir; run from the module root.
func buildBinary(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "commonplace")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/commonplace")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build the server (run from the repository root, or pass --bin): %w", err)
	}
	return bin, nil
}

// createDatabase makes a fresh database on the server adminURL points at
// and returns its URL; drop removes it.
func createDatabase(ctx context.Context, adminURL string) (dbURL string, drop func() error, err error) {
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("open %s: %w", adminURL, err)
	}
	name := fmt.Sprintf("commonplace_soak_%d", time.Now().Unix())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop = func() error {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	}
	return u.String(), drop, nil
}

// startInstance runs serve on a free loopback port and waits until ready.
func startInstance(ctx context.Context, bin, dbURL, logDir string) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	inst := &instance{bin: bin, dbURL: dbURL, base: "http://" + addr, logPath: filepath.Join(logDir, "serve.log"),
		exited: make(chan struct{})}
	logf, err := os.Create(inst.logPath)
	if err != nil {
		return nil, err
	}
	inst.cmd = exec.Command(bin, "serve", "--domain", addr, "--listen", addr, "--local-testing", "--db", dbURL, "--log-level", "warn")
	inst.cmd.Stdout, inst.cmd.Stderr = logf, logf
	if err := inst.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	go func() {
		_ = inst.cmd.Wait()
		logf.Close()
		close(inst.exited)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(inst.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return inst, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	inst.stop()
	return nil, fmt.Errorf("serve did not become ready within a minute; see %s", inst.logPath)
}

// cli runs a commonplace subcommand on the instance's database.
func (inst *instance) cli(ctx context.Context, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, inst.bin, append(args, "--db", inst.dbURL)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return "", fmt.Errorf("commonplace %s: %w: %s", args[0], err, ee.Stderr)
		}
		return "", fmt.Errorf("commonplace %s: %w", args[0], err)
	}
	return strings.TrimSpace(string(out)), nil
}

// stop sends SIGTERM and, after 15 seconds, kills.
func (inst *instance) stop() {
	if inst.cmd.Process == nil {
		return
	}
	_ = inst.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-inst.exited:
	case <-time.After(15 * time.Second):
		_ = inst.cmd.Process.Kill()
		<-inst.exited
	}
}

// rssKB reads the serve process's resident set size.
func (inst *instance) rssKB() (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", inst.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", inst.cmd.Process.Pid)
}

// queueDepth counts jobs waiting to run and deliveries not yet sent.
type queueDepth struct{ jobs, deliveries int }

func (inst *instance) queueDepth(ctx context.Context) (queueDepth, error) {
	db, err := sql.Open("pgx", inst.dbURL)
	if err != nil {
		return queueDepth{}, err
	}
	defer db.Close()
	var q queueDepth
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state IN ('available', 'retryable')").Scan(&q.jobs); err != nil {
		return q, fmt.Errorf("count jobs: %w", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM outbox_deliveries").Scan(&q.deliveries); err != nil {
		return q, fmt.Errorf("count deliveries: %w", err)
	}
	return q, nil
}
