package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/model"
)

// openTools reads the shared settings plus --domain/--local-testing (needed
// only before the first serve) and opens the instance core without workers.
func openTools(ctx context.Context, name, usageLine string, args []string, out io.Writer, extra func(*configFlags)) (*instance.Core, []string, error) {
	cfg := config.FromEnv()
	fs := newFlagSet(name, usageLine, out)
	cfg.RegisterStorage(fs)
	fs.StringVar(&cfg.Domain, "domain", cfg.Domain, "public host[:port] of this instance; needed only if it has never been served (env "+config.EnvDomain+")")
	fs.BoolVar(&cfg.LocalTesting, "local-testing", cfg.LocalTesting, "local-testing mode, as the server runs (env "+config.EnvLocalTesting+"=1)")
	cf := &configFlags{FlagSet: fs}
	if extra != nil {
		extra(cf)
	}
	rest, err := parseArgs(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if cf.captureSet != nil {
		fs.Visit(func(f *flag.Flag) { cf.captureSet[f.Name] = true })
	}
	if err := requireDatabase(ctx, &cfg); err != nil {
		return nil, nil, err
	}
	core, err := instance.OpenTools(ctx, cfg, cfg.NewLogger(os.Stderr))
	return core, rest, err
}

// org loads the organisation named by --org.
func org(ctx context.Context, core *instance.Core, username string) (*model.Actor, error) {
	if username == "" {
		return nil, fmt.Errorf("%w: say which organisation acts, with --org USERNAME", errUsage)
	}
	return core.Orgs.Get(ctx, username)
}

func runFollow(ctx context.Context, args []string, out, _ io.Writer) error {
	return followOrUnfollow(ctx, "follow", args, out)
}

func runUnfollow(ctx context.Context, args []string, out, _ io.Writer) error {
	return followOrUnfollow(ctx, "unfollow", args, out)
}

func followOrUnfollow(ctx context.Context, verb string, args []string, out io.Writer) error {
	var orgName string
	core, rest, err := openTools(ctx, verb, verb+" --org USERNAME HANDLE_OR_URL  (e.g. @volition@volition.example or an actor URL)", args, out,
		func(f *configFlags) { f.StringVar(&orgName, "org", "", "the organisation that follows (required)") })
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 1 {
		return fmt.Errorf("%w: give exactly one handle or actor URL to %s", errUsage, verb)
	}
	o, err := org(ctx, core, orgName)
	if err != nil {
		return err
	}
	target, err := core.Fetcher.Resolve(ctx, rest[0])
	if err != nil {
		return err
	}
	if verb == "unfollow" {
		if err := core.Follows.Unfollow(ctx, o, target); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s no longer follows %s; the server will deliver the Undo.\n", o.Username, target.IRI)
		return nil
	}
	if _, err := core.Follows.Follow(ctx, o, target); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s asked to follow %s; it shows as following once %s accepts.\n", o.Username, target.IRI, target.Host)
	return nil
}

func runFollower(ctx context.Context, args []string, out, _ io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say what to do: follower list|approve|reject --org USERNAME [HANDLE_OR_URL]", errUsage)
	}
	action := args[0]
	switch action {
	case "list", "approve", "reject":
	default:
		return fmt.Errorf("%w: unknown follower command %q (known: list, approve, reject)", errUsage, action)
	}
	var orgName string
	core, rest, err := openTools(ctx, "follower "+action, "follower "+action+" --org USERNAME [HANDLE_OR_URL]", args[1:], out,
		func(f *configFlags) {
			f.StringVar(&orgName, "org", "", "the organisation whose followers these are (required)")
		})
	if err != nil {
		return err
	}
	defer core.Close()
	o, err := org(ctx, core, orgName)
	if err != nil {
		return err
	}
	if action == "list" {
		pending, err := core.Follows.Pending(ctx, o)
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			fmt.Fprintf(out, "No follow requests are waiting for %s.\n", o.Username)
		}
		for _, f := range pending {
			fmt.Fprintf(out, "%s\t%s\t%s\n", f.Follower.Handle(""), f.Follower.IRI, f.CreatedAt.Format("2006-01-02 15:04"))
		}
		return nil
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: give the follower's handle or actor URL", errUsage)
	}
	follower, err := core.Fetcher.Resolve(ctx, rest[0])
	if err != nil {
		return err
	}
	if action == "approve" {
		err = core.Follows.Approve(ctx, o, follower)
	} else {
		err = core.Follows.Reject(ctx, o, follower)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %sd %s; the server will deliver the answer.\n", o.Username, action, follower.IRI)
	return nil
}
