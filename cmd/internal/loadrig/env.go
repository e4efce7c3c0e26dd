package loadrig

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/commonplace-social/commonplace/internal/store"
)

// Env is one run's world: a fresh database, one or more serve processes on
// it sharing one domain, and a store handle on the same database for
// seeding and checking.
type Env struct {
	Dir     string // temporary: the binary, logs, an SQLite database
	Bin     string
	DB      *Database
	Servers []*Server
	Store   *store.Store
	Org     string // the organisation made with the CLI, if any

	postmaster int // the local PostgreSQL server's PID, 0 if none or unknown
}

// EnvConfig says what to start.
type EnvConfig struct {
	Bin       string // empty: build ./cmd/commonplace
	Dialect   store.Dialect
	PGAdmin   string // PostgreSQL URL that may create databases
	Prefix    string // names the temporary directory and the database
	Servers   int    // serve processes (more than one only on PostgreSQL)
	ServeArgs []string
	Org       string // an organisation to add with the CLI, if set
}

// StartEnv builds or takes the binary, makes the database and starts the
// servers one after another (the first migrates the database).
func StartEnv(ctx context.Context, c EnvConfig) (_ *Env, err error) {
	if c.Servers < 1 {
		c.Servers = 1
	}
	if c.Servers > 1 && c.Dialect != store.Postgres {
		return nil, errors.New("several serve processes need PostgreSQL: SQLite is one file for one process")
	}
	e := &Env{Bin: c.Bin}
	if e.Dir, err = os.MkdirTemp("", c.Prefix+"-"); err != nil {
		return nil, fmt.Errorf("make a temporary directory: %w", err)
	}
	defer func() {
		if err != nil {
			e.Close(true)
		}
	}()
	if e.Bin == "" {
		if e.Bin, err = BuildServer(ctx, e.Dir); err != nil {
			return nil, err
		}
	}
	if e.DB, err = NewDatabase(ctx, c.Dialect, c.PGAdmin, e.Dir, c.Prefix); err != nil {
		return nil, err
	}
	for i := range c.Servers {
		sc := ServerConfig{Bin: e.Bin, DB: e.DB.URL, LogDir: e.Dir, Name: fmt.Sprintf("serve-%d", i+1), Args: c.ServeArgs}
		if i > 0 {
			sc.Domain = e.Domain()
		}
		s, err := StartServer(ctx, sc)
		if err != nil {
			return nil, err
		}
		e.Servers = append(e.Servers, s)
	}
	if e.Store, err = store.Open(ctx, e.DB.URL); err != nil {
		return nil, fmt.Errorf("open the run's database: %w", err)
	}
	if c.Dialect == store.Postgres {
		// Without it the database's CPU is left out of the figures.
		e.postmaster, _ = Postmaster(ctx, e.Store)
	}
	if c.Org != "" {
		if _, err := e.Servers[0].CLI(ctx, "", "org", "add", c.Org, "--name", "Org "+c.Org); err != nil {
			return nil, err
		}
		e.Org = c.Org
	}
	return e, nil
}

// Domain is the instance's public host:port, the first server's address.
func (e *Env) Domain() string { return e.Servers[0].Domain }

// PIDs are the serve processes' ids.
func (e *Env) PIDs() []int {
	pids := make([]int, len(e.Servers))
	for i, s := range e.Servers {
		pids[i] = s.PID()
	}
	return pids
}

// MarkCPU reads the CPU used so far by the servers, the PostgreSQL
// cluster (when it runs on this machine) and the load, and on PostgreSQL
// how many connections to the run's database were ever opened.
func (e *Env) MarkCPU(ctx context.Context) CPUMark {
	m := MarkCPU(e.PIDs(), e.postmaster)
	if e.DB.Dialect == store.Postgres {
		// pg_stat_database.sessions (PostgreSQL 14+); an error leaves it 0.
		_ = e.Store.DB.QueryRowContext(ctx,
			"SELECT sessions FROM pg_stat_database WHERE datname = current_database()").Scan(&m.Sessions)
		if e.postmaster != 0 {
			m.Backends = databaseBackendsCPU(ctx, e.Store)
		}
	}
	return m
}

// CLI runs a commonplace subcommand on the run's database.
func (e *Env) CLI(ctx context.Context, stdin string, args ...string) (string, error) {
	return CLI(ctx, e.Bin, e.DB.URL, stdin, args...)
}

// Close stops the servers and drops the database; keepDir leaves the
// temporary directory (the logs) in place.
func (e *Env) Close(keepDir bool) error {
	for _, s := range e.Servers {
		s.Stop()
	}
	if e.Store != nil {
		e.Store.DB.Close()
	}
	var err error
	if e.DB != nil {
		err = e.DB.Drop()
	}
	if !keepDir && e.Dir != "" {
		err = errors.Join(err, os.RemoveAll(e.Dir))
	}
	return err
}
