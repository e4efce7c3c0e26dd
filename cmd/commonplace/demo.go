package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // the demo's events are in Europe/London, also where no zoneinfo is installed

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// demoOptions says where the demo network runs.
type demoOptions struct {
	PortBase     int    // first of four fixed ports; 0 picks free ones
	Dir          string // keeps the SQLite databases here; empty: a temporary directory, removed on exit
	DB           string // postgres://… puts every instance in its own schema of this database
	SchemaPrefix string // schema names are SchemaPrefix+username; tests pick their own
	Password     string // the demo login's password; generated when empty
	LogLevel     string
	Log          io.Writer // where the instances log
}

// demoSettle bounds each wait for federation (follows accepted, posts
// delivered): on loopback they take a second or two, far longer under -race.
const demoSettle = time.Minute

// The demo's logins at the trust: an admin, who also sees /admin (follows,
// followers, comments, blocks), and an author, who writes.
const (
	demoAdminEmail = "admin@leedsth.example"
	demoEmail      = "demo@leedsth.example"
)

func runDemo(ctx context.Context, args []string, out, errOut io.Writer) error {
	o := demoOptions{Password: os.Getenv("COMMONPLACE_PASSWORD"), LogLevel: "warn", Log: errOut, SchemaPrefix: "demo_"}
	fs := newFlagSet("demo", "demo [--port-base N] [--dir DIR | --db postgres://…]", out)
	fs.IntVar(&o.PortBase, "port-base", 0, "run the four instances on ports N to N+3 (default: free ports)")
	fs.StringVar(&o.Dir, "dir", "", "keep the SQLite databases in this directory (their previous contents are replaced)")
	fs.StringVar(&o.DB, "db", "", "run on this PostgreSQL database instead, one schema per instance (demo_USERNAME, emptied first)")
	fs.StringVar(&o.LogLevel, "log-level", o.LogLevel, "log level: debug, info, warn or error")
	if rest, err := parseArgs(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("%w: demo takes no arguments, got %q", errUsage, rest)
	}
	if _, err := config.ParseLevel(o.LogLevel); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if o.DB != "" && o.Dir != "" {
		return fmt.Errorf("%w: give --dir or --db, not both", errUsage)
	}
	if o.PortBase < 0 || o.PortBase > 65535-len(demoOrgs) {
		return fmt.Errorf("%w: --port-base must be between 1 and %d", errUsage, 65535-len(demoOrgs))
	}
	return demo(ctx, o, out, nil)
}

// demo runs the network until ctx is cancelled. ready, when given, is
// called once everything is published and delivered; tests use it.
func demo(ctx context.Context, o demoOptions, out io.Writer, ready func(*demoNetwork)) error {
	began := time.Now()
	n, err := startDemo(ctx, o, out)
	if err != nil {
		if ctx.Err() != nil { // Ctrl-C during start-up is not a failure
			return nil
		}
		return err
	}
	n.print(out, time.Since(began))
	if ready != nil {
		ready(n)
	}
	select {
	case <-ctx.Done():
	case err = <-n.failed:
	}
	return errors.Join(err, n.stop())
}

// demoNode is one running instance and its organisation.
type demoNode struct {
	*instance.Instance
	Org    *model.Actor
	URL    string // http://127.0.0.1:PORT
	Domain string // 127.0.0.1:PORT
	done   chan struct{}
}

// demoNetwork is the running demo.
type demoNetwork struct {
	Nodes      []*demoNode
	AdminEmail string
	Email      string
	Password   string                 // both logins'
	published  map[string]*model.Post // by demoPost.Key
	where      string                 // where the databases are, for the printout
	failed     chan error
	cancel     context.CancelFunc
	cleanup    func() error
}

// startDemo opens, serves and fills the four instances, saying on progress
// what it is doing: a first run takes a while. On failure it stops
// whatever it had started.
func startDemo(ctx context.Context, o demoOptions, progress io.Writer) (_ *demoNetwork, err error) {
	serveCtx, cancel := context.WithCancel(ctx)
	n := &demoNetwork{AdminEmail: demoAdminEmail, Email: demoEmail, Password: o.Password, failed: make(chan error, len(demoOrgs)),
		published: map[string]*model.Post{}, cancel: cancel, cleanup: func() error { return nil }}
	defer func() {
		if err != nil {
			err = errors.Join(err, n.stop())
		}
	}()
	if n.Password == "" {
		n.Password = rand.Text()
	}
	fmt.Fprintf(progress, "Starting %d Commonplace instances on this machine…\n", len(demoOrgs))
	urls, err := n.prepareStorage(ctx, o)
	if err != nil {
		return nil, err
	}
	// Opening migrates a database and creating an organisation makes its
	// keys: both are slow enough that the four instances start side by side.
	level, _ := config.ParseLevel(o.LogLevel)
	n.Nodes = make([]*demoNode, len(demoOrgs))
	errs := make([]error, len(demoOrgs))
	var wg sync.WaitGroup
	for i, spec := range demoOrgs {
		port := 0
		if o.PortBase > 0 {
			port = o.PortBase + i
		}
		wg.Go(func() {
			log := slog.New(slog.NewTextHandler(o.Log, &slog.HandlerOptions{Level: level})).With("instance", spec.Username)
			n.Nodes[i], errs[i] = serveDemoNode(ctx, serveCtx, port, urls[i], log, n.failed)
			if errs[i] == nil {
				n.Nodes[i].Org, errs[i] = n.Nodes[i].Orgs.Create(ctx, spec)
			}
			if errs[i] != nil {
				errs[i] = fmt.Errorf("start %s: %w", spec.Username, errs[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	trust := n.Nodes[0]
	for email, role := range map[string]string{n.AdminEmail: store.RoleAdmin, n.Email: store.RoleAuthor} {
		if _, err := (&accounts.Service{Store: trust.Store}).Add(ctx, email, n.Password, role, trust.Org); err != nil {
			return nil, fmt.Errorf("add the demo's %s login: %w", role, err)
		}
	}
	fmt.Fprintln(progress, "Following one another…")
	if err := n.followEachOther(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintln(progress, "Publishing notes, guidance and events…")
	if err := n.publish(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintln(progress, "Replying, liking, boosting and revising the toolkit…")
	if err := n.reviseToolkit(ctx); err != nil {
		return nil, err
	}
	if err := n.converse(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

// serveDemoNode opens one instance in local-testing mode with production
// queue timings, except that it polls often so the demo settles in seconds.
func serveDemoNode(ctx, serveCtx context.Context, port int, dbURL string, log *slog.Logger, failed chan<- error) (*demoNode, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	domain := ln.Addr().String()
	cfg := config.Config{Domain: domain, Listen: domain, DatabaseURL: dbURL, LocalTesting: true,
		// Few workers: four SQLite databases in one process share the CPU,
		// and fewer concurrent writers means less waiting on SQLite's lock.
		LogFormat: "text", LogLevel: "warn", QueueWorkers: 4,
		JobTimeout: config.DefaultJobTimeout, JobRescueAfter: config.DefaultJobRescueAfter}
	inst, err := instance.OpenTuned(ctx, cfg, log, instance.Tuning{PollInterval: 200 * time.Millisecond})
	if err != nil {
		ln.Close()
		return nil, err
	}
	node := &demoNode{Instance: inst, URL: "http://" + domain, Domain: domain, done: make(chan struct{})}
	go func() {
		defer close(node.done)
		if err := inst.Serve(serveCtx, ln); err != nil {
			failed <- fmt.Errorf("instance %s: %w", domain, err)
		}
	}()
	return node, nil
}

// stop shuts every instance down gracefully, closes the databases and
// removes a temporary directory.
func (n *demoNetwork) stop() error {
	n.cancel()
	var errs []error
	for _, node := range n.Nodes {
		if node == nil { // failed to start
			continue
		}
		<-node.done
		if err := node.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", node.Domain, err))
		}
	}
	for len(n.failed) > 0 {
		errs = append(errs, <-n.failed)
	}
	return errors.Join(append(errs, n.cleanup())...)
}

// print shows where everything is, so the first thing a newcomer sees is a
// page to open and a login to try.
func (n *demoNetwork) print(out io.Writer, took time.Duration) {
	fmt.Fprintln(out, "Commonplace demo: four organisations, each on its own instance, following one another.")
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, node := range n.Nodes {
		fmt.Fprintf(tw, "  %s\t%s/\t@%s@%s\n", node.Org.Name, node.URL, node.Org.Username, node.Domain)
	}
	tw.Flush()
	fmt.Fprintln(out)
	fmt.Fprintf(out, "Log in to the trust's instance at %s/login, with the password %s, as\n", n.Nodes[0].URL, n.Password)
	fmt.Fprintf(out, "  %s  an admin: follows, followers, comments and blocks at /admin\n", n.AdminEmail)
	fmt.Fprintf(out, "  %s   an author: writes at /compose\n\n", n.Email)
	fmt.Fprintf(out, "Databases: %s\n", n.where)
	fmt.Fprintf(out, "Ready in %.1fs. Press Ctrl-C to stop.\n", took.Seconds())
}

// waitFor polls cond until it holds, for at most demoSettle: federation is
// asynchronous, so the demo waits for outcomes rather than for time.
func waitFor(ctx context.Context, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(demoSettle)
	for {
		ok, err := cond()
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not happen within %s", what, demoSettle)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// nodeFiles is where a node's SQLite database lives under dir.
func nodeFiles(dir, username string) string { return filepath.Join(dir, username, "commonplace.db") }

// prepareStorage returns one empty database URL per organisation: SQLite
// files in a (temporary) directory, or schemas on Postgres. Previous demo
// data is removed first so that every run starts the same way, and so that
// a database never meets a new port (its ids name the address it was first
// served on).
func (n *demoNetwork) prepareStorage(ctx context.Context, o demoOptions) ([]string, error) {
	if o.DB != "" {
		return n.preparePostgres(ctx, o.DB, o.SchemaPrefix)
	}
	dir := o.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "commonplace-demo-")
		if err != nil {
			return nil, fmt.Errorf("create a temporary directory: %w", err)
		}
		dir = tmp
		n.cleanup = func() error { return os.RemoveAll(tmp) }
		n.where = tmp + " (removed on exit)"
	} else {
		n.where = dir + " (kept; replaced on the next run)"
	}
	var urls []string
	for _, spec := range demoOrgs {
		file := nodeFiles(dir, spec.Username)
		for _, f := range []string{file, file + "-wal", file + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("remove the previous demo database: %w", err)
			}
		}
		urls = append(urls, "sqlite:"+file)
	}
	return urls, nil
}

// followEachOther makes every organisation follow the others and waits
// until all the follows are accepted.
func (n *demoNetwork) followEachOther(ctx context.Context) error {
	// Every instance learns the others' actors before any Follow is sent, so
	// that a lookup never races the same actor arriving with a Follow.
	targets := make([][]*model.Actor, len(n.Nodes))
	for i, a := range n.Nodes {
		for _, b := range n.Nodes {
			if a == b {
				continue
			}
			target, err := a.Fetcher.Resolve(ctx, "@"+b.Org.Username+"@"+b.Domain)
			if err != nil {
				return fmt.Errorf("%s looks up %s: %w", a.Org.Username, b.Org.Username, err)
			}
			targets[i] = append(targets[i], target)
		}
	}
	for i, a := range n.Nodes {
		for _, target := range targets[i] {
			if _, err := a.Follows.Follow(ctx, a.Org, target); err != nil {
				return fmt.Errorf("%s follows %s: %w", a.Org.Username, target.IRI, err)
			}
		}
	}
	return waitFor(ctx, "every follow to be accepted", func() (bool, error) {
		for _, node := range n.Nodes {
			c, err := node.Store.CountFollows(ctx, node.Org.ID)
			if err != nil || c.Following < len(n.Nodes)-1 {
				return false, err
			}
		}
		return true, nil
	})
}

// publish posts the demo content and waits until every instance's combined
// timeline holds all of it, so the first page anyone opens is complete.
func (n *demoNetwork) publish(ctx context.Context) error {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return fmt.Errorf("load the Europe/London time zone: %w", err)
	}
	byName := map[string]*demoNode{}
	for _, node := range n.Nodes {
		byName[node.Org.Username] = node
	}
	content := demoPosts(time.Now(), london)
	for _, p := range content {
		node := byName[p.Org]
		post, err := node.Posts.Publish(ctx, node.Org, p.Draft)
		if err != nil {
			return fmt.Errorf("%s publishes %q: %w", p.Org, p.Draft.Title, err)
		}
		post.Author = node.Org
		n.published[p.Key] = post
	}
	return waitFor(ctx, "every post to reach every instance", func() (bool, error) {
		for _, node := range n.Nodes {
			page, err := node.Store.Timeline(ctx, store.TimelineFilter{}, nil, 2*len(content))
			if err != nil || len(page.Posts) < len(content) {
				return false, err
			}
		}
		return true, nil
	})
}

// preparePostgres gives each organisation an emptied schema of its own on
// one database, chosen through search_path as storetest does.
func (n *demoNetwork) preparePostgres(ctx context.Context, base, prefix string) ([]string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("%w: the --db URL does not parse: %v", errUsage, err)
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	defer db.Close()
	var urls, schemas []string
	for _, spec := range demoOrgs {
		// Usernames may hold dots and dashes, which an unquoted name may not.
		schema := prefix + strings.NewReplacer(".", "_", "-", "_").Replace(spec.Username)
		for _, stmt := range []string{"DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				return nil, fmt.Errorf("reset schema %s on %s: %w", schema, u.Host, err)
			}
		}
		q := u.Query()
		q.Set("search_path", schema)
		su := *u
		su.RawQuery = q.Encode()
		urls, schemas = append(urls, su.String()), append(schemas, schema)
	}
	n.where = fmt.Sprintf("schemas %s on %s%s (kept; emptied on the next run)", strings.Join(schemas, ", "), u.Host, u.Path)
	return urls, nil
}
