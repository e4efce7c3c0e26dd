// Package config holds the settings every subcommand shares, read from flags
// with environment variables as defaults, and checks them before anything
// starts so that a mistake is reported as one clear sentence.
package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is what an operator can set.
type Config struct {
	Domain       string // host[:port] the fediverse knows this instance by
	Listen       string // address the HTTP server binds
	DatabaseURL  string // postgres://… or sqlite:PATH; empty means SQLite under DataDir
	DataDir      string // where the embedded database and other local state live
	LocalTesting bool   // http:// ids and fetches from loopback/private addresses
	LogFormat    string // text or json
	LogLevel     string // debug, info, warn, error

	// The job queue that applies received activities and delivers ours.
	QueueWorkers   int           // jobs worked at once by this process
	JobTimeout     time.Duration // one job attempt (a delivery) is cut off after this
	JobRescueAfter time.Duration // a job still marked running after this is taken over (after a crash)
}

// Environment variable names, one per setting.
const (
	EnvDomain       = "COMMONPLACE_DOMAIN"
	EnvListen       = "COMMONPLACE_LISTEN"
	EnvDatabaseURL  = "DATABASE_URL"
	EnvDataDir      = "COMMONPLACE_DATA_DIR"
	EnvLocalTesting = "COMMONPLACE_LOCAL_TESTING"
	EnvLogFormat    = "COMMONPLACE_LOG_FORMAT"
	EnvLogLevel     = "COMMONPLACE_LOG_LEVEL"
	EnvQueueWorkers = "COMMONPLACE_QUEUE_WORKERS"
	EnvJobTimeout   = "COMMONPLACE_JOB_TIMEOUT"
	EnvJobRescue    = "COMMONPLACE_JOB_RESCUE_AFTER"
)

// Queue defaults: a delivery gives up after 30 s, so two minutes bounds any
// job; a job still running three minutes later belongs to a dead process.
const (
	DefaultQueueWorkers   = 32
	DefaultJobTimeout     = 2 * time.Minute
	DefaultJobRescueAfter = 5 * time.Minute
)

// DefaultListen binds to loopback only: exposing the server is a decision the
// operator makes (usually behind a reverse proxy), not something that
// happens by accident.
const DefaultListen = "127.0.0.1:8080"

// FromEnv returns the defaults overlaid with the environment.
func FromEnv() Config {
	c := Config{
		Domain:      os.Getenv(EnvDomain),
		Listen:      envOr(EnvListen, DefaultListen),
		DatabaseURL: os.Getenv(EnvDatabaseURL),
		DataDir:     envOr(EnvDataDir, defaultDataDir()),
		LogFormat:   envOr(EnvLogFormat, "text"),
		LogLevel:    envOr(EnvLogLevel, "info"),
	}
	c.LocalTesting, _ = strconv.ParseBool(os.Getenv(EnvLocalTesting))
	c.QueueWorkers = DefaultQueueWorkers
	if n, err := strconv.Atoi(os.Getenv(EnvQueueWorkers)); err == nil {
		c.QueueWorkers = n
	}
	c.JobTimeout = envDuration(EnvJobTimeout, DefaultJobTimeout)
	c.JobRescueAfter = envDuration(EnvJobRescue, DefaultJobRescueAfter)
	return c
}

// RegisterStorage adds the flags every subcommand takes: where the database is.
func (c *Config) RegisterStorage(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "db", c.DatabaseURL, "database URL: postgres://… or sqlite:PATH (env "+EnvDatabaseURL+"; default: SQLite under the data directory)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory for the embedded database (env "+EnvDataDir+")")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env "+EnvLogFormat+")")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env "+EnvLogLevel+")")
}

// RegisterServer adds the flags that only matter to a running server.
func (c *Config) RegisterServer(fs *flag.FlagSet) {
	c.RegisterStorage(fs)
	fs.StringVar(&c.Domain, "domain", c.Domain, "public host[:port] of this instance, e.g. social.example.org (env "+EnvDomain+")")
	fs.StringVar(&c.Listen, "listen", c.Listen, "address to listen on (env "+EnvListen+")")
	fs.BoolVar(&c.LocalTesting, "local-testing", c.LocalTesting, "local-testing mode: http:// ids, and fetching from loopback and private addresses is allowed (env "+EnvLocalTesting+"=1)")
	fs.IntVar(&c.QueueWorkers, "queue-workers", c.QueueWorkers, "jobs (deliveries, received activities) worked at once (env "+EnvQueueWorkers+")")
	fs.DurationVar(&c.JobTimeout, "job-timeout", c.JobTimeout, "how long one job attempt may run (env "+EnvJobTimeout+")")
	fs.DurationVar(&c.JobRescueAfter, "job-rescue-after", c.JobRescueAfter, "how long a job may stay running before another process takes it over, e.g. after a crash; must exceed --job-timeout (env "+EnvJobRescue+")")
}

// ValidateServer checks the settings a server needs, beyond storage.
func (c *Config) ValidateServer() error {
	if c.Domain == "" {
		return errors.New("no domain is set: pass --domain or set " + EnvDomain + " to the host name people will use, e.g. social.example.org (to try it on this machine: --domain localhost:8080 --local-testing)")
	}
	d, err := NormaliseDomain(c.Domain)
	if err != nil {
		return err
	}
	c.Domain = d
	if c.Listen == "" {
		return errors.New("no listen address is set: pass --listen or set " + EnvListen)
	}
	if c.QueueWorkers < 1 || c.QueueWorkers > 1000 {
		return fmt.Errorf("--queue-workers must be between 1 and 1000, got %d", c.QueueWorkers)
	}
	if c.JobTimeout <= 0 || c.JobRescueAfter <= c.JobTimeout {
		return fmt.Errorf("--job-rescue-after (%s) must be longer than --job-timeout (%s), or a slow job would be run twice", c.JobRescueAfter, c.JobTimeout)
	}
	return c.ValidateStorage()
}

// ValidateStorage checks the settings every subcommand needs.
func (c *Config) ValidateStorage() error {
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("log format %q is not known: use text or json", c.LogFormat)
	}
	if _, err := ParseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "sqlite:") &&
		!strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("database URL must start with postgres:// or sqlite:, got %q", redact(c.DatabaseURL))
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		return errors.New("no database URL and no data directory are set: pass --db or --data-dir")
	}
	return nil
}

// Scheme is the scheme of every id this instance mints. Only local-testing
// mode uses plain http, because Mastodon and others refuse http ids.
func (c *Config) Scheme() string {
	if c.LocalTesting {
		return "http"
	}
	return "https"
}

// BaseURL is scheme://domain, the prefix of every id this instance mints.
func (c *Config) BaseURL() string { return c.Scheme() + "://" + c.Domain }

// StorageURL resolves the database URL, defaulting to SQLite in DataDir.
func (c *Config) StorageURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite:" + filepath.Join(c.DataDir, "commonplace.db")
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func defaultDataDir() string {
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "commonplace")
	}
	return "commonplace-data"
}

// redact hides a password in a URL-like string so it can be printed.
func redact(s string) string {
	at := strings.LastIndex(s, "@")
	scheme := strings.Index(s, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return s
	}
	userinfo := s[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return s[:scheme+3] + userinfo[:i] + ":***" + s[at:]
	}
	return s
}
