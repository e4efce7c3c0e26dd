package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/blocks"
	"github.com/commonplace-social/commonplace/internal/store"
)

const blockUsage = "block add|remove (--account HANDLE_OR_URL | --domain HOST) [--reason TEXT], or block list"

// runBlock manages blocked accounts and domains. A running server picks up
// a change made here within a few seconds (blocks.DefaultTTL).
func runBlock(ctx context.Context, args []string, out, _ io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say what to do: %s", errUsage, blockUsage)
	}
	action := args[0]
	switch action {
	case "add", "remove", "list":
	default:
		return fmt.Errorf("%w: unknown block command %q (known: add, remove, list)", errUsage, action)
	}
	var account, domain, reason string
	core, rest, err := openTools(ctx, "block "+action, blockUsage, args[1:], out, func(f *configFlags) {
		if action == "list" {
			return
		}
		f.StringVar(&account, "account", "", "the account: a handle like @user@host or an actor URL")
		// --domain names the blocked server here, so it takes over the shared
		// flag; the instance's own domain then comes from the database or
		// COMMONPLACE_DOMAIN.
		own := flag.NewFlagSet("", flag.ContinueOnError)
		own.StringVar(&domain, "domain", "", "the host[:port] of a whole server to block; also covers its subdomains")
		*f.Lookup("domain") = *own.Lookup("domain")
		if action == "add" {
			f.StringVar(&reason, "reason", "", "a note for the other operators")
		}
	})
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 0 {
		return fmt.Errorf("%w: unexpected %q; %s", errUsage, strings.Join(rest, " "), blockUsage)
	}
	if action == "list" {
		return listBlocks(ctx, core, out)
	}
	if (account == "") == (domain == "") {
		return fmt.Errorf("%w: give exactly one of --account or --domain", errUsage)
	}
	kind, value := store.BlockDomain, domain
	if account != "" {
		kind = store.BlockAccount
		if value, err = actorIRI(ctx, core, account); err != nil {
			return err
		}
	}
	if action == "remove" {
		if err := core.Blocks.Unblock(ctx, kind, value); err != nil {
			return err
		}
		fmt.Fprintf(out, "Unblocked the %s %s; follows removed by the block are not restored.\n", kind, value)
		return nil
	}
	var res blocks.Result
	if kind == store.BlockAccount {
		res, err = core.Blocks.BlockAccount(ctx, value, reason)
	} else {
		res, err = core.Blocks.BlockDomain(ctx, value, reason)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Blocked the %s %s; removed %d follows.\n", kind, res.Block.Value, res.FollowsRemoved)
	return nil
}

// actorIRI takes an actor URL as given, without fetching it (the server
// may be down or hostile), and resolves a handle with WebFinger.
func actorIRI(ctx context.Context, core *instance.Core, account string) (string, error) {
	account = strings.TrimSpace(account)
	if strings.HasPrefix(account, "https://") || strings.HasPrefix(account, "http://") {
		return account, nil
	}
	a, err := core.Fetcher.Resolve(ctx, account)
	if err != nil {
		return "", err
	}
	return a.IRI, nil
}

func listBlocks(ctx context.Context, core *instance.Core, out io.Writer) error {
	bs, err := core.Blocks.List(ctx)
	if err != nil {
		return err
	}
	if len(bs) == 0 {
		fmt.Fprintln(out, "Nothing is blocked.")
	}
	for _, b := range bs {
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", b.Kind, b.Value, b.CreatedAt.Format("2006-01-02 15:04"), b.Reason)
	}
	return nil
}
