package main

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestUserAdd(t *testing.T) {
	ctx := context.Background()
	db := storetest.URL(t, store.SQLite)
	for _, o := range []string{"trust", "hospice"} {
		if r := runCmd(ctx, nil, t, "org", "add", o, "--name", o, "--db", db); r.code != 0 {
			t.Fatalf("org add: %+v", r)
		}
	}
	pw := map[string]string{envPassword: "a long enough password"}
	if r := runCmd(ctx, pw, t, "user", "add", "Risk@Trust.example", "--org", "trust", "--role", "author", "--db", db); r.code != 0 ||
		!strings.Contains(r.out, "Created author account risk@trust.example for trust") {
		t.Fatalf("user add: %+v", r)
	}
	if r := runCmd(ctx, nil, t, "user", "add", "risk@trust.example", "--org", "hospice", "--role", "admin", "--db", db); r.code != 0 ||
		!strings.Contains(r.out, "now writes for hospice") {
		t.Fatalf("second org: %+v", r)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := (&accounts.Service{Store: st}).Authenticate(ctx, "risk@trust.example", "a long enough password")
	if err != nil || a.Role != store.RoleAdmin {
		t.Fatalf("authenticate: %+v %v", a, err)
	}
	if got, _ := st.AccountOrgs(ctx, a.ID); len(got) != 2 {
		t.Errorf("orgs = %v", got)
	}

	if r := runCmd(ctx, map[string]string{envPassword: "too short"}, t, "user", "add", "b@trust.example", "--org", "trust", "--db", db); r.code != 1 ||
		!strings.Contains(r.errOut, "at least 12 characters") {
		t.Errorf("short password: %+v", r)
	}
	if r := runCmd(ctx, pw, t, "user", "add", "c@trust.example", "--org", "trust", "--password", "a long enough password", "--db", db); r.code != 2 ||
		!strings.Contains(r.errOut, "flag provided but not defined: -password") {
		t.Errorf("--password flag: %+v", r)
	}
	if r := runCmd(ctx, pw, t, "user", "add", "d@trust.example", "--org", "nosuch", "--db", db); r.code != 1 {
		t.Errorf("unknown org: %+v", r)
	}
	t.Setenv(envPassword, "")
	os.Unsetenv(envPassword) // t.Setenv restores it after the test
	passwordInput = strings.NewReader("typed at the prompt\n")
	defer func() { passwordInput = os.Stdin }()
	if r := runCmd(ctx, nil, t, "user", "add", "e@trust.example", "--org", "trust", "--db", db); r.code != 0 || !strings.Contains(r.out, "Password (at least 12") {
		t.Fatalf("prompt: %+v", r)
	}
	if _, err := (&accounts.Service{Store: st}).Authenticate(ctx, "e@trust.example", "typed at the prompt"); err != nil {
		t.Errorf("password from the prompt: %v", err)
	}
}

// `user invite` prints a one-time link on this instance's domain; the link
// sets the password once.
func TestUserInvite(t *testing.T) {
	ctx := context.Background()
	db := storetest.URL(t, store.SQLite)
	if r := runCmd(ctx, nil, t, "org", "add", "trust", "--name", "The Trust", "--db", db); r.code != 0 {
		t.Fatalf("org add: %+v", r)
	}
	r := runCmd(ctx, nil, t, "user", "invite", "New@Trust.example", "--org", "trust", "--role", "author", "--days", "3", "--db", db, "--domain", "social.trust.example")
	if r.code != 0 || !strings.Contains(r.out, "Invited new@trust.example to write for trust as author") {
		t.Fatalf("user invite: %+v", r)
	}
	m := regexp.MustCompile(`https://social\.trust\.example/invite/(\S+)`).FindStringSubmatch(r.out)
	if m == nil {
		t.Fatalf("no link printed: %q", r.out)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := &accounts.Service{Store: st}
	if _, err := svc.UseLink(ctx, m[1], "chosen from the link"); err != nil {
		t.Fatalf("use the link: %v", err)
	}
	if _, err := svc.UseLink(ctx, m[1], "chosen again later"); !errors.Is(err, accounts.ErrLinkUsed) {
		t.Errorf("the link used twice: %v", err)
	}
	if _, err := svc.Authenticate(ctx, "new@trust.example", "chosen from the link"); err != nil {
		t.Errorf("log in with the password set: %v", err)
	}
	if r := runCmd(ctx, nil, t, "user", "invite", "x@trust.example", "--org", "trust", "--days", "90", "--db", db, "--domain", "social.trust.example"); r.code != 1 || !strings.Contains(r.errOut, "from 1 to 30 days") {
		t.Errorf("--days 90: %+v", r)
	}
}
