package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/store"
)

// newFlagSet makes a flag set whose errors come back to run() instead of
// exiting, and whose --help prints the usage line first.
func newFlagSet(name, usageLine string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: commonplace %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses flags that may come before or after positional arguments
// (`org add NAME --name X` as well as `org add --name X NAME`), which the
// standard flag package alone does not allow.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %s", errUsage, strings.TrimSpace(err.Error()))
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// configFlags lets a command add its own flags next to the shared ones.
// When captureSet is given, the names of the flags actually passed are
// recorded in it, so "not given" can be told from "given empty".
type configFlags struct {
	*flag.FlagSet
	captureSet map[string]bool
}

// requireDatabase refuses to go on unless cfg names an existing Commonplace
// database. Only serve, migrate and org add may create one: for any other
// command a missing database means a wrong --data-dir or --db, and making a
// new empty one would only lead to a confusing error further on (an
// unknown organisation, a domain never served). A SQLite file is checked
// before it is opened, since opening creates it.
func requireDatabase(ctx context.Context, cfg *config.Config) error {
	if err := cfg.ValidateStorage(); err != nil {
		return err
	}
	raw := cfg.StorageURL()
	where := databasePlace(raw)
	missing := fmt.Errorf("no Commonplace database at %s: pass --data-dir or --db (create one with `commonplace org add`)", where)
	if path, ok := strings.CutPrefix(raw, "sqlite:"); ok {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return missing
		}
	}
	st, err := store.Open(ctx, raw)
	if err != nil {
		return err
	}
	defer st.Close()
	ok, err := st.HasSchema(ctx)
	if err != nil {
		return fmt.Errorf("check the database at %s: %w", where, err)
	}
	if !ok {
		return missing
	}
	return nil
}

// databasePlace names a database for a message: the SQLite file, or the
// PostgreSQL host, database and schema, never the password.
func databasePlace(raw string) string {
	if path, ok := strings.CutPrefix(raw, "sqlite:"); ok {
		if abs, err := filepath.Abs(path); err == nil {
			return abs
		}
		return path
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "the given PostgreSQL URL"
	}
	place := u.Host + u.Path
	if schema := u.Query().Get("search_path"); schema != "" {
		place += " (schema " + schema + ")"
	}
	return place
}
