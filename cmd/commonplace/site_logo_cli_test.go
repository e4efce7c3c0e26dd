package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/site"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// `site set --logo FILE` stores the picture and points the logo at it; a
// second upload replaces it and removes the first one's files; an https
// address or "" removes the stored logo; a file that is not a picture is
// refused with a sentence saying so.
func TestSiteSetLogoFile(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, dir := storetest.URL(t, d), t.TempDir()
			if r := runCmd(ctx, nil, t, "org", "add", "stgemmas", "--name", "St Gemma's Hospice", "--db", db); r.code != 0 {
				t.Fatalf("org add: %+v", r)
			}
			st, err := store.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			files := media.DirStorage{Dir: filepath.Join(dir, "media")}
			logo := func() (string, []*model.Media) {
				t.Helper()
				set, err := (&site.Service{Store: st}).Stored(ctx)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := st.MediaByKind(ctx, media.KindLogo)
				if err != nil {
					t.Fatal(err)
				}
				return set.LogoURL, rows
			}
			exists := func(key string) bool {
				f, err := files.Open(ctx, key)
				if errors.Is(err, media.ErrNotExist) {
					return false
				}
				if err != nil {
					t.Fatal(err)
				}
				f.Close()
				return true
			}

			r := runCmd(ctx, nil, t, "site", "set", "--db", db, "--data-dir", dir, "--logo", writePicture(t, 300, 120, "logo.png"))
			if r.code != 0 {
				t.Fatalf("set --logo FILE: %+v", r)
			}
			url, rows := logo()
			if len(rows) != 1 || url != media.Path(rows[0].DisplayKey) || !exists(rows[0].DisplayKey) || !exists(rows[0].ThumbKey) {
				t.Fatalf("after the upload the logo is %q with pictures %+v", url, rows)
			}
			if r := runCmd(ctx, nil, t, "site", "show", "--db", db); !strings.Contains(r.out, "Logo:          "+url+"\n") {
				t.Errorf("show: %+v", r)
			}
			first := rows[0]

			r = runCmd(ctx, nil, t, "site", "set", "--db", db, "--data-dir", dir, "--logo", writePicture(t, 64, 64, "second.png"))
			url, rows = logo()
			if r.code != 0 || len(rows) != 1 || rows[0].ID == first.ID || url != media.Path(rows[0].DisplayKey) {
				t.Fatalf("replacing the logo: %+v, logo %q, pictures %+v", r, url, rows)
			}
			if exists(first.DisplayKey) || exists(first.OriginalKey) {
				t.Errorf("the replaced logo's files are still stored")
			}
			second := rows[0]

			notPicture := filepath.Join(t.TempDir(), "notes.txt")
			if err := os.WriteFile(notPicture, []byte("not a picture"), 0o600); err != nil {
				t.Fatal(err)
			}
			r = runCmd(ctx, nil, t, "site", "set", "--db", db, "--data-dir", dir, "--logo", notPicture)
			if r.code == 0 || !strings.Contains(r.errOut, "notes.txt") {
				t.Errorf("a text file as the logo: %+v", r)
			}
			if url, _ := logo(); url != media.Path(second.DisplayKey) {
				t.Errorf("a refused upload changed the logo to %q", url)
			}

			// Pages load pictures only from this site (CSP img-src 'self'), so
			// an address elsewhere is refused and the logo stays.
			r = runCmd(ctx, nil, t, "site", "set", "--db", db, "--data-dir", dir, "--logo", "https://care.example/logo.png")
			if url, _ := logo(); r.code == 0 || !strings.Contains(r.errOut, "logo must be a picture kept on this site") || url != media.Path(second.DisplayKey) {
				t.Errorf("an https logo: %+v, logo now %q", r, url)
			}
			r = runCmd(ctx, nil, t, "site", "set", "--db", db, "--data-dir", dir, "--logo", "")
			url, rows = logo()
			if r.code != 0 || url != "" || len(rows) != 0 || exists(second.DisplayKey) {
				t.Errorf("removing the logo: %+v, logo %q, pictures %+v", r, url, rows)
			}
			if r := runCmd(ctx, nil, t, "site", "set", "--db", db, "--data-dir", dir, "--logo", "no-such-file.png"); r.code == 0 ||
				!strings.Contains(r.errOut, "logo must be a picture") {
				t.Errorf("a missing file: %+v", r)
			}
		})
	}
}
