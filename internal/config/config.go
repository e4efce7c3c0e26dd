// Package config holds the settings every subcommand shares, read from flags
// with environment variables as defaults, and checks them before anything
// starts so that a mistake is reported as one clear sentence.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/clientip"
)

// Config is what an operator can set.
type Config struct {
	Domain       string // host[:port] the fediverse knows this instance by
	Listen       string // address the HTTP server binds
	DatabaseURL  string // postgres://… or sqlite:PATH; empty means SQLite under DataDir
	DataDir      string // where the embedded database and other local state live
	LocalTesting bool   // http:// ids and fetches from loopback/private addresses
	BehindProxy  bool   // a reverse proxy sets X-Forwarded-For
	LogFormat    string // text or json
	LogLevel     string // debug, info, warn, error

	// TrustedProxies lists the addresses (or CIDR prefixes) the proxy
	// connects from, comma-separated; empty means loopback.
	TrustedProxies string

	// The job queue that applies received activities and delivers ours.
	QueueWorkers   int           // jobs worked at once by this process
	JobTimeout     time.Duration // one job attempt (a delivery) is cut off after this
	JobRescueAfter time.Duration // a job still marked running after this is taken over (after a crash)

	// The inbox: how much one remote host may send, and how long processed
	// activities are kept (see inbox.go in this package).
	InboxRate      float64       // requests per second per remote host; 0 turns the limit off
	InboxBurst     int           // requests a host may send at once above the rate
	InboxRetention time.Duration // processed activities are deleted after this; 0 keeps them

	// The cache of remote pictures (see remote_media.go in this package).
	RemoteMediaMaxAge   time.Duration
	RemoteMediaMaxBytes int64

	// Built-in TLS with automatic certificates (ACME, e.g. Let's Encrypt).
	ACME      bool   // serve HTTPS on :443 and the HTTP-01 challenge on :80 instead of plain HTTP on Listen
	ACMEEmail string // contact address given to the certificate authority
	ACMECache string // where certificates are kept; empty means DataDir/acme
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
	EnvBehindProxy  = "COMMONPLACE_BEHIND_PROXY"
	EnvTrustedProxy = "COMMONPLACE_TRUSTED_PROXIES"
	EnvJobTimeout   = "COMMONPLACE_JOB_TIMEOUT"
	EnvJobRescue    = "COMMONPLACE_JOB_RESCUE_AFTER"
	EnvACME         = "COMMONPLACE_ACME"
	EnvACMEEmail    = "COMMONPLACE_ACME_EMAIL"
	EnvACMECache    = "COMMONPLACE_ACME_CACHE"
	EnvInboxRate    = "COMMONPLACE_INBOX_RATE"
	EnvInboxBurst   = "COMMONPLACE_INBOX_BURST"
	EnvInboxRetain  = "COMMONPLACE_INBOX_RETENTION"
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
	c.ACME, _ = strconv.ParseBool(os.Getenv(EnvACME))
	c.ACMEEmail = os.Getenv(EnvACMEEmail)
	c.ACMECache = os.Getenv(EnvACMECache)
	c.BehindProxy, _ = strconv.ParseBool(os.Getenv(EnvBehindProxy))
	c.TrustedProxies = os.Getenv(EnvTrustedProxy)
	c.QueueWorkers = DefaultQueueWorkers
	if n, err := strconv.Atoi(os.Getenv(EnvQueueWorkers)); err == nil {
		c.QueueWorkers = n
	}
	c.JobTimeout = envDuration(EnvJobTimeout, DefaultJobTimeout)
	c.JobRescueAfter = envDuration(EnvJobRescue, DefaultJobRescueAfter)
	c.inboxFromEnv()
	c.remoteMediaFromEnv()
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
	fs.BoolVar(&c.BehindProxy, "behind-proxy", c.BehindProxy, "a reverse proxy forwards requests: take the client address from the X-Forwarded-For it appends (env "+EnvBehindProxy+"=1)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "with --behind-proxy, the addresses or CIDR prefixes the proxy connects from, comma-separated; default loopback, e.g. Docker's gateway 172.30.80.1 in deploy/compose.yaml (env "+EnvTrustedProxy+")")
	fs.IntVar(&c.QueueWorkers, "queue-workers", c.QueueWorkers, "jobs (deliveries, received activities) worked at once (env "+EnvQueueWorkers+")")
	fs.DurationVar(&c.JobTimeout, "job-timeout", c.JobTimeout, "how long one job attempt may run (env "+EnvJobTimeout+")")
	fs.DurationVar(&c.JobRescueAfter, "job-rescue-after", c.JobRescueAfter, "how long a job may stay running before another process takes it over, e.g. after a crash; must exceed --job-timeout (env "+EnvJobRescue+")")
	c.registerInbox(fs)
	fs.BoolVar(&c.ACME, "acme", c.ACME, "serve HTTPS on :443 with automatic certificates (Let's Encrypt) and the HTTP-01 challenge on :80; --listen is then not used (env "+EnvACME+"=1)")
	fs.StringVar(&c.ACMEEmail, "acme-email", c.ACMEEmail, "contact email for the certificate authority, required with --acme (env "+EnvACMEEmail+")")
	fs.StringVar(&c.ACMECache, "acme-cache", c.ACMECache, "directory for certificates and the ACME account key (env "+EnvACMECache+"; default: acme under the data directory)")
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
	if err := c.validateInbox(); err != nil {
		return err
	}
	if _, err := clientip.ParsePrefixes(c.TrustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	if err := c.validateACME(); err != nil {
		return err
	}
	return c.ValidateStorage()
}

// ClientIP is how the server works out visitors' addresses from these
// settings. ValidateServer has refused a malformed TrustedProxies.
func (c *Config) ClientIP() clientip.Resolver {
	trusted, _ := clientip.ParsePrefixes(c.TrustedProxies)
	return clientip.Resolver{BehindProxy: c.BehindProxy, Trusted: trusted}
}

// validateACME checks the built-in TLS settings: a certificate authority
// only issues certificates for a public host name reached on the standard
// ports, so a port, an IP address or local-testing mode cannot work.
func (c *Config) validateACME() error {
	if !c.ACME {
		return nil
	}
	if c.LocalTesting {
		return errors.New("--acme cannot be used with --local-testing: certificates are only issued for a public domain, and local-testing ids use http://")
	}
	host, _, err := net.SplitHostPort(c.Domain)
	if err == nil {
		return fmt.Errorf("--acme needs a domain without a port, got %q: HTTPS is served on port 443, so the domain is just %s", c.Domain, host)
	}
	if net.ParseIP(strings.Trim(c.Domain, "[]")) != nil {
		return fmt.Errorf("--acme needs a host name, not the IP address %s: certificate authorities issue certificates for domain names", c.Domain)
	}
	if !strings.Contains(c.Domain, ".") {
		return fmt.Errorf("--acme needs a public domain name such as social.example.org, got %q", c.Domain)
	}
	if e := strings.TrimSpace(c.ACMEEmail); e == "" || !strings.Contains(e, "@") {
		return errors.New("--acme needs a contact address: pass --acme-email or set " + EnvACMEEmail + " (the certificate authority writes there about problems with your certificates)")
	}
	return nil
}

// ACMECacheDir is where automatic certificates are kept.
func (c *Config) ACMECacheDir() string {
	if c.ACMECache != "" {
		return c.ACMECache
	}
	return filepath.Join(c.DataDir, "acme")
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
