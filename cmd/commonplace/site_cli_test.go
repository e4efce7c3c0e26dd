package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/internal/site"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestSiteSetAndShow(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.URL(t, d)
			if r := runCmd(ctx, nil, t, "org", "add", "stgemmas", "--name", "St Gemma's Hospice", "--db", db); r.code != 0 {
				t.Fatalf("org add: %+v", r)
			}
			r := runCmd(ctx, nil, t, "site", "show", "--db", db)
			if r.code != 0 || !strings.Contains(r.out, "Name:          St Gemma's Hospice (default)") ||
				!strings.Contains(r.out, "Accessibility: default text") || !strings.Contains(r.out, "Contact:       (not set)") {
				t.Fatalf("show before setting: %+v", r)
			}
			dir := t.TempDir()
			about := filepath.Join(dir, "about.md")
			if err := os.WriteFile(about, []byte("## Who we are\n\nCarers and nurses in Leeds.\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			r = runCmd(ctx, nil, t, "site", "set", "--db", db, "--name", "Leeds Care Network", "--description", "Notes from Leeds.",
				"--contact", "access@care.example", "--about", about)
			if r.code != 0 || !strings.Contains(r.out, `The site is called "Leeds Care Network"`) {
				t.Fatalf("set: %+v", r)
			}
			r = runCmd(ctx, nil, t, "site", "show", "--db", db)
			for _, want := range []string{"Name:          Leeds Care Network\n", "Description:   Notes from Leeds.\n",
				"Contact:       access@care.example\n", "About:         set, 42 characters", "Privacy:       default text"} {
				if r.code != 0 || !strings.Contains(r.out, want) {
					t.Errorf("show lacks %q: %+v", want, r)
				}
			}
			st, err := store.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if p, err := (&site.Service{Store: st}).Page(ctx, site.About); err != nil || !strings.Contains(p.HTML, "Carers and nurses in Leeds.") {
				t.Errorf("about page after set: %+v %v", p, err)
			}

			// Only the flags given change; an empty one restores the default.
			if r := runCmd(ctx, nil, t, "site", "set", "--db", db, "--name", ""); r.code != 0 || !strings.Contains(r.out, `"St Gemma's Hospice"`) {
				t.Errorf("clear the name: %+v", r)
			}
			if r := runCmd(ctx, nil, t, "site", "show", "--db", db); !strings.Contains(r.out, "Description:   Notes from Leeds.") {
				t.Errorf("clearing the name changed the description: %+v", r)
			}

			for _, c := range []struct {
				args []string
				code int
				want string
			}{
				{[]string{"site", "set", "--db", db}, 2, "say what to change"},
				{[]string{"site", "set", "--db", db, "--contact", "nobody"}, 1, `"nobody" is not an email address`},
				{[]string{"site", "set", "--db", db, "--about", filepath.Join(dir, "missing.md")}, 1, "read the about page from"},
				{[]string{"site", "set", "--db", db, "--logo", "javascript:alert(1)"}, 1, "logo must be a picture kept on this site"},
				{[]string{"site", "rename", "--db", db}, 2, `unknown site command "rename"`},
				{[]string{"site", "show", "extra", "--db", db}, 2, "takes no arguments"},
			} {
				if r := runCmd(ctx, nil, t, c.args...); r.code != c.code || !strings.Contains(r.errOut, c.want) {
					t.Errorf("%q: %+v, want exit %d saying %q", c.args, r, c.code, c.want)
				}
			}
		})
	}
}
