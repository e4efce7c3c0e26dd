package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// envPassword supplies a new account's password to scripts. There is no
// --password flag on purpose: flags end up in shell history and ps output.
const envPassword = "COMMONPLACE_PASSWORD"

// passwordInput is where the password prompt reads; tests replace it.
var passwordInput io.Reader = os.Stdin

func runUser(ctx context.Context, args []string, out, _ io.Writer) error {
	if len(args) > 0 && args[0] == "invite" {
		return runUserInvite(ctx, args[1:], out)
	}
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%w: say what to do, e.g. `commonplace user add EMAIL --org USERNAME --role author` or `commonplace user invite EMAIL --org USERNAME`", errUsage)
	}
	cfg := config.FromEnv()
	fs := newFlagSet("user add", "user add EMAIL --org USERNAME --role admin|author [--db URL] (password from the prompt or "+envPassword+")", out)
	cfg.RegisterStorage(fs)
	var orgName, role string
	fs.StringVar(&orgName, "org", "", "the organisation the person writes as (required)")
	fs.StringVar(&role, "role", store.RoleAuthor, "admin (also answers follow requests and follows others) or author")
	rest, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 || orgName == "" {
		return fmt.Errorf("%w: give one EMAIL and --org USERNAME", errUsage)
	}
	if err := requireDatabase(ctx, &cfg); err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	org, err := (&orgs.Service{Store: st}).Get(ctx, orgName)
	if err != nil {
		return err
	}
	svc := &accounts.Service{Store: st}
	exists, err := svc.Exists(ctx, rest[0])
	if err != nil {
		return err
	}
	var password string
	if !exists {
		if password, err = readPassword(out); err != nil {
			return err
		}
		if err := accounts.CheckPassword(password); err != nil {
			return err
		}
	}
	created, err := svc.Add(ctx, rest[0], password, role, org)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(out, "Created %s account %s for %s.\n", role, strings.ToLower(rest[0]), org.Username)
	} else {
		fmt.Fprintf(out, "Account %s now writes for %s too (role %s).\n", strings.ToLower(rest[0]), org.Username, role)
	}
	return nil
}

// runUserInvite adds a person to an organisation's staff and prints the
// one-time link with which they choose their password, as the Staff admin
// page does. An email that already has an account is added directly.
func runUserInvite(ctx context.Context, args []string, out io.Writer) error {
	var orgName, role string
	var days int
	core, rest, err := openTools(ctx, "user invite", "user invite EMAIL --org USERNAME [--role admin|author] [--days N]", args, out, func(f *configFlags) {
		f.StringVar(&orgName, "org", "", "the organisation the person will write for (required)")
		f.StringVar(&role, "role", store.RoleAuthor, "their role in it: admin or author")
		f.IntVar(&days, "days", accounts.DefaultValidity.Days(), "how many days the link works (1 to 30)")
	})
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 1 {
		return fmt.Errorf("%w: give one EMAIL and --org USERNAME", errUsage)
	}
	o, err := org(ctx, core, orgName)
	if err != nil {
		return err
	}
	ttl, err := accounts.ParseValidity(days)
	if err != nil {
		return err
	}
	added, err := (&accounts.Service{Store: core.Store}).Invite(ctx, o, rest[0], role, ttl)
	if err != nil {
		return err
	}
	if added.Existing {
		fmt.Fprintf(out, "%s already has an account; it now writes for %s as %s and keeps its password.\n", added.Email, o.Username, role)
		return nil
	}
	fmt.Fprintf(out, "Invited %s to write for %s as %s. Send them this link; it works once, until %s:\n%s%s\n",
		added.Email, o.Username, role, added.Link.Expires.Format("2 January 2006 15:04 MST"), core.Layout.Base, added.Link.Path())
	return nil
}

// readPassword takes the password from the environment or one line of
// standard input. The line is echoed on a terminal; use the environment
// variable or pipe it in when that matters.
func readPassword(out io.Writer) (string, error) {
	if p, ok := os.LookupEnv(envPassword); ok {
		return p, nil
	}
	fmt.Fprintf(out, "Password (at least %d characters): ", accounts.MinPasswordLength)
	line, err := bufio.NewReader(passwordInput).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprintln(out)
	return strings.TrimRight(line, "\r\n"), nil
}
