package main

import (
	"context"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestBlockCommands(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.URL(t, d)
			block := func(args ...string) result {
				env := map[string]string{"COMMONPLACE_DOMAIN": "hospice.example"}
				return runCmd(ctx, env, t, append(append([]string{"block"}, args...), "--db", db)...)
			}
			if r := runCmd(ctx, nil, t, "migrate", "--db", db); r.code != 0 { // block does not create a database
				t.Fatalf("migrate: %+v", r)
			}
			if r := block("list"); r.code != 0 || r.out != "Nothing is blocked.\n" {
				t.Errorf("empty list: %+v", r)
			}
			if r := block("add", "--domain", "Bad.Example", "--reason", "spam wave"); r.code != 0 || !strings.Contains(r.out, "Blocked the domain bad.example") {
				t.Errorf("add domain: %+v", r)
			}
			// An actor URL is taken as given: its server is never contacted.
			if r := block("add", "--account", "https://unreachable.invalid/users/troll"); r.code != 0 {
				t.Errorf("add account: %+v", r)
			}
			r := block("list")
			if r.code != 0 || !strings.Contains(r.out, "domain\tbad.example\t") || !strings.Contains(r.out, "spam wave") ||
				!strings.Contains(r.out, "account\thttps://unreachable.invalid/users/troll\t") {
				t.Errorf("list: %+v", r)
			}
			if r := block("remove", "--domain", "bad.example"); r.code != 0 || !strings.Contains(r.out, "Unblocked the domain bad.example") {
				t.Errorf("remove: %+v", r)
			}
			for name, c := range map[string]struct {
				args []string
				code int
				msg  string
			}{
				"remove twice":   {[]string{"remove", "--domain", "bad.example"}, 1, "is not blocked"},
				"own domain":     {[]string{"add", "--domain", "hospice.example"}, 1, "would block this instance"},
				"both kinds":     {[]string{"add", "--domain", "x.example", "--account", "https://x.example/u"}, 2, "exactly one"},
				"neither":        {[]string{"add"}, 2, "exactly one"},
				"unknown action": {[]string{"mute"}, 2, "unknown block command"},
			} {
				r := block(c.args...)
				if r.code != c.code || !strings.Contains(r.errOut, c.msg) || strings.Count(strings.TrimSpace(r.errOut), "\n") > 0 {
					t.Errorf("%s: %+v", name, r)
				}
			}
		})
	}
}
