package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/config"
)

func runServe(ctx context.Context, args []string, out, errOut io.Writer) error {
	cfg := config.FromEnv()
	fs := newFlagSet("serve", "serve [--domain HOST[:PORT]] [--listen ADDR] [--db URL] [--local-testing]", out)
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
	inst, err := instance.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer inst.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Listen, err)
	}
	if cfg.LocalTesting {
		log.Warn("local-testing mode: ids use http:// and fetches from private addresses are allowed; never use this on the internet")
	}
	return inst.Serve(ctx, ln)
}
