// Command commonplace is the one binary of a Commonplace instance: it serves
// the site and the federation endpoints, migrates the database, and lets an
// operator manage organisations from the shell.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand; run gets the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, out, errOut io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the server", runServe},
		{"migrate", "bring the database schema up to date", runMigrate},
		{"org", "manage this instance's organisations (org add)", runOrg},
		{"follow", "make an organisation follow an account elsewhere", runFollow},
		{"unfollow", "withdraw a follow", runUnfollow},
		{"follower", "list, approve or reject follow requests", runFollower},
		{"network", "run a network that re-shares its member organisations' posts (network add, network member add|remove|list|approve|reject)", runNetwork},
		{"block", "block or unblock a remote account or domain", runBlock},
		{"publish", "publish a meetup note, guidance, event or update", runPublish},
		{"edit", "edit a published post", runEdit},
		{"delete", "delete a published post", runDelete},
		{"user", "add a person who logs in to write (user add EMAIL --org USERNAME --role admin|author), or invite them by a link (user invite EMAIL --org USERNAME)", runUser},
		{"site", "set or show the site's name, description, contact and about/privacy/accessibility pages", runSite},
		{"demo", "run four federated demo instances on this machine, with content", runDemo},
		{"version", "print the version", runVersion},
	}
}

// errUsage marks an error in how the command was called (exit status 2).
var errUsage = errors.New("usage")

// run executes one command line and returns the exit status. Errors are
// printed as one sentence, never as a stack trace.
func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(out)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], out, errOut)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(errOut, "commonplace %s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(errOut, "commonplace %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(errOut, "commonplace: unknown command %q (run `commonplace help`)\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Commonplace: a federated notebook for health and social care organisations.")
	fmt.Fprintln(w, "\nUsage: commonplace COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `commonplace COMMAND --help` for a command's flags. Every flag can also be set by")
	fmt.Fprintln(w, "environment (COMMONPLACE_DOMAIN, COMMONPLACE_LISTEN, DATABASE_URL, COMMONPLACE_DATA_DIR, COMMONPLACE_LOCAL_TESTING).")
}
