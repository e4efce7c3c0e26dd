package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/site"
)

func runSite(ctx context.Context, args []string, out, _ io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say what to do, e.g. `commonplace site set --name NAME` or `commonplace site show`", errUsage)
	}
	switch args[0] {
	case "set":
		return runSiteSet(ctx, args[1:], out)
	case "show":
		return runSiteShow(ctx, args[1:], out)
	default:
		return fmt.Errorf("%w: unknown site command %q (known: set, show)", errUsage, args[0])
	}
}

// runSiteSet changes only the settings whose flags are given; an empty value
// (--name "") puts that setting back to its default.
func runSiteSet(ctx context.Context, args []string, out io.Writer) error {
	cfg := config.FromEnv()
	fs := newFlagSet("site set", "site set [--name NAME] [--description TEXT] [--contact EMAIL] [--logo FILE|URL] [--about FILE] [--privacy FILE] [--accessibility FILE] [--db URL]", out)
	cfg.RegisterStorage(fs)
	var s site.Settings
	fs.StringVar(&s.Name, "name", "", "the site's name, shown in the header, titles, feeds and NodeInfo (default: the first organisation's name)")
	fs.StringVar(&s.Description, "description", "", "one sentence about the site, for link previews and NodeInfo")
	fs.StringVar(&s.ContactEmail, "contact", "", "the address people write to about the site and its accessibility")
	fs.StringVar(&s.LogoURL, "logo", "", "the logo: an image FILE (JPEG, PNG, WebP or GIF, up to 10 MB), a path on this site, or \"\" for none")
	files := map[string]*string{"about": &s.About, "privacy": &s.Privacy, "accessibility": &s.Accessibility}
	for name := range files {
		fs.String(name, "", "a Markdown file for the /"+name+" page (\"\" restores the default text)")
	}
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: site set takes only flags, got %q", errUsage, rest)
	}
	var c site.Changes
	given := site.All(s)
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "name":
			c.Name = given.Name
		case "description":
			c.Description = given.Description
		case "contact":
			c.ContactEmail = given.ContactEmail
		case "logo":
			c.LogoURL = given.LogoURL
		}
	})
	var logoFile string
	if c.LogoURL != nil {
		logoFile, c.LogoURL = splitLogo(*c.LogoURL)
	}
	var readErr error
	fs.Visit(func(f *flag.Flag) {
		dst, ok := files[f.Name]
		if !ok || readErr != nil {
			return
		}
		if path := f.Value.String(); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				readErr = fmt.Errorf("read the %s page from %s: %w", f.Name, path, err)
				return
			}
			*dst = string(b)
		}
		switch f.Name {
		case "about":
			c.About = dst
		case "privacy":
			c.Privacy = dst
		case "accessibility":
			c.Accessibility = dst
		}
	})
	if readErr != nil {
		return readErr
	}
	if c == (site.Changes{}) && logoFile == "" {
		return fmt.Errorf("%w: say what to change, e.g. --name \"Leeds Care Network\" or --about about.md", errUsage)
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	svc := &site.Service{Store: st}
	if err := svc.Update(ctx, c); err != nil {
		return err
	}
	if err := setLogo(ctx, cfg, svc, c, logoFile); err != nil {
		return err
	}
	id, err := svc.Identity(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Saved. The site is called %q; running servers show the change within seconds.\n", id.Name)
	return nil
}

func runSiteShow(ctx context.Context, args []string, out io.Writer) error {
	cfg := config.FromEnv()
	fs := newFlagSet("site show", "site show [--db URL]", out)
	cfg.RegisterStorage(fs)
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: site show takes no arguments, got %q", errUsage, rest)
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	id, err := (&site.Service{Store: st}).Identity(ctx)
	if err != nil {
		return err
	}
	orDefault := func(stored, shown string) string {
		if stored == "" {
			return shown + " (default)"
		}
		return shown
	}
	orUnset := func(v string) string {
		if v == "" {
			return "(not set)"
		}
		return v
	}
	pageState := func(md string) string {
		if md == "" {
			return "default text"
		}
		return fmt.Sprintf("set, %d characters of Markdown", len([]rune(md)))
	}
	fmt.Fprintf(out, "Name:          %s\n", orDefault(id.Stored.Name, id.Name))
	fmt.Fprintf(out, "Description:   %s\n", orDefault(id.Stored.Description, id.Description))
	fmt.Fprintf(out, "Contact:       %s\n", orUnset(id.ContactEmail))
	fmt.Fprintf(out, "Logo:          %s\n", orUnset(id.LogoURL))
	fmt.Fprintf(out, "About:         %s\n", pageState(id.Stored.About))
	fmt.Fprintf(out, "Privacy:       %s\n", pageState(id.Stored.Privacy))
	fmt.Fprintf(out, "Accessibility: %s\n", pageState(id.Stored.Accessibility))
	return nil
}
