package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/cmd/internal/idlemem"
	"github.com/commonplace-social/commonplace/internal/config"
)

func runServe(ctx context.Context, args []string, out, errOut io.Writer) error {
	cfg := config.FromEnv()
	fs := newFlagSet("serve", "serve [--domain HOST[:PORT]] [--listen ADDR] [--db URL] [--local-testing] [--acme --acme-email EMAIL [--acme-cache DIR]]", out)
	cfg.RegisterServer(fs)
	if rest, err := parseArgs(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, rest)
	}
	if err := cfg.ValidateServer(); err != nil {
		return err
	}
	log := cfg.NewLogger(os.Stderr)
	log.Debug("soft memory limit", "bytes", idlemem.SetDefaultLimit())
	log.Debug("garbage collection", "gc_percent", idlemem.SetDefaultGCPercent())
	go idlemem.Run(ctx, log) // at rest, hand back what start-up and bursts left
	inst, err := instance.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer inst.Close()
	if cfg.ACME {
		return serveACME(ctx, inst, cfg, out)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Listen, err)
	}
	if cfg.LocalTesting {
		log.Warn("local-testing mode: ids use http:// and fetches from private addresses are allowed; never use this on the internet")
	}
	printServing(ctx, out, inst.Store, inst.Layout.Base, ln.Addr().String())
	return inst.Serve(ctx, ln)
}

// serveACME serves HTTPS on :443 with automatic certificates, and the
// certificate authority's HTTP-01 challenge (and a redirect) on :80.
func serveACME(ctx context.Context, inst *instance.Instance, cfg config.Config, out io.Writer) error {
	httpsLn, err := net.Listen("tcp", ":443")
	if err != nil {
		return fmt.Errorf("cannot listen on :443 for --acme (binding ports below 1024 needs root or CAP_NET_BIND_SERVICE): %w", err)
	}
	httpLn, err := net.Listen("tcp", ":80")
	if err != nil {
		httpsLn.Close()
		return fmt.Errorf("cannot listen on :80 for --acme (the certificate authority checks the domain over port 80): %w", err)
	}
	inst.Log.Info("automatic certificates", "domain", cfg.Domain, "cache", cfg.ACMECacheDir())
	printServing(ctx, out, inst.Store, inst.Layout.Base, ":443")
	return inst.ServeACME(ctx, instance.ACMEManager(cfg), httpsLn, httpLn)
}
