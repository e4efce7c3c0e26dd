package main

import (
	"context"
	"fmt"
	"io"

	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/orgs"
)

func runOrg(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say what to do, e.g. `commonplace org add USERNAME --name NAME`", errUsage)
	}
	switch args[0] {
	case "add":
		return runOrgAdd(ctx, args[1:], out)
	default:
		return fmt.Errorf("%w: unknown org command %q (known: add)", errUsage, args[0])
	}
}

func runOrgAdd(ctx context.Context, args []string, out io.Writer) error {
	cfg := config.FromEnv()
	fs := newFlagSet("org add", "org add USERNAME --name NAME [--summary TEXT] [--url URL] [--manual-approval] [--db URL]", out)
	cfg.RegisterStorage(fs)
	var in orgs.NewOrg
	fs.StringVar(&in.Name, "name", "", "display name, e.g. \"St Gemma's Hospice\" (required)")
	fs.StringVar(&in.Summary, "summary", "", "a short description shown on the profile")
	fs.StringVar(&in.Website, "url", "", "the organisation's own website")
	fs.BoolVar(&in.ManuallyApprovesFollowers, "manual-approval", false, "hold new followers until an admin approves them")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: give exactly one USERNAME, e.g. `commonplace org add stgemmas --name \"St Gemma's Hospice\"`", errUsage)
	}
	in.Username = rest[0]
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	org, err := (&orgs.Service{Store: st}).Create(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Created organisation %s (%s).\n", org.Username, org.Name)
	fmt.Fprintf(out, "People will find it as @%s@YOUR-DOMAIN once the server runs.\n", org.Username)
	return nil
}
