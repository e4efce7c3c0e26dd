package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
	"github.com/commonplace-social/commonplace/internal/store"
)

// idleTarget is issue 11's goal for a serve process at rest.
const idleTarget = 30 << 20

func init() {
	register(benchmark{name: "idle", summary: "memory of serve at rest, after page loads and after a login; binary size", run: runIdle})
}

type idleConfig struct {
	bin, pgAdmin  string
	build         buildKind
	dialects      []store.Dialect
	orgs, posts   int
	pages         int
	settle, after time.Duration
	keep          bool
}

func runIdle(ctx context.Context, args []string, out io.Writer, _ *slog.Logger) error {
	var c idleConfig
	var dialects, build string
	fs := flag.NewFlagSet("idle", flag.ContinueOnError)
	fs.StringVar(&c.bin, "bin", "", "commonplace binary to measure (default: build it stripped, see --build)")
	fs.StringVar(&build, "build", issueBuild.name, "without --bin, how to build: issue (`"+issueBuild.command()+"`) or deploy (`"+deployBuild.command()+"`)")
	fs.StringVar(&dialects, "dialects", "sqlite,postgres", "databases to run on, in turn")
	fs.StringVar(&c.pgAdmin, "pg", loadrig.DefaultPGAdmin, "PostgreSQL URL allowed to create and drop a database")
	fs.IntVar(&c.orgs, "orgs", 2, "organisations on the instance")
	fs.IntVar(&c.posts, "posts", 5, "posts each organisation publishes (from the command line, once serve is ready)")
	fs.IntVar(&c.pages, "pages", 200, "page loads between the idle reading and the next")
	fs.DurationVar(&c.settle, "settle", 10*time.Second, "rest after readiness before the idle reading")
	fs.DurationVar(&c.after, "after", 5*time.Second, "rest after the page loads and after the login before reading again")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (serve logs)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, d := range strings.Split(dialects, ",") {
		if d := store.Dialect(strings.TrimSpace(d)); d == store.SQLite || d == store.Postgres {
			c.dialects = append(c.dialects, d)
		} else {
			return fmt.Errorf("--dialects: %q is not sqlite or postgres", d)
		}
	}
	var err error
	if c.build, err = buildByName(build); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "commonplace-idle-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	if c.keep {
		fmt.Fprintf(out, "serve logs in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	how := "given with --bin"
	if c.bin == "" {
		how = c.build.command()
		if c.bin, _, err = c.build.build(ctx, dir); err != nil {
			return err
		}
	}
	size, err := fileSize(c.bin)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "machine: %s\nbinary: %s, %d bytes = %s (target ≤ 40 MB: %s)\n", loadrig.Machine(), how, size, mb(size), verdict(size <= sizeTarget))
	fmt.Fprintf(out, "RSS targets: ≤ 30 MiB at rest; RSS = anonymous memory + mapped file pages (the binary)\n")
	for _, d := range c.dialects {
		if err := idleRun(ctx, c, d, dir, out); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
	}
	return nil
}

// idleRun measures one serve process on a fresh database of dialect d.
func idleRun(ctx context.Context, c idleConfig, d store.Dialect, dir string, out io.Writer) error {
	sub, err := os.MkdirTemp(dir, string(d)+"-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	db, err := loadrig.NewDatabase(ctx, d, c.pgAdmin, sub, "cpidle")
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Drop(); err != nil {
			fmt.Fprintf(os.Stderr, "idle: %v\n", err)
		}
	}()
	if err := idleSeedOrgs(ctx, c.bin, db.URL, c.orgs); err != nil {
		return err
	}
	start := time.Now()
	srv, err := loadrig.StartServer(ctx, loadrig.ServerConfig{Bin: c.bin, DB: db.URL, LogDir: sub, Name: "serve"})
	if err != nil {
		return err
	}
	defer srv.Stop()
	ready := time.Since(start)
	pages, err := idleSeedPosts(ctx, c.bin, db.URL, c.orgs, c.posts)
	if err != nil {
		return err
	}
	read := func(label string, rest time.Duration) (memory, error) {
		select {
		case <-ctx.Done():
			return memory{}, ctx.Err()
		case <-time.After(rest):
		}
		m, err := readMemory(srv.PID())
		if err == nil {
			fmt.Fprintf(out, "  %-34s %s\n", label, m)
		}
		return m, err
	}
	fmt.Fprintf(out, "\n%s: %d organisations, %d posts, ready %s after start\n", d, c.orgs, c.orgs*c.posts, ready.Round(time.Millisecond))
	idle, err := read(fmt.Sprintf("at rest (%s after the posts)", c.settle), c.settle)
	if err != nil {
		return err
	}
	if err := idleLoadPages(ctx, srv.Base, pages, c.pages); err != nil {
		return err
	}
	if _, err := read(fmt.Sprintf("after %d page loads (+%s)", c.pages, c.after), c.after); err != nil {
		return err
	}
	// A login for nobody and a right one: each checks an argon2 hash.
	for _, try := range []struct {
		email string
		want  int
	}{{"nobody@example.org", http.StatusUnauthorized}, {"idle@example.org", http.StatusSeeOther}} {
		status, err := idleLogIn(ctx, srv.Base, try.email, idlePassword)
		if err != nil {
			return err
		}
		if status != try.want {
			return fmt.Errorf("login as %s answered %d, want %d", try.email, status, try.want)
		}
	}
	if _, err := read(fmt.Sprintf("after 2 logins, argon2 (+%s)", c.after), c.after); err != nil {
		return err
	}
	fmt.Fprintf(out, "  at rest vs target 30 MiB: %s\n", verdict(idle.RSS <= idleTarget))
	return nil
}
