package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
)

func runOrg(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say what to do, e.g. `commonplace org add USERNAME --name NAME`", errUsage)
	}
	switch args[0] {
	case "add":
		return runOrgAdd(ctx, args[1:], out)
	case "edit":
		return runOrgEdit(ctx, args[1:], out)
	case "rotate-key":
		return runOrgRotateKey(ctx, args[1:], out)
	default:
		return fmt.Errorf("%w: unknown org command %q (known: add, edit, rotate-key)", errUsage, args[0])
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

func runOrgEdit(ctx context.Context, args []string, out io.Writer) error {
	var name, summary, website, avatar, header string
	var manual bool
	set := map[string]bool{}
	core, rest, err := openTools(ctx, "org edit", "org edit USERNAME [--name NAME] [--summary TEXT] [--url URL] [--manual-approval=true|false] [--avatar FILE] [--header FILE]", args, out,
		func(f *configFlags) {
			f.StringVar(&name, "name", "", "new display name")
			f.StringVar(&summary, "summary", "", "new description")
			f.StringVar(&website, "url", "", "new website (empty to remove)")
			f.BoolVar(&manual, "manual-approval", false, "hold new followers until approved")
			f.StringVar(&avatar, "avatar", "", "square profile picture (JPEG, PNG, WebP or GIF, up to 10 MB)")
			f.StringVar(&header, "header", "", "wide banner for the profile (JPEG, PNG, WebP or GIF, up to 10 MB)")
			f.captureSet = set
		})
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 1 {
		return fmt.Errorf("%w: give exactly one USERNAME", errUsage)
	}
	var c orgs.Changes
	if set["name"] {
		c.Name = &name
	}
	if set["summary"] {
		c.Summary = &summary
	}
	if set["url"] {
		c.Website = &website
	}
	if set["manual-approval"] {
		c.ManuallyApprovesFollowers = &manual
	}
	if c == (orgs.Changes{}) && avatar == "" && header == "" {
		return fmt.Errorf("%w: say what to change, e.g. --name, --summary or --avatar", errUsage)
	}
	org, err := core.Orgs.Get(ctx, rest[0])
	if err != nil {
		return err
	}
	if c != (orgs.Changes{}) {
		if org, err = core.Orgs.Update(ctx, rest[0], c); err != nil {
			return err
		}
	}
	for _, img := range []struct{ kind, file string }{{media.KindAvatar, avatar}, {media.KindHeader, header}} {
		if img.file == "" {
			continue
		}
		if org, err = setProfileImage(ctx, core, org, img.kind, img.file); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Updated %s; the server will tell its followers.\n", org.Username)
	return nil
}

// setProfileImage reads an image file and makes it the organisation's
// avatar or header.
func setProfileImage(ctx context.Context, core *instance.Core, org *model.Actor, kind, path string) (*model.Actor, error) {
	if core.Media == nil {
		return nil, fmt.Errorf("pictures need somewhere to be kept: pass --data-dir, or set %s and the other COMMONPLACE_S3_ variables", media.EnvS3Bucket)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the %s image: %w", kind, err)
	}
	defer f.Close()
	updated, err := core.Media.SetProfileImage(ctx, org, kind, f)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, path, err)
	}
	return updated, nil
}

func runOrgRotateKey(ctx context.Context, args []string, out io.Writer) error {
	core, rest, err := openTools(ctx, "org rotate-key", "org rotate-key USERNAME", args, out, nil)
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 1 {
		return fmt.Errorf("%w: give exactly one USERNAME", errUsage)
	}
	org, err := core.Orgs.RotateKey(ctx, rest[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s has a new key pair; the server will send its followers the new public key.\n", org.Username)
	return nil
}
