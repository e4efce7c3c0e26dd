package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// An admin uploads a logo through the multipart site form, which the CSRF
// check accepts with its token and refuses without; a second upload
// replaces the first and its file is gone; "Remove the logo" removes it;
// a file that is not a picture is refused with the rest of the form kept.
func TestAdminUploadsSiteLogo(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			addAccount(t, inst, "boss@trust.example", "admin", trust)
			admin := newBrowser(t, inst.URL)
			admin.login("boss@trust.example", testPassword)

			form := func(name string) url.Values {
				return url.Values{"csrf_token": {admin.token("/admin/site")}, "name": {name}}
			}
			logo := instancetest.Upload{Field: "logo_file", Name: "logo.png", Data: pngPicture(t, 300, 100)}
			if resp, _ := admin.PostMultipart("/admin/site", url.Values{"name": {"No Token"}}, logo); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("a multipart form without its CSRF token: %d", resp.StatusCode)
			}
			resp, body := admin.PostMultipart("/admin/site", form("Leeds Care Network"), logo)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/site?saved=1" {
				t.Fatalf("upload the logo: %d\n%s", resp.StatusCode, body)
			}
			_, home := admin.get("/")
			first := logoIn(home)
			if first == "" || !strings.Contains(home, "Leeds Care Network</a>") {
				t.Fatalf("the header shows no uploaded logo:\n%s", home)
			}
			if status, ct := fetchStatus(t, admin, first); status != http.StatusOK || !strings.HasPrefix(ct, "image/") {
				t.Errorf("GET %s: %d %s", first, status, ct)
			}

			resp, _ = admin.PostMultipart("/admin/site", form("Leeds Care Network"),
				instancetest.Upload{Field: "logo_file", Name: "new.png", Data: pngPicture(t, 80, 80)})
			_, home = admin.get("/")
			second := logoIn(home)
			if resp.StatusCode != http.StatusSeeOther || second == "" || second == first {
				t.Fatalf("replace the logo: %d, header logo %q (was %q)", resp.StatusCode, second, first)
			}
			if status, _ := fetchStatus(t, admin, first); status != http.StatusNotFound {
				t.Errorf("the replaced logo is still served: %d", status)
			}

			resp, body = admin.PostMultipart("/admin/site", form("Renamed"),
				instancetest.Upload{Field: "logo_file", Name: "notes.png", Data: []byte("plain text, not a picture")})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The logo:") || !strings.Contains(body, `value="Renamed"`) {
				t.Errorf("a text file as the logo: %d\n%s", resp.StatusCode, body)
			}
			if _, home = admin.get("/"); logoIn(home) != second || strings.Contains(home, "Renamed</a>") {
				t.Errorf("a refused upload changed the site")
			}

			f := form("Leeds Care Network")
			f.Set("logo", second)
			f.Set("logo_remove", "1")
			resp, _ = admin.PostMultipart("/admin/site", f)
			if _, home = admin.get("/"); resp.StatusCode != http.StatusSeeOther || logoIn(home) != "" || strings.Contains(home, `class="logo"`) {
				t.Errorf("remove the logo: %d, header still has one", resp.StatusCode)
			}
			if status, _ := fetchStatus(t, admin, second); status != http.StatusNotFound {
				t.Errorf("the removed logo is still served: %d", status)
			}
		})
	}
}
