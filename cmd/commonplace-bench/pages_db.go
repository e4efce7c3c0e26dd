package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/store"
)

// benchDatabase is a database made for one run.
type benchDatabase struct {
	url  string
	drop func() error
}

// freshDatabase makes an empty database: on Postgres a uniquely named one
// created through the admin URL, on SQLite a file in a new temp directory.
func freshDatabase(ctx context.Context, d store.Dialect, adminURL string) (benchDatabase, error) {
	if d == store.SQLite {
		dir, err := os.MkdirTemp("", "commonplace-pages-")
		if err != nil {
			return benchDatabase{}, fmt.Errorf("temp directory: %w", err)
		}
		return benchDatabase{url: "sqlite:" + filepath.Join(dir, "commonplace.db"),
			drop: func() error { return os.RemoveAll(dir) }}, nil
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return benchDatabase{}, fmt.Errorf("open admin connection: %w", err)
	}
	var b [5]byte
	_, _ = rand.Read(b[:])
	name := "commonplace_pages_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return benchDatabase{}, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		admin.Close()
		return benchDatabase{}, fmt.Errorf("parse admin URL: %w", err)
	}
	u.Path = "/" + name
	return benchDatabase{url: u.String(), drop: func() error {
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	}}, nil
}

// pagesSite is an instance opened the way `serve` opens it, whose handler
// is called directly: no listener, no queue workers running, so the time
// measured is the server's alone.
type pagesSite struct {
	inst    *instance.Instance
	handler http.Handler
	host    string
}

const pagesDomain = "pages.bench.example"

func openPagesSite(ctx context.Context, dbURL string, log *slog.Logger) (*pagesSite, error) {
	cfg := config.Config{
		Domain: pagesDomain, Listen: "127.0.0.1:0", DatabaseURL: dbURL, LocalTesting: true,
		LogFormat: "text", LogLevel: "warn",
		QueueWorkers: config.DefaultQueueWorkers, JobTimeout: config.DefaultJobTimeout, JobRescueAfter: config.DefaultJobRescueAfter,
		InboxRate: config.DefaultInboxRate, InboxBurst: config.DefaultInboxBurst, InboxRetention: config.DefaultInboxRetention,
	}
	inst, err := instance.Open(ctx, cfg, log)
	if err != nil {
		return nil, fmt.Errorf("open instance: %w", err)
	}
	return &pagesSite{inst: inst, handler: inst.Handler(), host: pagesDomain}, nil
}

func (s *pagesSite) store() *store.Store { return s.inst.Store }

func (s *pagesSite) close() { s.inst.Close() }

// settle brings the database to the state a running server reaches on its
// own: on Postgres autovacuum would vacuum and analyze the new rows; it is
// done here so the plans do not depend on when it ran. A served SQLite file
// is never analyzed, so it is left alone unless asked.
func settle(ctx context.Context, s *store.Store, d store.Dialect, analyzeSQLite bool) error {
	q := "VACUUM ANALYZE"
	if d == store.SQLite {
		if !analyzeSQLite {
			return nil
		}
		q = "ANALYZE"
	}
	if _, err := s.DB.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	return nil
}
