package main

import (
	"context"
	"fmt"
	"io"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// printServing tells the person who ran `serve` the one thing they need
// next: the address to open, and, on a fresh instance, the command that
// makes it usable. Logs go to stderr; this goes to stdout, once.
func printServing(ctx context.Context, out io.Writer, st *store.Store, base, listen string) {
	fmt.Fprintf(out, "open %s/ in a browser (listening on %s; Ctrl-C stops)\n", base, listen)
	orgs, err := st.LocalActors(ctx, model.ActorOrganization)
	if err == nil && len(orgs) == 0 {
		fmt.Fprintln(out, "No organisation yet: add one with `commonplace org add USERNAME --name NAME` (same --data-dir or --db).")
		return
	}
	n, err := st.DB.NewSelect().Model((*store.Account)(nil)).Count(ctx)
	if err == nil && n == 0 && len(orgs) > 0 {
		fmt.Fprintf(out, "Nobody can log in yet: add an admin with `commonplace user add EMAIL --org %s --role admin` (same --data-dir or --db).\n", orgs[0].Username)
	}
}
