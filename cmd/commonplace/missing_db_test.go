package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Only serve, migrate and org add make a database. Any other command given
// a wrong --data-dir or --db says so, and leaves nothing behind.
func TestCommandsRefuseToCreateADatabase(t *testing.T) {
	ctx := context.Background()
	body := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(body, []byte("Hello."), 0o600); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"publish":       {"publish", "--org", "trust", "--kind", "update", "--file", body, "--domain", "trust.example"},
		"follow":        {"follow", "--org", "trust", "@someone@elsewhere.example"},
		"follower list": {"follower", "list", "--org", "trust"},
		"block list":    {"block", "list"},
		"org edit":      {"org", "edit", "trust", "--name", "The Trust"},
		"user add":      {"user", "add", "a@trust.example", "--org", "trust"},
		"delete":        {"delete", "http://trust.example/users/trust/posts/x"},
		"network add":   {"network", "add", "hscleeds", "--name", "HSCLeeds", "--domain", "trust.example"},
	}
	t.Run("sqlite", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "typo")
		for name, args := range commands {
			r := runCmd(ctx, map[string]string{envPassword: "a long enough password"}, t, append(args, "--data-dir", dir)...)
			want := "no Commonplace database at " + filepath.Join(dir, "commonplace.db") + ": pass --data-dir or --db"
			if r.code != 1 || !strings.Contains(r.errOut, want) {
				t.Errorf("%s: exit %d, stderr %q; want %q", name, r.code, r.errOut, want)
			}
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("a refused command left %s behind (%v)", dir, err)
		}
		// org add makes it; then the same commands find it.
		if r := runCmd(ctx, nil, t, "org", "add", "trust", "--name", "Trust", "--data-dir", dir); r.code != 0 {
			t.Fatalf("org add: %+v", r)
		}
		if r := runCmd(ctx, nil, t, "block", "list", "--data-dir", dir, "--domain", "trust.example"); r.code != 0 {
			t.Errorf("block list after org add: %+v", r)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		db := storetest.URL(t, "postgres") // an empty schema: no Commonplace tables yet
		for name, args := range commands {
			r := runCmd(ctx, map[string]string{envPassword: "a long enough password"}, t, append(args, "--db", db)...)
			if r.code != 1 || !strings.Contains(r.errOut, "no Commonplace database at ") || !strings.Contains(r.errOut, "(schema t_") {
				t.Errorf("%s: exit %d, stderr %q", name, r.code, r.errOut)
			}
		}
		if r := runCmd(ctx, nil, t, "migrate", "--db", db); r.code != 0 {
			t.Fatalf("migrate: %+v", r)
		}
		if r := runCmd(ctx, nil, t, "block", "list", "--db", db, "--domain", "trust.example"); r.code != 0 {
			t.Errorf("block list after migrate: %+v", r)
		}
	})
}
