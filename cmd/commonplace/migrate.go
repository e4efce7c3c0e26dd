package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/store"
)

func runMigrate(ctx context.Context, args []string, out, errOut io.Writer) error {
	cfg := config.FromEnv()
	fs := newFlagSet("migrate", "migrate [--db URL]", out)
	cfg.RegisterStorage(fs)
	if rest, err := parseArgs(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("%w: migrate takes no arguments, got %q", errUsage, rest)
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(out, "The database schema is up to date.")
		return nil
	}
	fmt.Fprintf(out, "Applied %d migration(s): %s\n", len(applied), strings.Join(applied, ", "))
	return nil
}

// openStore validates the storage settings and opens the database. Commands
// other than migrate also bring the schema up to date, so an operator can
// run `org add` on a fresh database before the first `serve`.
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	if err := cfg.ValidateStorage(); err != nil {
		return nil, err
	}
	return store.Open(ctx, cfg.StorageURL())
}
