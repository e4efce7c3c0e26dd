package main

import (
	"context"
	"os"
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
